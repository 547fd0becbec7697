package io.securecomm.benchmarks.relay;

import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.relay.RelayOptions;
import io.securecomm.wire.ListPage;
import io.securecomm.wire.ListPageRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.Nickname;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Holds many admitted chat clients at one relay and reports the relay's heap per admitted client, how fast clients are
 * admitted as the relay fills (a join's presence fan-out is bounded by the room, so the last thousand should cost what
 * the first thousand did), and the time to walk the list of all of them page by page ({@code ListPageRequest}).
 *
 * <p>Each client is a {@link RawClient}: Noise XX handshake, {@code ClientHello}, {@code Welcome}, then silence (no
 * pre-key upload, no end-to-end work): the relay's side of an admitted client, without the client's end-to-end
 * layer, which would need a JVM per few hundred clients. The first 256 are the room's members (they are sent each
 * other's {@code Joined}, which their sockets buffer); the others are online outside the room. Every connection is
 * two file descriptors on this machine (one here, one in the relay's JVM): {@code ulimit -n} must be above the count
 * plus a margin (the run says so and stops early otherwise). Before the measured run, 512 clients join and leave, so
 * that the relay's JIT is warm; the measured run starts with an empty relay. Bounded in time: each connection and
 * each page has 60 s.
 */
final class AdmittedClients {
    private static final int THREADS = 2;
    private static final int PAGE = 256;
    /** The relay's default room member limit. */
    private static final int ROOM = RelayOptions.DEFAULT_MAX_ROOM_MEMBERS;
    private static final int WALKS = 5;
    /** Clients that join and leave before the measured run, to warm the relay's JIT. */
    private static final int WARMUP = 512;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private AdmittedClients() {}

    /**
     * What the run measured.
     *
     * @param requested clients asked for
     * @param admitted clients welcomed
     * @param seconds time to admit them
     * @param roomPerSecond admissions per second while the room fills (the first 256: each join is announced to the
     *     members before it)
     * @param afterRoomPerSecond admissions per second over the next 1,000 (outside the room: announced to no one)
     * @param lastThousandPerSecond admissions per second over the last 1,000
     * @param roomJoinMicros the relay's CPU per admission while the room fills (handshake, hello, and the
     *     {@code Joined} to every member before it), JIT warm-up included
     * @param outsideJoinMicros the relay's CPU per admission after the room is full (handshake and hello only)
     * @param heapBeforeBytes relay heap with no clients
     * @param heapAfterBytes relay heap with all of them
     * @param listed entries one walk of the list returned
     * @param pages pages per walk
     * @param firstWalkMillis the first walk of the whole list
     * @param bestWalkMillis the fastest of {@value #WALKS} walks
     * @param relayCpuPerWalkMillis the relay's CPU time per walk, averaged over the walks
     * @param firstFailure why admitting stopped early, or null
     */
    record Result(int requested, int admitted, double seconds, double roomPerSecond, double afterRoomPerSecond,
            double lastThousandPerSecond, double roomJoinMicros, double outsideJoinMicros, long heapBeforeBytes,
            long heapAfterBytes, int listed, int pages,
            double firstWalkMillis, double bestWalkMillis, double relayCpuPerWalkMillis, String firstFailure) {
        long bytesPerClient() {
            return admitted == 0 ? 0 : (heapAfterBytes - heapBeforeBytes) / admitted;
        }

        String format() {
            return String.format(Locale.ROOT, """
                    admitted clients  %d of %d requested admitted in %.1f s: %.0f/s while the room fills \
                    (the first %d), %.0f/s over the next 1,000, %.0f/s over the last 1,000%s
                    relay CPU         %.0f us per admission into the room, %.0f us per admission outside it
                    relay heap        %.1f MiB before, %.1f MiB after = %.2f KiB per admitted client
                    list of everyone  %d entries in %d pages of up to %d: first walk %.1f ms, best of %d %.1f ms, \
                    relay CPU %.1f ms per walk
                    """, admitted, requested, seconds, roomPerSecond, ROOM, afterRoomPerSecond, lastThousandPerSecond,
                    firstFailure == null ? "" : " (stopped: " + firstFailure + ")", roomJoinMicros, outsideJoinMicros,
                    heapBeforeBytes / 1048576.0, heapAfterBytes / 1048576.0, bytesPerClient() / 1024.0,
                    listed, pages, PAGE, firstWalkMillis, WALKS, bestWalkMillis, relayCpuPerWalkMillis);
        }
    }

    /** The most connections this process may open, by its file descriptor limit, keeping a margin for the rest. */
    static int descriptorBudget() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return (int) Math.min(Integer.MAX_VALUE, unix.getMaxFileDescriptorCount() - 256);
        }
        return Integer.MAX_VALUE;
    }

    static Result run(int count) throws Exception {
        return run(count, WARMUP);
    }

    /**
     * Runs with a chosen warm-up (0 for none: the smoke test's quick run).
     *
     * @param count clients to admit
     * @param warmupClients clients that join and leave first
     * @return what was measured
     * @throws Exception if the relay cannot start or a client cannot connect
     */
    static Result run(int count, int warmupClients) throws Exception {
        int budget = descriptorBudget();
        if (count > budget) {
            System.out.printf(Locale.ROOT, "! ulimit -n allows about %d connections here, not %d: raise it (ulimit -n"
                    + " %d) in the shell that runs the harness; admitting %d%n", budget, count, count + 512, budget);
            count = budget;
        }
        try (RelayProcess relay = RelayProcess.startForAdmittedClients(count, "2g");
                NoiseKeyPair identity = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom())) {
            if (warmupClients > 0) {
                warmUp(relay, identity, warmupClients);
            }
            // Each STATS reads the relay's CPU time, then runs two full GCs, which the next reading counts: measure
            // what one STATS costs so that every CPU figure below can leave it out.
            ServerUnderTest.Stats first = relay.stats();
            ServerUnderTest.Stats empty = relay.stats();
            long statsCpuNanos = Math.max(0, empty.cpuNanos() - first.cpuNanos());
            long before = empty.memoryBytes();
            long cpuAtRoomFull = -1;
            List<RawClient> clients = new ArrayList<>(count);
            String failure = null;
            long start = System.nanoTime();
            long[] admittedAt = new long[count];
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<RawClient>> batch = new ArrayList<>();
                for (int i = 0; i < count && failure == null; i++) {
                    String nickname = String.format(Locale.ROOT, "c%05d", i);
                    batch.add(pool.submit(() -> new RawClient(relay.port(), "127.0.0.1").readTimeout(TIMEOUT)
                            .join(nickname, identity)));
                    if (batch.size() == 64 || i == count - 1) {
                        for (Future<RawClient> f : batch) {
                            try {
                                clients.add(f.get(60, TimeUnit.SECONDS));
                                admittedAt[clients.size() - 1] = System.nanoTime();
                            } catch (Exception e) {
                                failure = failure != null ? failure
                                        : String.valueOf(e.getCause() != null ? e.getCause() : e);
                            }
                        }
                        batch.clear();
                        if (clients.size() == ROOM && cpuAtRoomFull < 0) {
                            // Between batches nothing is in flight: the relay's CPU so far is the room's filling.
                            cpuAtRoomFull = relay.stats().cpuNanos();
                        }
                    }
                }
                int n = clients.size();
                double seconds = (System.nanoTime() - start) / 1e9;
                double room = rate(start, admittedAt, 0, Math.min(ROOM, n));
                double next = n <= ROOM ? 0 : rate(admittedAt[ROOM - 1], admittedAt, ROOM, Math.min(ROOM + 1000, n));
                double last = n <= 1000 ? 0 : rate(admittedAt[n - 1001], admittedAt, n - 1000, n);
                ServerUnderTest.Stats full = relay.stats();
                long after = full.memoryBytes();
                double roomJoinMicros = cpuAtRoomFull < 0 ? 0
                        : (cpuAtRoomFull - empty.cpuNanos() - statsCpuNanos) / 1e3 / ROOM;
                double outsideJoinMicros = cpuAtRoomFull < 0 || n <= ROOM ? 0
                        : (full.cpuNanos() - cpuAtRoomFull - statsCpuNanos) / 1e3 / (n - ROOM);

                try (RawClient lister = new RawClient(relay.port(), "127.0.0.1").readTimeout(TIMEOUT)
                        .join("lister", identity)) {
                    double firstWalk = 0;
                    double best = Double.MAX_VALUE;
                    int listed = 0;
                    int pages = 0;
                    long cpuBefore = relay.stats().cpuNanos();
                    for (int w = 0; w < WALKS; w++) {
                        long t0 = System.nanoTime();
                        Walk walk = walk(lister, w);
                        double ms = (System.nanoTime() - t0) / 1e6;
                        firstWalk = w == 0 ? ms : firstWalk;
                        best = Math.min(best, ms);
                        listed = walk.entries;
                        pages = walk.pages;
                    }
                    double cpuPerWalk = (relay.stats().cpuNanos() - cpuBefore - statsCpuNanos) / 1e6 / WALKS;
                    return new Result(count, n, seconds, room, next, last, roomJoinMicros, outsideJoinMicros, before,
                            after, listed, pages, firstWalk, best, cpuPerWalk, failure);
                }
            } finally {
                pool.shutdownNow();
                for (RawClient c : clients) {
                    c.close();
                }
            }
        }
    }

    /**
     * Warms the relay's JIT with clients that join (filling the room) and leave, then waits until the relay has seen
     * every one of them go, asking it with list pages: the measured run starts warm and empty.
     */
    private static void warmUp(RelayProcess relay, NoiseKeyPair identity, int clients) throws Exception {
        List<RawClient> warm = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                warm.add(new RawClient(relay.port(), "127.0.0.1").readTimeout(TIMEOUT)
                        .join(String.format(Locale.ROOT, "warm%04d", i), identity));
            }
        } finally {
            for (RawClient c : warm) {
                c.close();
            }
        }
        try (RawClient probe = new RawClient(relay.port(), "127.0.0.1").readTimeout(TIMEOUT).join("probe", identity)) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            for (long requestId = 1; ; requestId++) {
                probe.send(new ListPageRequest(requestId, "", 1));
                Message m;
                while (!((m = probe.receive()) instanceof ListPage)) {
                    // the departures of the warm-up's members, announced to the probe
                }
                if (((ListPage) m).online() == 1 || System.nanoTime() > deadline) {
                    return;
                }
                Thread.sleep(20);
            }
        }
    }

    private static double rate(long from, long[] at, int fromIndex, int toIndex) {
        if (toIndex <= fromIndex) {
            return 0;
        }
        return (toIndex - fromIndex) / ((at[toIndex - 1] - from) / 1e9);
    }

    private record Walk(int entries, int pages) {}

    /** Walks the whole list once, checking that no one is listed twice and that the order holds. */
    private static Walk walk(RawClient lister, int walkNumber) throws Exception {
        Set<Integer> seen = new HashSet<>();
        String after = "";
        int pages = 0;
        long requestId = (long) walkNumber * 1_000_000 + 1;
        while (true) {
            lister.send(new ListPageRequest(requestId, after, PAGE));
            Message m;
            while (!((m = lister.receive()) instanceof ListPage)) {
                // nothing else is expected (the lister is outside the room), but a Ping would be harmless
            }
            ListPage page = (ListPage) m;
            if (page.requestId() != requestId) {
                throw new IllegalStateException("answer to " + page.requestId() + ", expected " + requestId);
            }
            requestId++;
            pages++;
            for (ListPage.Entry e : page.entries()) {
                String canonical = Nickname.canonical(e.client().nickname());
                if (!seen.add(e.client().clientId()) || canonical.compareTo(after) <= 0) {
                    throw new IllegalStateException("listed twice or out of order: " + e.client());
                }
                after = canonical;
            }
            if (!page.more()) {
                return new Walk(seen.size(), pages);
            }
        }
    }
}
