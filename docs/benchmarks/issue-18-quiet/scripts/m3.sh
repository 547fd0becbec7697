#!/usr/bin/env bash
cd /work/wt-privmix
O=/tmp/pm/m3.txt
J=/tmp/privmix-bc.jar
for r in 1 2; do
SECURECOMM_RELAY_JVM_OPTS="" /tmp/pm/relayrun.sh "r$r epoll 4 loops bc" $J 100 $O
SECURECOMM_RELAY_JVM_OPTS="-Dsecurecomm.chacha20poly1305=jca" /tmp/pm/relayrun.sh "r$r epoll 4 loops jca" $J 100 $O
SECURECOMM_RELAY_JVM_OPTS="-Dio.netty.eventLoopThreads=2" /tmp/pm/relayrun.sh "r$r epoll 2 loops bc" $J 100 $O
SECURECOMM_RELAY_JVM_OPTS="-Dio.netty.eventLoopThreads=2 -Dsecurecomm.chacha20poly1305=jca" /tmp/pm/relayrun.sh "r$r epoll 2 loops jca" $J 100 $O
SECURECOMM_RELAY_JVM_OPTS="-Dio.netty.eventLoopThreads=2 -Dsecurecomm.transport=nio" /tmp/pm/relayrun.sh "r$r nio 2 loops bc" $J 100 $O
SECURECOMM_RELAY_JVM_OPTS="-Dio.netty.eventLoopThreads=1" /tmp/pm/relayrun.sh "r$r epoll 1 loop bc" $J 100 $O
done
