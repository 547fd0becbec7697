#!/usr/bin/env bash
cd /work/wt-privmix
O=/tmp/pm/m4.txt
J=/tmp/privmix-bc.jar
SECURECOMM_RELAY_JVM_OPTS="-Dsecurecomm.chacha20poly1305=jca" /tmp/pm/threadrun.sh "epoll 4 loops" $J 100 private $O
SECURECOMM_RELAY_JVM_OPTS="-Dio.netty.eventLoopThreads=2 -Dsecurecomm.chacha20poly1305=jca" /tmp/pm/threadrun.sh "epoll 2 loops" $J 100 private $O
for r in 1 2; do
SECURECOMM_RELAY_JVM_OPTS="-Dsecurecomm.chacha20poly1305=jca" /tmp/pm/relayrun.sh "public r$r epoll 4 loops" $J 100 /tmp/pm/m4pub.txt public
SECURECOMM_RELAY_JVM_OPTS="-Dio.netty.eventLoopThreads=2 -Dsecurecomm.chacha20poly1305=jca" /tmp/pm/relayrun.sh "public r$r epoll 2 loops" $J 100 /tmp/pm/m4pub.txt public
done
SECURECOMM_RELAY_JVM_OPTS="-Dsecurecomm.chacha20poly1305=jca" /tmp/pm/relayrun.sh "private1000 epoll 4 loops" $J 1000 /tmp/pm/m4pub.txt
SECURECOMM_RELAY_JVM_OPTS="-Dio.netty.eventLoopThreads=2 -Dsecurecomm.chacha20poly1305=jca" /tmp/pm/relayrun.sh "private1000 epoll 2 loops" $J 1000 /tmp/pm/m4pub.txt
