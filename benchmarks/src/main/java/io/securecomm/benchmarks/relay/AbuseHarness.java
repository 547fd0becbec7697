package io.securecomm.benchmarks.relay;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.RoomPolicy;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load harness's abuse mode (issue 22): an honest workload on a relay with its default limits, measured without
 * and with each attack running beside it, from clients the relay admitted: the relay-side attacks, and the attacks
 * on honest clients through the relay. It reports the honest clients' latency (p50, p99), their refused requests, and
 * the relay's CPU in each phase; then the relay's CPU per operation kind ({@link RelayCostMeter}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.securecomm.benchmarks.relay.LoadHarness --abuse [options]
 *   --seconds S     length of each measured phase (default 15)
 *   --attacks LIST  comma-separated: uploads, fan-out, session-starts, forged-firsts, no-pre-keys, join-storm,
 *                   newcomer (default all)
 * </pre>
 *
 * <p>The honest workload: {@value #HONEST} default clients on 127.0.0.1 (room policy {@code verified}, so that
 * their own room-key distribution to the attackers is not part of the measure), talking in pairs: each sends its
 * partner a private message {@value #HONEST_RATE} times a second. The attacks, from 127.0.0.2 and 127.0.0.3:
 * <ul>
 *   <li>{@code uploads}: 128 connections uploading valid pre-keys 19 times a second each, cycling through 4 signed
 *       pre-keys;</li>
 *   <li>{@code fan-out}: 32 connections sending 8 KiB room envelopes to every member (36 with the honest ones), 19
 *       a second each, and reading what they are sent;</li>
 *   <li>{@code session-starts}: 64 connections sending forged pre-key messages to one honest client, 19 a second
 *       each.</li>
 *   <li>{@code forged-firsts}: 64 connections sending one honest client real pre-key messages with one byte of the
 *       ephemeral key flipped (each would cost it an X3DH), 19 a second each: the honest pairs' latency;</li>
 *   <li>{@code no-pre-keys}: 8 members that never upload pre-keys, rejoining under new names every 4 s: the latency
 *       of the room group's public messages;</li>
 *   <li>{@code join-storm}: 64 members (with pre-keys) joining at once: each member of the room group must send each
 *       of them its room key (128 requests at its pace); the latency of the room group's public messages.</li>
 *   <li>{@code newcomer}: 8 members (with pre-keys) that send 33 bundle requests each for every newcomer the moment
 *       it joins (issue 22 item 4: the relay once kept 256 waiting requests per newcomer, for everyone together,
 *       and refused the honest members' at once). In both of its phases, beside the room group, honest default
 *       clients join one after another ({@link NewcomerProbes}); besides the room group's latency it reports the
 *       newcomer probe: the time from a newcomer's {@code connect()} to each room-group member's room key, and
 *       how many newcomers got every one.</li>
 * </ul>
 * The room group: {@value #ROOM} more default clients with the room policy {@code everyone}, each sending a public
 * message {@value #ROOM_RATE} times a second; its latency is the time to each other member's listener.
 * Each attack runs in its own JVM ({@link AttackProcess}), so that neither its writes, which block while the relay
 * holds them back, nor its collections delay or pause the honest clients: what the honest latency measures is the
 * relay (and the machine the three processes share). Before the measured phases, each workload runs once unmeasured
 * (at most {@value #WARM_UP_SECONDS} s), so the baseline is not the JIT's warm-up. Each phase reports the probes
 * received, and this process's CPU and the attackers' beside the relay's, and prints its start (UTC) and its slowest
 * probes, with when each was sent, to standard error. A phase counts only the probes sent in it
 * ({@link ProbeRecorder}): one sent before it that arrives in it (late from the phase before) is left out and counted
 * apart.
 * Bounded: every phase lasts the given seconds, each attack is stopped (its process ended) before the next.
 */
public final class AbuseHarness {
    /** Honest clients. */
    static final int HONEST = 4;
    /**
     * Private messages each honest client sends per second: at 15 s phases, 600 probes a phase, so that the p99 is
     * the sixth slowest probe, not the second of 160 (at 5 a second and 8 s phases): one stall no longer sets it.
     */
    static final int HONEST_RATE = 10;
    /** Members of the honest room group (room policy everyone). */
    static final int ROOM = 3;
    /** Public messages each member of the room group sends per second. */
    static final int ROOM_RATE = 5;
    /** The length of the unmeasured warm-up of each workload, at most. */
    static final int WARM_UP_SECONDS = 5;
    /** One newcomer joins in each slice of this many seconds of a newcomer phase (at least one a phase). */
    static final int NEWCOMER_PERIOD_SECONDS = 2;
    /** The text of the room group's messages that are not probes ({@link #settleRoom}). */
    private static final String UNMEASURED = "unmeasured";
    /** The attack whose phases have the newcomer probe. */
    static final String NEWCOMER_ATTACK = "newcomer";

    /** How many of each phase's slowest probes are printed, with their send times, to standard error. */
    static final int SLOWEST_SHOWN = 5;
    /** A phase's start on standard error, to line it up with GC logs ({@code -Xlog:...:time}). */
    private static final DateTimeFormatter PHASE_START = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final int seconds;
    /** The honest senders and the harness's own waits (the attackers are in their own process). */
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);
    private final List<ChatClient> honest = new ArrayList<>();
    private final List<ChatClient> room = new ArrayList<>();
    private final int[] honestIds = new int[HONEST];
    /** The current phase's probes; replaced at each phase's start. */
    private volatile ProbeRecorder probes = new ProbeRecorder(System.nanoTime(), SLOWEST_SHOWN);
    private final LongAdder refused = new LongAdder();
    private RelayProcess relay;

    /** What the harness measures in a phase. */
    private enum Workload {
        /** The honest pairs' private messages. */
        PAIRS,
        /** The room group's public messages. */
        ROOM,
        /** The room group's public messages, and newcomers joining beside it ({@link NewcomerProbes}). */
        ROOM_AND_NEWCOMERS
    }

    /** What one phase measured. */
    private record Phase(long p50Micros, long p99Micros, long received, long sentBefore, long refused,
            double relayCores, double harnessCores, double attackerCores, Newcomers newcomers) {
        Row row(String attack, boolean attacked) {
            return new Row(attack, attacked, p50Micros, p99Micros, received, sentBefore, refused, relayCores,
                    harnessCores, attackerCores, newcomers);
        }
    }

    private AbuseHarness(int seconds) {
        this.seconds = seconds;
    }

    /**
     * Runs the abuse mode from the command line: {@link #run} and then {@link RelayCostMeter#measureAll}.
     *
     * @param args the options above
     * @throws Exception if the relay or the clients cannot be set up
     */
    public static void main(String[] args) throws Exception {
        int seconds = 15;
        List<String> attacks = ATTACKS;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--attacks" -> attacks = List.of(args[i + 1].split(","));
                default -> {
                    System.err.println("unknown option " + args[i] + "; see the Javadoc of " + AbuseHarness.class);
                    System.exit(2);
                }
            }
        }
        System.out.print(run(seconds, attacks).format());
        System.out.println();
        System.out.print(RelayCostMeter.format(RelayCostMeter.measureAll(1)));
    }

    /** Every attack, in the order the command line runs them by default. */
    public static final List<String> ATTACKS = List.of("uploads", "fan-out", "session-starts", "forged-firsts",
            "no-pre-keys", "join-storm", NEWCOMER_ATTACK);

    /**
     * One measured phase of an abuse run.
     *
     * @param attack the attack whose phases these are
     * @param attacked whether the attack ran during the phase
     * @param p50Micros the honest messages' median latency
     * @param p99Micros their 99th percentile
     * @param received honest messages sent in the phase and received before its end (its last second included)
     * @param sentBefore honest messages sent before the phase (late from the phase before) that arrived in it: left
     *     out of its figures
     * @param refused honest requests that failed: messages the relay refused, and (newcomer attack) room-key
     *     hand-overs to a newcomer that the room group's clients gave up and reported
     * @param relayCores the relay's CPU time over the phase's wall time
     * @param harnessCores this process's (the honest clients' and the harness's) CPU time over the phase's wall time
     * @param attackerCores the attack process's CPU time over the phase's wall time (0 without the attack): with the
     *     harness's, what competes with the relay for the machine's cores
     * @param newcomers the newcomer probe ({@link Newcomers#NONE} but in the newcomer attack's phases)
     */
    public record Row(String attack, boolean attacked, long p50Micros, long p99Micros, long received,
            long sentBefore, long refused, double relayCores, double harnessCores, double attackerCores,
            Newcomers newcomers) {}

    /**
     * The newcomer probe of one phase ({@link NewcomerProbes}): honest default clients joining the room one after
     * another, each measured from its {@code connect()} to each room-group member's room key.
     *
     * @param joined newcomers that tried to join
     * @param withEveryKey those that got every room-group member's key within {@link NewcomerProbes#DEADLINE}
     * @param readEveryMember those that read a public message of every room-group member before they left
     * @param failedJoins those whose connect failed
     * @param keys keys that arrived (at most {@code joined} times the room group)
     * @param p50Micros the keys' median time from the newcomer's join
     * @param p99Micros their 99th percentile
     * @param maxMicros the slowest key
     */
    public record Newcomers(int joined, int withEveryKey, int readEveryMember, int failedJoins, long keys,
            long p50Micros, long p99Micros, long maxMicros) {
        /** No newcomer probe: the phases of the other attacks. */
        public static final Newcomers NONE = new Newcomers(0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * What an abuse run measured: a phase without and one with each attack.
     *
     * @param rows two rows per attack, without first
     */
    public record Result(List<Row> rows) {
        /** Copies the rows. */
        public Result {
            rows = List.copyOf(rows);
        }

        /**
         * Formats the rows as the Markdown table that the command line prints.
         *
         * @return the table
         */
        public String format() {
            StringBuilder table = new StringBuilder("| attack | honest p50 | honest p99 | probes | refused | relay CPU"
                    + " | harness CPU | attackers CPU |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (Row r : rows) {
                table.append(String.format(Locale.ROOT, "| %s: %s | %.1f ms | %.1f ms | %d | %d | %.2f cores"
                        + " | %.2f cores | %.2f cores |%n", r.attack(), r.attacked() ? "with" : "without",
                        r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, r.received(), r.refused(), r.relayCores(),
                        r.harnessCores(), r.attackerCores()));
            }
            if (rows.stream().anyMatch(r -> r.newcomers().joined() > 0)) {
                table.append("\n| attack | newcomers | with every room key | read every member | join to key p50"
                        + " | p99 | slowest | refused |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
                for (Row r : rows) {
                    Newcomers n = r.newcomers();
                    if (n.joined() > 0) {
                        table.append(String.format(Locale.ROOT, "| %s: %s | %d | %d | %d | %.1f ms | %.1f ms"
                                + " | %.1f ms | %d |%n", r.attack(), r.attacked() ? "with" : "without", n.joined(),
                                n.withEveryKey(), n.readEveryMember(), n.p50Micros() / 1000.0,
                                n.p99Micros() / 1000.0, n.maxMicros() / 1000.0, r.refused()));
                    }
                }
            }
            return table.toString();
        }
    }

    /**
     * Runs the honest workload without and with each attack, on a relay started for the run and stopped after it.
     * The pauses between phases scale with the phase length (at 8 s or more: 2 s for an attack to reach its
     * steady state, 2 s or, after a room attack, 15 s for the relay to forget the attackers and the room keys to
     * settle), so that a short run for a smoke test stays short, plus 1 s at each room pause. A departure rotates
     * each room-group member's key only at that member's next public message, which then hands the new key to every
     * reader at once in the chat lane, and can leave the member's pace at the key lane's reserve: so each room pause
     * begins with one unmeasured public message of each member, 1 s after the departures ({@link #settleRoom}), and
     * the rotations they owe are not paid in the next phase. (Without it, the first newcomer of the newcomer attack's
     * phase with the attack, in a room whose 8 attackers are readers too, waited 231 to 337 ms for its keys in every
     * run, against 16 to 59 ms for the others; docs/BENCHMARKS.md.) The newcomer attack has the room pause also after
     * its phase without the attack (its newcomers leave) and after its attackers joined (the room group hands them its
     * keys).
     *
     * @param seconds the length of each measured phase, at least 1
     * @param attacks which attacks, each one of {@link #ATTACKS}
     * @return the phases measured
     * @throws Exception if the relay or the clients cannot be set up
     */
    public static Result run(int seconds, List<String> attacks) throws Exception {
        if (seconds < 1) {
            throw new IllegalArgumentException("a phase lasts at least 1 s: " + seconds);
        }
        for (String attack : attacks) {
            if (!ATTACKS.contains(attack)) {
                throw new IllegalArgumentException("unknown attack " + attack + "; one of " + ATTACKS);
            }
        }
        Duration steady = clamp(Duration.ofMillis(250L * seconds), Duration.ofMillis(500), Duration.ofSeconds(2));
        Duration settle = steady;
        Duration roomSettle = clamp(Duration.ofSeconds(2L * seconds), Duration.ofSeconds(2), Duration.ofSeconds(15));
        AbuseHarness h = new AbuseHarness(seconds);
        List<Row> rows = new ArrayList<>();
        try {
            h.start(attacks.contains(NEWCOMER_ATTACK) ? roomSettle : null);
            for (String attack : attacks) {
                boolean newcomers = attack.equals(NEWCOMER_ATTACK);
                boolean inTheRoom = newcomers || attack.equals("no-pre-keys") || attack.equals("join-storm");
                Workload workload = newcomers ? Workload.ROOM_AND_NEWCOMERS
                        : inTheRoom ? Workload.ROOM : Workload.PAIRS;
                Phase quiet = h.phase(workload, null);
                if (newcomers) {
                    h.settleRoom(roomSettle); // the newcomers left: the room group's rotated keys reach its readers
                }
                Phase attacked;
                try (AttackProcess running = AttackProcess.start(h.relay.port(), attack, h.honestIds)) {
                    if (newcomers) {
                        h.await(roomSettle); // the room group hands its keys to the attackers, who joined
                    } else if (!inTheRoom) {
                        h.await(steady); // the attack reaches its steady state
                    }
                    attacked = h.phase(workload, running);
                }
                rows.add(quiet.row(attack, false));
                rows.add(attacked.row(attack, true));
                if (inTheRoom) {
                    h.settleRoom(roomSettle); // the attackers left: the room group's rotated keys reach its readers
                } else {
                    h.await(settle); // the relay forgets the attackers
                }
            }
        } finally {
            h.stop();
        }
        return new Result(rows);
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    /**
     * Starts the relay and the honest clients, and runs each workload once unmeasured.
     *
     * @param newcomerSettle with the newcomer attack, the pause after its workload's warm-up; else null (no warm-up
     *     of that workload)
     */
    private void start(Duration newcomerSettle) throws Exception {
        relay = RelayProcess.startWithDefaultLimits(256, "1g");
        for (int i = 0; i < HONEST; i++) {
            ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", relay.port())
                    .nickname("honest" + i).trustStore(RelayTrustStore.trustOnFirstUseInMemory())
                    .roomPolicy(RoomPolicy.VERIFIED).build(), new ChatListener() {
                        @Override
                        public void onMessage(ChatMessage message) {
                            if (message.isPrivate()) {
                                record(message.text());
                            }
                        }
                    });
            honest.add(c);
            honestIds[i] = c.connect().get(30, TimeUnit.SECONDS).clientId();
        }
        for (int i = 0; i < ROOM; i++) {
            ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", relay.port())
                    .nickname("room" + i).trustStore(RelayTrustStore.trustOnFirstUseInMemory())
                    .roomPolicy(RoomPolicy.EVERYONE).build(), new ChatListener() {
                        @Override
                        public void onMessage(ChatMessage message) {
                            if (!message.isPrivate() && message.senderNickname().startsWith("room")) {
                                record(message.text());
                            }
                        }

                        @Override
                        public void onRoomKeyNotDelivered(OnlineClient member, MessageRejectedException cause) {
                            // A room-key hand-over to a newcomer that the client gave up on (after its retries of
                            // the requests the relay refused): the newcomer cannot read this member.
                            if (member.nickname().startsWith(NewcomerProbes.NICKNAME_PREFIX)) {
                                refused.increment();
                            }
                        }
                    });
            room.add(c);
            c.connect().get(30, TimeUnit.SECONDS);
        }
        // One message each way first: each pair's session is then established, and later messages are ratchet
        // messages (a pre-key message is sent only until the first reply).
        for (int i = 0; i < HONEST; i++) {
            honest.get(i).sendPrivate(honestIds[partner(i)], "0:" + System.nanoTime()).get(30, TimeUnit.SECONDS);
        }
        await(Duration.ofSeconds(1));
        // Both workloads once, unmeasured: the first measured phase, the baseline, then runs warm as the later ones
        // do, rather than with the relay's and the clients' JIT compilations in it.
        int warmUp = Math.min(seconds, WARM_UP_SECONDS);
        phase(Workload.PAIRS, null, warmUp, "warm-up");
        phase(Workload.ROOM, null, warmUp, "warm-up");
        if (newcomerSettle != null) {
            phase(Workload.ROOM_AND_NEWCOMERS, null, warmUp, "warm-up");
            settleRoom(newcomerSettle);
        }
    }

    /**
     * Records the latency of a probe whose text ends with its send time, {@code n:nanoTime}, in the current phase
     * if it was sent in it.
     */
    private void record(String text) {
        if (text.equals(UNMEASURED)) {
            return;
        }
        long sent = Long.parseLong(text.substring(text.indexOf(':') + 1));
        probes.record(sent, System.nanoTime());
    }

    /**
     * A room pause: once the departures have reached the members, each member of the room group sends one unmeasured
     * public message, so that a rotation of its key that they owe is done now, with its key to every reader, and not
     * at its first message of the next phase; then the pause.
     */
    private void settleRoom(Duration pause) throws Exception {
        await(Duration.ofSeconds(1)); // the departures reach the members first
        for (ChatClient c : room) {
            c.sendPublic(UNMEASURED);
        }
        await(pause);
    }

    /** The honest clients talk in pairs, 0 with 1, 2 with 3: conversations, so their sessions are established. */
    private static int partner(int i) {
        return i ^ 1;
    }

    private void stop() throws Exception {
        timer.shutdownNow();
        honest.forEach(ChatClient::close);
        room.forEach(ChatClient::close);
        if (relay != null) {
            relay.close();
        }
    }

    private void await(Duration d) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        timer.schedule(() -> done.complete(null), d.toMillis(), TimeUnit.MILLISECONDS);
        done.get(d.toSeconds() + 10, TimeUnit.SECONDS);
    }

    /**
     * The honest workload for the phase's seconds: latencies, refusals, and the CPU of the relay, of this process and
     * of the attackers meanwhile.
     *
     * @param workload what is measured
     * @param attackers the attack running meanwhile, or null
     */
    private Phase phase(Workload workload, AttackProcess attackers) throws Exception {
        return phase(workload, attackers, seconds, attackers == null ? "without the attack" : "with the attack");
    }

    /**
     * The honest workload for {@code phaseSeconds}.
     *
     * @param workload what is measured
     * @param attackers the attack running meanwhile, or null
     * @param label what the phase is, for its lines on standard error
     */
    private Phase phase(Workload workload, AttackProcess attackers, int phaseSeconds, String label)
            throws Exception {
        boolean inTheRoom = workload != Workload.PAIRS;
        long relayBefore = relay.cpuNanos();
        long harnessBefore = harnessCpuNanos();
        long attackersBefore = attackers == null ? 0 : attackers.cpuNanos();
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        ProbeRecorder recorder = new ProbeRecorder(start, SLOWEST_SHOWN);
        probes = recorder;
        refused.reset();
        List<ScheduledFuture<?>> senders = new ArrayList<>();
        for (int i = 0; inTheRoom && i < ROOM; i++) {
            ChatClient from = room.get(i);
            AtomicInteger n = new AtomicInteger();
            senders.add(timer.scheduleAtFixedRate(() -> from.sendPublic(n.incrementAndGet() + ":" + System.nanoTime())
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            refused.increment();
                        }
                    }), i * 53L, 1000 / ROOM_RATE, TimeUnit.MILLISECONDS));
        }
        for (int i = 0; !inTheRoom && i < HONEST; i++) {
            ChatClient from = honest.get(i);
            int to = honestIds[partner(i)];
            AtomicInteger n = new AtomicInteger();
            senders.add(timer.scheduleAtFixedRate(() -> from.sendPrivate(to, n.incrementAndGet() + ":"
                    + System.nanoTime()).whenComplete((ok, failure) -> {
                        if (failure != null) {
                            refused.increment();
                        }
                    }), i * 37L, 1000 / HONEST_RATE, TimeUnit.MILLISECONDS));
        }
        NewcomerProbes newcomers = null;
        if (workload == Workload.ROOM_AND_NEWCOMERS) {
            Set<String> members = new HashSet<>();
            for (int i = 0; i < ROOM; i++) {
                members.add("room" + i);
            }
            NewcomerProbes probe = new NewcomerProbes(relay.port(), members, start);
            newcomers = probe;
            // Spread over the phase, each in the middle of its slice, so that the last joins before the phase ends.
            int count = Math.max(1, phaseSeconds / NEWCOMER_PERIOD_SECONDS);
            long sliceMillis = 1000L * phaseSeconds / count;
            for (int k = 0; k < count; k++) {
                timer.schedule(probe::join, k * sliceMillis + sliceMillis / 2, TimeUnit.MILLISECONDS);
            }
        }
        await(Duration.ofSeconds(phaseSeconds));
        senders.forEach(s -> s.cancel(false));
        await(Duration.ofSeconds(1)); // the last messages arrive (later ones are left out of the next phase)
        long harnessAfter = harnessCpuNanos();
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        long relayAfter = relay.cpuNanos();
        long attackersAfter = attackers == null ? 0 : attackers.cpuNanos();
        printSlowest(inTheRoom, label, startedAt, recorder);
        // The newcomers' keys may come after the phase (a starved one waits for its members' retries): they are
        // waited for, up to their deadline, but neither the CPU figures nor the room group's latency include it.
        Newcomers joined = newcomers == null ? Newcomers.NONE : newcomers.finish(label);
        return new Phase(recorder.percentileMicros(50), recorder.percentileMicros(99), recorder.count(),
                recorder.sentBefore(), refused.sum(), (relayAfter - relayBefore) / 1e9 / wallSeconds,
                (harnessAfter - harnessBefore) / 1e9 / wallSeconds,
                (attackersAfter - attackersBefore) / 1e9 / wallSeconds, joined);
    }

    /**
     * Prints the phase's slowest probes to standard error, each with the time it was sent in the phase: whether one
     * stall set the p99 (probes sent together) or many (probes spread over the phase); and how many probes sent
     * before the phase arrived in it (left out of it).
     */
    private static void printSlowest(boolean inTheRoom, String label, Instant startedAt, ProbeRecorder recorder) {
        StringBuilder line = new StringBuilder(inTheRoom ? "room group" : "honest pairs")
                .append(' ').append(label).append(", phase from ")
                .append(PHASE_START.format(startedAt)).append(", slowest probes:");
        for (long[] p : recorder.slowest()) {
            line.append(String.format(Locale.ROOT, " %.1f ms sent at %.2f s;", p[1] / 1000.0, p[0] / 1e6));
        }
        line.append(' ').append(recorder.sentBefore()).append(" sent before the phase arrived in it (left out)");
        System.err.println(line);
    }

    /** This process's CPU time so far. */
    private static long harnessCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
