package io.securecomm.benchmarks.relay;

import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeys;
import io.securecomm.e2e.SessionCipher;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Joined;
import io.securecomm.wire.Message;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.UploadPreKeys;
import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One attack of the abuse mode ({@link AbuseHarness}), run in its own JVM: the attackers' sealing, their blocked
 * writes and their garbage then never pause or delay the honest clients, whose latency is the measure, in the
 * harness's JVM. (In one JVM, the harness's young collections, made frequent by the attackers' 5 MB/s of sealing,
 * stalled the honest probes by 120 to 230 ms.) The attackers still share the machine's cores with the relay and the
 * honest clients, as they would not from another machine: their CPU is reported beside the relay's.
 *
 * <p>The child ({@link #main(String[])}) connects the attack's clients to the relay, starts the attack, prints
 * {@code STARTED}, then answers commands on standard input: {@code CPU} prints {@code CPU <cpuNanos>}, {@code STOP}
 * (or the end of standard input, so it never outlives the harness) stops the attack, closes its connections and
 * exits. It also exits by itself after {@link #MAX_LIFETIME}: every run is bounded.
 */
final class AttackProcess implements AutoCloseable {
    /** Environment variable with extra JVM options for the attackers' JVM only, e.g. a GC log. */
    static final String ATTACKER_JVM_OPTIONS_ENV = "SECURECOMM_ATTACKER_JVM_OPTS";
    /** The longest an attack process lives, whatever the harness does. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    private static final String[] ATTACKER_ADDRESSES = {"127.0.0.2", "127.0.0.3"};

    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;

    private AttackProcess(Process process, BufferedReader out, PrintStream in) {
        this.process = process;
        this.out = out;
        this.in = in;
    }

    /**
     * Starts the child JVM with this JVM's java and class path and waits until its attack runs.
     *
     * @param relayPort the relay's port on 127.0.0.1
     * @param attack one of {@link AbuseHarness#ATTACKS}
     * @param honestIds the honest clients' ids (the first is the victim of the attacks on one client)
     * @return the running attack
     * @throws IOException if the child cannot start or does not report its attack started
     */
    static AttackProcess start(int relayPort, String attack, int[] honestIds) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseG1GC"));
        String extra = System.getenv(ATTACKER_JVM_OPTIONS_ENV);
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AttackProcess.class.getName(),
                Integer.toString(relayPort), attack,
                Arrays.stream(honestIds).mapToObj(Integer::toString).collect(Collectors.joining(","))));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        PrintStream in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String line = out.readLine();
        while (line != null && !line.equals("STARTED") && line.startsWith("[")) {
            line = out.readLine(); // JVM options such as -Xlog may print first
        }
        if (line == null || !line.equals("STARTED")) {
            process.destroyForcibly();
            throw new IOException("attack process " + attack + " did not start: " + line);
        }
        return new AttackProcess(process, out, in);
    }

    /**
     * The attack process's CPU time so far.
     *
     * @return its CPU time (user + system)
     * @throws IOException if the child does not answer
     */
    long cpuNanos() throws IOException {
        in.println("CPU");
        String line = out.readLine();
        if (line == null || !line.startsWith("CPU ")) {
            throw new IOException("attack process answered " + line);
        }
        return Long.parseLong(line.substring(4).trim());
    }

    /** Stops the attack: its connections are closed when the process ends (at most 15 s, then it is killed). */
    @Override
    public void close() {
        in.println("STOP");
        in.close();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * The child's entry point.
     *
     * @param args the relay's port, the attack, the honest clients' ids (comma-separated)
     * @throws Exception if the attack cannot be set up
     */
    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(MAX_LIFETIME.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("attack process: " + MAX_LIFETIME + " passed, exiting");
            Runtime.getRuntime().halt(3);
        }, "lifetime");
        watchdog.setDaemon(true);
        watchdog.start();
        int port = Integer.parseInt(args[0]);
        int[] honestIds = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        Attackers attackers = new Attackers(port, honestIds);
        Attack attack = attackers.start(args[1]);
        System.out.println("STARTED");
        System.out.flush();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = commands.readLine()) != null && !command.equals("STOP")) {
            if (command.equals("CPU")) {
                System.out.println("CPU " + os.getProcessCpuTime());
                System.out.flush();
            }
        }
        attack.stop();
        Runtime.getRuntime().halt(0); // the attackers' threads end with the process
    }

    /** A running attack: its clients, and the scheduled tasks that drive them. */
    private static final class Attack {
        /** The attackers' connections; an attack that replaces them does so under this object's lock. */
        final List<RawClient> clients;
        private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
        /** What the attack did, printed to standard error when it stops; or null. */
        private final Supplier<String> summary;
        private boolean stopped;

        Attack(List<RawClient> clients) {
            this(clients, null);
        }

        Attack(List<RawClient> clients, Supplier<String> summary) {
            this.clients = clients;
            this.summary = summary;
        }

        synchronized void add(ScheduledFuture<?> task) {
            tasks.add(task);
        }

        synchronized boolean stopped() {
            return stopped;
        }

        /** Stops the tasks first, so that none replaces a connection after it is closed, then closes them all. */
        void stop() throws IOException {
            synchronized (this) {
                stopped = true;
                tasks.forEach(t -> t.cancel(false));
            }
            for (RawClient a : clients) {
                a.close();
            }
            if (summary != null) {
                System.err.println(summary.get());
            }
        }
    }

    /** The attacks, as {@link AbuseHarness}'s Javadoc describes them, from 127.0.0.2 and 127.0.0.3. */
    private static final class Attackers {
        private final int port;
        private final int[] honestIds;
        /**
         * The attackers' schedules: their blocking writes stall when the relay stops reading from them (which is the
         * work limit at work).
         */
        private final ScheduledExecutorService attackTimer = Executors.newScheduledThreadPool(4);
        private final ExecutorService readers = Executors.newCachedThreadPool();
        private final SecureRandom random = new SecureRandom();

        Attackers(int port, int[] honestIds) {
            this.port = port;
            this.honestIds = honestIds.clone();
        }

        /** Connects an attack's clients and starts it. */
        Attack start(String name) throws Exception {
            return switch (name) {
                case "uploads" -> uploads();
                case "fan-out" -> fanOut();
                case "session-starts" -> sessionStarts();
                case "forged-firsts" -> forgedFirsts();
                case "no-pre-keys" -> withoutPreKeys();
                case "join-storm" -> joinStorm();
                case AbuseHarness.NEWCOMER_ATTACK -> starveNewcomers();
                default -> throw new IllegalArgumentException("unknown attack " + name);
            };
        }

        private List<RawClient> connect(int count, String prefix, List<IdentityKeyPair> identities)
                throws Exception {
            List<RawClient> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(new RawClient(port, ATTACKER_ADDRESSES[i % 2])
                        .join(prefix + i, identities.get(i).noiseStaticKeyPair()));
            }
            return out;
        }

        private List<IdentityKeyPair> identities(int count) {
            List<IdentityKeyPair> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(IdentityKeyPair.generate(random));
            }
            return ids;
        }

        /** Sends {@code message(k)} from each client 19 times a second until the attack stops. */
        private Attack flood(List<RawClient> clients, BiFunction<Integer, Integer, Message> message) {
            Attack attack = new Attack(clients);
            for (int i = 0; i < clients.size(); i++) {
                RawClient c = clients.get(i);
                int index = i;
                AtomicInteger k = new AtomicInteger();
                attack.add(attackTimer.scheduleAtFixedRate(() -> {
                    try {
                        c.send(message.apply(index, k.incrementAndGet()));
                    } catch (IOException closed) {
                        throw new IllegalStateException("stopped", closed); // ends this client's schedule
                    }
                }, random.nextInt(52), 52, TimeUnit.MILLISECONDS));
            }
            return attack;
        }

        /** Reads and drops whatever each client is sent, so the relay never finds it too slow. */
        private void drain(List<RawClient> clients) {
            for (RawClient c : clients) {
                readers.execute(() -> {
                    try {
                        while (true) {
                            c.receive();
                        }
                    } catch (Exception closed) {
                        // the attack is over
                    }
                });
            }
        }

        private Attack uploads() throws Exception {
            int count = 128;
            List<IdentityKeyPair> ids = identities(count);
            List<List<byte[]>> uploads = new ArrayList<>();
            SkippingClock clock = new SkippingClock();
            for (IdentityKeyPair id : ids) {
                InMemoryProtocolStore store = new InMemoryProtocolStore(id);
                List<byte[]> mine = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    clock.skip(PreKeys.SIGNED_PRE_KEY_ROTATION.plusMinutes(1));
                    mine.add(PreKeys.prepareUpload(store, 0, 0, clock, random).encode());
                }
                uploads.add(mine);
            }
            List<RawClient> clients = connect(count, "up", ids);
            return flood(clients, (i, k) -> new UploadPreKeys(k, uploads.get(i).get(k % 4)));
        }

        private Attack fanOut() throws Exception {
            int count = 32;
            List<RawClient> clients = connect(count, "fan", identities(count));
            int[] everyone = new int[count + honestIds.length];
            for (int i = 0; i < count; i++) {
                everyone[i] = clients.get(i).clientId();
            }
            System.arraycopy(honestIds, 0, everyone, count, honestIds.length);
            drain(clients);
            byte[] eightKib = new byte[8192];
            return flood(clients, (i, k) -> new SendRoomEnvelope(k, withoutSender(everyone,
                    clients.get(i).clientId()), eightKib));
        }

        private static int[] withoutSender(int[] ids, int sender) {
            return Arrays.stream(ids).filter(id -> id != sender).toArray();
        }

        private Attack sessionStarts() throws Exception {
            int count = 64;
            List<RawClient> clients = connect(count, "start", identities(count));
            int victim = honestIds[0];
            Attack attack = flood(clients, (i, k) -> {
                byte[] forged = new byte[300];
                forged[0] = 0x01; // a pre-key message's public header
                forged[1] = 0x02;
                forged[2] = k.byteValue();
                return new SendEnvelope(k, victim, forged);
            });
            drain(clients);
            return attack;
        }

        /**
         * Real pre-key messages to one honest client, each with one byte of its ephemeral key flipped: every one is a
         * new session start that fails only after the victim's X3DH. The victim drops a sender's session starts
         * beyond its allowance unread, and the relay forwards few of them (docs/SECURITY.md 4.2).
         */
        private Attack forgedFirsts() throws Exception {
            int count = 64;
            List<IdentityKeyPair> ids = identities(count);
            List<RawClient> clients = connect(count, "forger", ids);
            int victim = honestIds[0];
            List<byte[]> genuine = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                RawClient c = clients.get(i);
                c.send(new PreKeyBundleRequest(1, victim));
                Message m;
                while (!((m = c.receive()) instanceof PreKeyBundleResponse)) {
                    // Joined, Left, PreKeyCount: not the answer
                }
                SessionCipher cipher = new SessionCipher(
                        new InMemoryProtocolStore(ids.get(i)), "forger" + i, "honest0", random);
                cipher.processPreKeyBundle(PreKeyBundle.decode(((PreKeyBundleResponse) m).bundle()));
                genuine.add(cipher.encrypt(new byte[] {1, 'h', 'i'}));
            }
            drain(clients);
            return flood(clients, (i, k) -> {
                byte[] forged = genuine.get(i).clone();
                forged[2 + 128 + k % 30] ^= (byte) (1 << (k / 30 % 7)); // a new base key each time
                return new SendEnvelope(k, victim, forged);
            });
        }

        /** Members that never upload pre-keys, each replaced by another under a new name every 4 s. */
        private Attack withoutPreKeys() throws Exception {
            int count = 8;
            List<RawClient> clients = new CopyOnWriteArrayList<>(connect(count, "mute", identities(count)));
            drain(clients);
            Attack attack = new Attack(clients);
            AtomicInteger generation = new AtomicInteger();
            attack.add(attackTimer.scheduleAtFixedRate(() -> {
                int g = generation.incrementAndGet();
                synchronized (attack) {
                    if (attack.stopped()) {
                        return;
                    }
                    try {
                        for (int i = 0; i < count; i++) {
                            RawClient old = clients.get(i);
                            old.close();
                            RawClient fresh = new RawClient(port, ATTACKER_ADDRESSES[i % 2])
                                    .join("mute" + g + "x" + i, IdentityKeyPair.generate(random).noiseStaticKeyPair());
                            clients.set(i, fresh);
                            drain(List.of(fresh));
                        }
                    } catch (Exception stopped) {
                        throw new IllegalStateException("stopped", stopped);
                    }
                }
            }, 4, 4, TimeUnit.SECONDS));
            return attack;
        }

        /** 64 members with pre-keys joining at once. */
        private Attack joinStorm() throws Exception {
            int count = 64;
            List<IdentityKeyPair> ids = identities(count);
            List<byte[]> uploads = new ArrayList<>();
            for (IdentityKeyPair id : ids) {
                uploads.add(PreKeys.prepareUpload(new InMemoryProtocolStore(id), 5, 2, Clock.systemUTC(), random)
                        .encode());
            }
            List<Future<RawClient>> joins = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                joins.add(readers.submit(() -> {
                    RawClient c = new RawClient(port, ATTACKER_ADDRESSES[index % 2])
                            .join("storm" + index, ids.get(index).noiseStaticKeyPair());
                    c.send(new UploadPreKeys(1, uploads.get(index)));
                    return c;
                }));
            }
            List<RawClient> clients = new ArrayList<>();
            for (var j : joins) {
                clients.add(j.get(30, TimeUnit.SECONDS));
            }
            drain(clients);
            return new Attack(clients);
        }

        /**
         * Eight members with pre-keys that, the moment a newcomer joins (its {@code Joined}), each send 33 bundle
         * requests for it (issue 22 item 4): 264 requests, where the relay once kept 256 waiting for a newcomer's
         * upload for all requesters together and refused the rest, an honest member's among them. The relay now
         * keeps 3 per requester and refuses each attacker's others. Counted, and printed when the attack stops.
         */
        private Attack starveNewcomers() throws Exception {
            int count = 8;
            int requestsEach = 33;
            List<IdentityKeyPair> ids = identities(count);
            List<RawClient> clients = connect(count, "starver", ids);
            for (int i = 0; i < count; i++) {
                clients.get(i).send(new UploadPreKeys(1, PreKeys.prepareUpload(new InMemoryProtocolStore(ids.get(i)),
                        20, 2, Clock.systemUTC(), random).encode()));
            }
            Set<Integer> newcomers = ConcurrentHashMap.newKeySet();
            LongAdder asked = new LongAdder();
            LongAdder bundles = new LongAdder();
            LongAdder rateLimited = new LongAdder();
            LongAdder otherErrors = new LongAdder();
            for (RawClient c : clients) {
                AtomicLong requestIds = new AtomicLong(1);
                readers.execute(() -> {
                    try {
                        while (true) {
                            Message m = c.receive();
                            if (m instanceof Joined j
                                    && j.client().nickname().startsWith(NewcomerProbes.NICKNAME_PREFIX)) {
                                int newcomer = j.client().clientId();
                                newcomers.add(newcomer);
                                // Sent from another thread, so that this one keeps reading while the writes block.
                                attackTimer.execute(() -> {
                                    try {
                                        for (int k = 0; k < requestsEach; k++) {
                                            c.send(new PreKeyBundleRequest(requestIds.incrementAndGet(), newcomer));
                                            asked.increment();
                                        }
                                    } catch (IOException closed) {
                                        // the attack is over
                                    }
                                });
                            } else if (m instanceof PreKeyBundleResponse) {
                                bundles.increment();
                            } else if (m instanceof ErrorReply e) {
                                (e.code() == ErrorCode.RATE_LIMITED ? rateLimited : otherErrors).increment();
                            }
                        }
                    } catch (Exception closed) {
                        // the attack is over
                    }
                });
            }
            return new Attack(clients, () -> String.format(Locale.ROOT, "attack newcomer: %d connections asked for"
                    + " the bundles of %d newcomers %d times: %d bundles handed out, %d requests refused"
                    + " (RATE_LIMITED), %d other errors", count, newcomers.size(), asked.sum(), bundles.sum(),
                    rateLimited.sum(), otherErrors.sum()));
        }
    }
}
