#!/usr/bin/env bash
for jdk in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
  for jar in /tmp/jmh.jar /tmp/lead-after.jar; do
    n=$(basename $jdk)-$(basename $jar .jar)
    echo "== $n $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
    $jdk/bin/java -jar $jar 'CipherBench.(chaCha20Stream|jcaChaCha20Stream|chaCha20Seek|jcaChaCha20Init)$' -p size=64,1024 \
      -f 1 -wi 2 -w 1s -i 3 -r 1s -rf json -rff /tmp/stream/$n.json 2>&1 | grep -E "^CipherBench"
  done
done
