package io.securecomm.benchmarks.relay;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayTrustStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * The newcomer probe of the abuse mode's {@code newcomer} attack ({@link AbuseHarness}): honest default clients that
 * join the room one after another during a phase, each measured from its {@code connect()} to the arrival of each
 * room-group member's room key (what it needs to read that member's public messages). A newcomer stays until the
 * phase's end, so that no departure rotates the room group's keys while the phase runs; {@link #finish} waits for
 * each newcomer's keys up to {@link #DEADLINE} after its join, which is longer than the client's retries of a refused
 * request (1, 2 and 4 s) and the relay's wait for a newcomer's upload (the 10 s handshake timeout), then closes them.
 *
 * <p>Thread-safe: {@link #join} runs on the harness's timer, the listeners on each newcomer's event thread.
 */
final class NewcomerProbes {
    /** The newcomers' nicknames start with this: the attackers watch for it. */
    static final String NICKNAME_PREFIX = "newcomer";
    /** How long after its join a newcomer may take to get every room-group member's key. */
    static final Duration DEADLINE = Duration.ofSeconds(20);

    /** Numbers the newcomers across phases: the relay keeps a nickname for a moment after its holder left. */
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private final int relayPort;
    private final Set<String> members;
    private final long phaseStartNanos;
    private final List<Newcomer> newcomers = new ArrayList<>();
    private final Histogram keyLatencies = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);

    /**
     * Probes for one phase.
     *
     * @param relayPort the relay's port on 127.0.0.1
     * @param members the nicknames of the members whose keys each newcomer waits for (the room group)
     * @param phaseStartNanos the phase's start ({@link System#nanoTime()}), for the join times printed
     */
    NewcomerProbes(int relayPort, Set<String> members, long phaseStartNanos) {
        this.relayPort = relayPort;
        this.members = Set.copyOf(members);
        this.phaseStartNanos = phaseStartNanos;
    }

    /** One newcomer: when it joined, and when each member's key arrived. */
    private final class Newcomer implements ChatListener {
        final String nickname = NICKNAME_PREFIX + NUMBERS.incrementAndGet();
        final long joinNanos = System.nanoTime();
        final Map<String, Long> keyMicros = new ConcurrentHashMap<>();
        final Set<String> readFrom = ConcurrentHashMap.newKeySet();
        final CompletableFuture<Void> everyKey = new CompletableFuture<>();
        volatile ChatClient client;
        volatile Throwable joinFailure;
        /** When its {@code connect()} completed (welcome, pre-keys uploaded, list read), from its join; or -1. */
        volatile long connectedMicros = -1;

        @Override
        public void onRoomKeyChanged(OnlineClient member) {
            if (members.contains(member.nickname())) {
                long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - joinNanos);
                if (keyMicros.putIfAbsent(member.nickname(), micros) == null) {
                    synchronized (keyLatencies) {
                        keyLatencies.recordValue(Math.min(micros, keyLatencies.getHighestTrackableValue()));
                    }
                    if (keyMicros.size() == members.size()) {
                        everyKey.complete(null);
                    }
                }
            }
        }

        @Override
        public void onMessage(ChatMessage message) {
            if (!message.isPrivate() && members.contains(message.senderNickname())) {
                readFrom.add(message.senderNickname());
            }
        }
    }

    /** Joins one more newcomer: a default client (room policy everyone, pacing as the relay announces). */
    void join() {
        Newcomer n = new Newcomer();
        synchronized (newcomers) {
            newcomers.add(n);
        }
        try {
            n.client = ChatClient.create(ChatClientOptions.builder("127.0.0.1", relayPort).nickname(n.nickname)
                    .trustStore(RelayTrustStore.trustOnFirstUseInMemory()).build(), n);
            n.client.connect().whenComplete((session, failure) -> {
                if (failure != null) {
                    n.joinFailure = failure;
                    n.everyKey.complete(null);
                } else {
                    n.connectedMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - n.joinNanos);
                }
            });
        } catch (RuntimeException e) {
            n.joinFailure = e;
            n.everyKey.complete(null);
        }
    }

    /**
     * Waits for each newcomer's keys (up to {@link #DEADLINE} after its join), prints one line per newcomer to
     * standard error, and closes them all.
     *
     * @param label the phase, for the lines on standard error
     * @return what was measured
     * @throws InterruptedException if interrupted while waiting
     */
    AbuseHarness.Newcomers finish(String label) throws InterruptedException {
        List<Newcomer> all;
        synchronized (newcomers) {
            all = new ArrayList<>(newcomers);
        }
        int withEveryKey = 0;
        int readEvery = 0;
        int failed = 0;
        StringBuilder lines = new StringBuilder();
        for (Newcomer n : all) {
            long left = DEADLINE.toNanos() - (System.nanoTime() - n.joinNanos);
            try {
                n.everyKey.get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException notAll) {
                // counted below: some key did not arrive
            }
            boolean every = n.joinFailure == null && n.keyMicros.size() == members.size();
            withEveryKey += every ? 1 : 0;
            readEvery += n.readFrom.containsAll(members) ? 1 : 0;
            failed += n.joinFailure != null ? 1 : 0;
            lines.append(String.format(Locale.ROOT, "newcomer probe %s, %s joined at %.2f s:", label, n.nickname,
                    (n.joinNanos - phaseStartNanos) / 1e9));
            if (n.joinFailure != null) {
                lines.append(" join failed: ").append(n.joinFailure);
            } else if (n.connectedMicros >= 0) {
                lines.append(String.format(Locale.ROOT, " connected in %.1f ms;", n.connectedMicros / 1000.0));
            }
            for (String m : members.stream().sorted().toList()) {
                Long micros = n.keyMicros.get(m);
                lines.append(micros == null ? String.format(Locale.ROOT, " %s's key missing after %d s;", m,
                        DEADLINE.toSeconds()) : String.format(Locale.ROOT, " %s's key %.1f ms;", m, micros / 1000.0));
            }
            lines.append(n.readFrom.containsAll(members) ? " read every member" : " read " + n.readFrom.size()
                    + " of " + members.size() + " members").append('\n');
        }
        for (Newcomer n : all) {
            if (n.client != null) {
                n.client.close();
            }
        }
        System.err.print(lines);
        synchronized (keyLatencies) {
            return new AbuseHarness.Newcomers(all.size(), withEveryKey, readEvery, failed, keyLatencies.getTotalCount(),
                    keyLatencies.getValueAtPercentile(50), keyLatencies.getValueAtPercentile(99),
                    keyLatencies.getMaxValue());
        }
    }
}
