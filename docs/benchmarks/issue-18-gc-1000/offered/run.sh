#!/bin/bash
# Offered-load comparison of the relay's collectors at 1,000 relay-only clients (issue 18), with the relay's GC log.
out=${OUT:-/tmp/gcrate}  # where the outputs go
for round in 1 2; do
for gc in g1 parallel; do
  opts="-Xlog:gc:file=$out/relay-gc-$gc-$round.log:utctime"
  [ $gc = parallel ] && opts="-XX:-UseG1GC -XX:+UseParallelGC $opts"
  echo "\$ SECURECOMM_RELAY_JVM_OPTS=\"$opts\" LoadHarness --relay-only --clients 1000 --mix private --messages 100000 --warmup 100000 --rate 10000 [$(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)]" >> $out/offered-$round.txt
  SECURECOMM_RELAY_JVM_OPTS="$opts" timeout 300 java -cp /tmp/bench-f4aaa62.jar io.securecomm.benchmarks.relay.LoadHarness --time-limit 120 \
      --relay-only --clients 1000 --mix private --messages 100000 --warmup 100000 --rate 10000 >> $out/offered-$round.txt 2>&1
  echo >> $out/offered-$round.txt
done
done
