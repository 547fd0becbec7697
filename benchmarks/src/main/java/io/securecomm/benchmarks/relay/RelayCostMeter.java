package io.securecomm.benchmarks.relay;

import io.securecomm.benchmarks.ChannelBench;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeys;
import io.securecomm.internal.relay.DeliveryOutcome;
import io.securecomm.internal.relay.ProtocolExtension;
import io.securecomm.internal.relay.RelayAction;
import io.securecomm.internal.relay.RelaySession;
import io.securecomm.internal.relay.RelayState;
import io.securecomm.noise.NoiseCipher;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.SecureChannel;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.WorkLimit;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.Ping;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.UploadPreKeys;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Measures the relay's CPU per operation kind, the numbers behind its cost model ({@code internal.relay.CostModel},
 * docs/SECURITY.md "Cost model"): one relay's sessions in this thread, without sockets, each message going the whole
 * way through the relay as a transport record: opened (ChaCha20-Poly1305), decoded, handled by the connection's
 * {@code RelaySession}, and every record it causes encoded and sealed for its recipient. Only the relay's side is
 * timed (the thread's CPU time, the cheapest of {@value #RUNS} runs after a warm-up); the clients' records are sealed
 * beforehand. What it leaves out is the socket: a write
 * system call per record, and Netty's buffers around it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.securecomm.benchmarks.relay.RelayCostMeter [--seconds S]
 * </pre>
 */
public final class RelayCostMeter {
    /** Members online while measuring: a list has this many entries; a room message goes to 36 of them. */
    static final int MEMBERS = 100;
    /** Recipients of the room messages measured. */
    static final int ROOM_RECIPIENTS = 36;

    private final SecureRandom random = new SecureRandom();
    private final RelayState<Conn> relay = new RelayState<>(RelayOptions.builder().maxClients(256)
            // The relay's work, not its limits: with the default allowance, each recipient's share of one sender's
            // room deliveries (RecipientShares) would refuse most of the metered fan-outs after the first hundred.
            .workLimit(WorkLimit.unlimitedForTesting()).build(),
            Clock.systemUTC());
    private final List<Conn> members = new ArrayList<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /**
     * One measured operation kind.
     *
     * @param operation what the client sent
     * @param microsPerOperation the relay's CPU per message, in microseconds
     * @param operations how many were measured
     */
    public record Row(String operation, double microsPerOperation, int operations) {}

    /** A connection: its session, its relay-side channel, and the client's channel that seals what it sends. */
    private final class Conn {
        final RelaySession<Conn> session;
        final SecureChannel clientSide;
        final SecureChannel relaySide;
        final IdentityKeyPair identity;
        final SecureChannel[] peer;

        Conn(String nickname) throws Exception {
            identity = IdentityKeyPair.generate(random);
            try (NoiseKeyPair relayKey = NoiseKeyPair.generate(NoiseDh.X25519, random)) {
                peer = ChannelBench.noiseHandshake(NoiseCipher.CHACHA_POLY, identity.noiseStaticKeyPair(), relayKey,
                        random);
            }
            clientSide = peer[0];
            relaySide = peer[1];
            session = new RelaySession<>(relay, this, Runnable::run, ProtocolExtension.NONE, Instant.now());
            session.handleEstablished(identity.publicKey().agreementKey());
            handle(clientSide.seal(MessageCodec.encode(new ClientHello(nickname, "meter/1"))));
        }

        /** The relay's work for one record from this client: open, decode, handle, carry out. */
        void handle(byte[] record) throws Exception {
            session.handleMessage(MessageCodec.decode(relaySide.open(record)));
            for (RelayAction<Conn> a; (a = session.poll()) != null; ) {
                carryOut(a);
            }
        }

        private void carryOut(RelayAction<Conn> action) {
            if (action instanceof RelayAction.Send<Conn> send) {
                relaySide.seal(MessageCodec.encode(send.message()));
            } else if (action instanceof RelayAction.Forward<Conn> forward) {
                forward.recipient().connection().relaySide.seal(MessageCodec.encode(forward.message()));
                session.handleDeliveryOutcome(forward, DeliveryOutcome.DELIVERED);
            } else if (action instanceof RelayAction.Announce<Conn> announce) {
                byte[] encoded = MessageCodec.encode(announce.message());
                for (RelaySession<Conn> r : announce.recipients()) {
                    r.connection().relaySide.seal(encoded);
                }
            }
        }
    }

    private RelayCostMeter() throws Exception {
        for (int i = 0; i < MEMBERS; i++) {
            members.add(new Conn("member" + i));
        }
        for (Conn c : members) {
            // Answers to announcements were sealed by the relay side only; the members' own uploads:
            c.handle(c.clientSide.seal(MessageCodec.encode(new UploadPreKeys(1, PreKeys.prepareUpload(
                    new InMemoryProtocolStore(c.identity), 100, 6, Clock.systemUTC(), random).encode()))));
        }
    }

    /** Timed runs of each kind; the least disturbed (the cheapest) counts, on a machine shared with others. */
    static final int RUNS = 3;

    /**
     * Measures one operation kind: a warm-up of {@code count} messages, then {@value #RUNS} runs of {@code count}
     * messages from {@code from}, each sealed first, then handed to the relay while the thread's CPU time is taken.
     * The message function sees a running index across all runs.
     */
    private Row measure(String operation, int count, IntFunction<Conn> from, IntFunction<Message> message)
            throws Exception {
        int[] index = {0};
        IntFunction<Message> numbered = i -> message.apply(index[0]++);
        run(count, from, numbered);
        long best = Long.MAX_VALUE;
        for (int r = 0; r < RUNS; r++) {
            best = Math.min(best, run(count, from, numbered));
        }
        return new Row(operation, best / 1000.0 / count, count);
    }

    private long run(int count, IntFunction<Conn> from, IntFunction<Message> message) throws Exception {
        List<Conn> senders = new ArrayList<>(count);
        List<byte[]> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Conn c = from.apply(i);
            senders.add(c);
            records.add(c.clientSide.seal(MessageCodec.encode(message.apply(i))));
        }
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < count; i++) {
            senders.get(i).handle(records.get(i));
        }
        return threads.getCurrentThreadCpuTime() - start;
    }

    private static int[] recipients(int count) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = i + 2; // client ids start at 1; the sender is member 0, id 1
        }
        return ids;
    }

    /** A pairwise ciphertext of this size whose public header is a RatchetMessage's (not a session start). */
    private static byte[] ratchetCiphertext(int bytes) {
        byte[] b = new byte[bytes];
        b[0] = 0x01;
        b[1] = 0x01;
        return b;
    }

    /**
     * Measures every operation kind.
     *
     * @param scale multiplies the number of messages measured per kind (1 is about a second in all)
     * @return one row per kind
     * @throws Exception if a session cannot be set up
     */
    public static List<Row> measureAll(int scale) throws Exception {
        RelayCostMeter m = new RelayCostMeter();
        Conn sender = m.members.get(0);
        IntFunction<Conn> fromSender = i -> sender;
        List<Row> rows = new ArrayList<>();
        rows.add(m.measure("Ping", 20_000 * scale, fromSender, i -> new Ping(i)));
        rows.add(m.measure("ListRequest (" + MEMBERS + " online)", 2_000 * scale, fromSender,
                i -> new ListRequest(i + 1)));
        // Uploads: a signed pre-key never seen before (each message a new one) and one seen before.
        int fresh = 100 * scale;
        List<byte[]> newSpk = new ArrayList<>();
        IdentityKeyPair id = sender.identity;
        SkippingClock clock = new SkippingClock();
        InMemoryProtocolStore store = new InMemoryProtocolStore(id);
        for (int i = 0; i < fresh * (RUNS + 1); i++) {
            clock.skip(PreKeys.SIGNED_PRE_KEY_ROTATION.plusMinutes(1));
            newSpk.add(PreKeys.prepareUpload(store, 0, 0, clock, m.random).encode());
        }
        rows.add(m.measure("UploadPreKeys, new signed pre-key", fresh, fromSender,
                i -> new UploadPreKeys(i + 1, newSpk.get(i))));
        byte[] same = newSpk.get(newSpk.size() - 1);
        rows.add(m.measure("UploadPreKeys, unchanged signed pre-key", 5_000 * scale, fromSender,
                i -> new UploadPreKeys(i + 1, same)));
        // Uploads of 8 one-time ML-KEM pre-keys (a client's replenishment), the signed keys unchanged: each key's
        // signature is verified and its encapsulation key checked, every time.
        int kemUploads = 50 * scale;
        List<byte[]> withKem = new ArrayList<>();
        InMemoryProtocolStore kemStore = new InMemoryProtocolStore(m.members.get(2).identity);
        Clock fixed = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        for (int i = 0; i < kemUploads * (RUNS + 1) + 1; i++) {
            withKem.add(PreKeys.prepareUpload(kemStore, 0, 8, fixed, m.random).encode());
        }
        Conn kemSender = m.members.get(2);
        kemSender.handle(kemSender.clientSide.seal(MessageCodec.encode(new UploadPreKeys(1, withKem.get(0)))));
        rows.add(m.measure("UploadPreKeys, 8 one-time KEM pre-keys", kemUploads, i -> kemSender,
                i -> new UploadPreKeys(i + 2, withKem.get(i + 1))));
        rows.add(m.measure("PreKeyBundleRequest", 2_000 * scale, i -> m.members.get(1 + i % (MEMBERS - 1)),
                i -> new PreKeyBundleRequest(i + 1, 1 + (1 + i / (MEMBERS - 1)) % MEMBERS)));
        rows.add(m.measure("SendEnvelope, 1 KiB", 10_000 * scale, fromSender,
                i -> new SendEnvelope(i + 1, 2, ratchetCiphertext(1024))));
        rows.add(m.measure("SendEnvelope, 8 KiB", 5_000 * scale, fromSender,
                i -> new SendEnvelope(i + 1, 2, ratchetCiphertext(8192))));
        int[] room = recipients(ROOM_RECIPIENTS);
        rows.add(m.measure("SendRoomEnvelope, 1 KiB to " + ROOM_RECIPIENTS, 1_000 * scale, fromSender,
                i -> new SendRoomEnvelope(i + 1, room, new byte[1024])));
        rows.add(m.measure("SendRoomEnvelope, 8 KiB to " + ROOM_RECIPIENTS, 500 * scale, fromSender,
                i -> new SendRoomEnvelope(i + 1, room, new byte[8192])));
        return rows;
    }

    /**
     * Formats rows as a Markdown table, with the per-recipient and per-KiB costs of a room envelope derived from the
     * two room rows.
     *
     * @param rows what {@link #measureAll} returned
     * @return the table
     */
    public static String format(List<Row> rows) {
        StringBuilder out = new StringBuilder("| operation | relay CPU per message |\n| --- | ---: |\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %.1f µs |%n", r.operation(), r.microsPerOperation()));
        }
        Row small = rows.get(rows.size() - 2);
        Row big = rows.get(rows.size() - 1);
        double perKibPerRecipient = (big.microsPerOperation() - small.microsPerOperation()) / 7 / ROOM_RECIPIENTS;
        double perRecipient = small.microsPerOperation() / ROOM_RECIPIENTS - perKibPerRecipient;
        out.append(String.format(Locale.ROOT, "| room envelope, per recipient (derived) | %.1f µs |%n", perRecipient));
        out.append(String.format(Locale.ROOT, "| room envelope, per recipient and KiB (derived) | %.2f µs |%n",
                perKibPerRecipient));
        return out.toString();
    }

    /**
     * Prints the table.
     *
     * @param args {@code --scale N} to measure N times as many messages (default 1)
     * @throws Exception if a session cannot be set up
     */
    public static void main(String[] args) throws Exception {
        int scale = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--scale")) {
                scale = Integer.parseInt(args[i + 1]);
            }
        }
        System.out.print(format(measureAll(scale)));
    }
}
