package io.securecomm.internal.relay;

import io.securecomm.internal.limits.Cost;
import io.securecomm.wire.ListPageRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendPublic;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.SendToAccount;
import io.securecomm.wire.UploadPreKeys;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The relay's cost model (docs/SECURITY.md, "Cost model"): what each message a client sends will cost the relay's
 * CPU, in microseconds, estimated before the relay does the work, so that the limits bound work rather than
 * messages. The constants are the relay's CPU per operation kind as {@code benchmarks}' {@code RelayCostMeter}
 * measured it (rounded up), for the whole path of a message through the relay: the transport record opened, the
 * message decoded and handled, and every record it causes sealed and written.
 *
 * <pre>
 *   every message         MESSAGE + PER_KIB x KiB received
 *   ListRequest           + PER_KIB x KiB of the list (136 bytes per online client)
 *   UploadPreKeys         + PRE_KEY x one-time curve pre-keys + (KEM_PRE_KEY + VERIFY) x one-time KEM pre-keys,
 *                           + 3 x VERIFY unless its signed part (identity, signed curve pre-key, last-resort KEM
 *                           pre-key) was verified before (the identity's binding and the two signed pre-keys)
 *   PreKeyBundleRequest   + BUNDLE
 *   SendEnvelope          + FORWARD + DELIVERY_PER_KIB x KiB
 *   SendRoomEnvelope      + recipients x (FORWARD + DELIVERY_PER_KIB x KiB)
 * </pre>
 *
 * The meter has no socket. A delivery to another connection costs more than its sealing: a task on the recipient's
 * event loop, a write system call, the buffers of the record (garbage to collect), and the sealing itself, done by the
 * JDK's ChaCha20-Poly1305 on the recipient's loop while other loops compete for the same cores. Under the load
 * harness's fan-out attack (issue 22) a flight recording of the relay put 55% of its CPU in sealing the deliveries,
 * and the process spent 0.53 cores delivering what the model, at 10 + 8 per KiB, had charged as 0.2: so
 * {@link #FORWARD_MICROS} and {@link #DELIVERY_PER_KIB_MICROS} are set from the process's measure (286
 * microseconds per 8 KiB delivery, about 2.7 times the old charge, with a margin for a loaded machine), and an
 * address's work allowance bounds the relay CPU it really causes: 0.15 to 0.21 cores measured for the attack's two
 * addresses, charged 0.2.
 *
 * <p>Thread-safe: it only reads the room's size and the pre-key directory's memory of verified signatures.
 */
public final class CostModel {
    /** Any message: its record opened, decoded, dispatched, and one small reply sealed. */
    public static final long MESSAGE_MICROS = 4;
    /** Each KiB of a record opened or sealed (ChaCha20-Poly1305 and the copies around it). */
    public static final long PER_KIB_MICROS = 3;
    /** The bytes of one {@code ClientList} entry with the longest nickname: id, nickname, key and their lengths. */
    static final long LIST_ENTRY_BYTES = 136;
    /** Each one-time pre-key of an upload: decoded, checked (canonical, not of small order), stored. */
    public static final long PRE_KEY_MICROS = 1;
    /**
     * Each one-time ML-KEM pre-key of an upload, besides its signature: decoded, its 1568-byte key put through FIPS
     * 203's modulus check, stored.
     */
    public static final long KEM_PRE_KEY_MICROS = 20;
    /**
     * Verifying one Ed25519 signature in the JDK (an upload's identity binding, its signed curve pre-key, its
     * last-resort KEM pre-key, each of its one-time KEM pre-keys).
     */
    public static final long VERIFY_MICROS = 550;
    /** Handing out one bundle, and telling its owner how many one-time pre-keys are left. */
    public static final long BUNDLE_MICROS = 10;
    /** Each recipient of a forwarded message: the task on its event loop, the write, and the outcome. */
    public static final long FORWARD_MICROS = 30;
    /** Each KiB delivered to each recipient: sealed, copied, written, collected (the relay process's measure). */
    public static final long DELIVERY_PER_KIB_MICROS = 32;

    private final PublicRoom<?> room;
    private final PreKeyDirectory preKeys;

    /**
     * Creates the model of one relay.
     *
     * @param room the public room (the size of its member list, a public message's recipients)
     * @param preKeys the pre-keys (whether an upload's signatures were verified before)
     */
    public CostModel(PublicRoom<?> room, PreKeyDirectory preKeys) {
        this.room = Objects.requireNonNull(room, "room");
        this.preKeys = Objects.requireNonNull(preKeys, "preKeys");
    }

    /**
     * What a message from a client will cost.
     *
     * @param message the message, decoded
     * @return its cost; {@link Cost#FREE} for the hello and the goodbye
     */
    public Cost of(Message message) {
        return switch (message.type()) {
            case CLIENT_HELLO, ACCOUNT_HELLO, BYE -> Cost.FREE;
            // Not a request of the rate limit: a client acknowledges as fast as the relay sends stored messages.
            case ACK_STORED -> new Cost(MESSAGE_MICROS, false, false);
            case LIST_REQUEST -> Cost.request(MESSAGE_MICROS + kib(room.size() * LIST_ENTRY_BYTES));
            // A page is a sorted look-up and its entries, whatever the number online.
            case LIST_PAGE_REQUEST -> Cost.request(MESSAGE_MICROS
                    + kib((long) ((ListPageRequest) message).maxEntries() * LIST_ENTRY_BYTES));
            case UPLOAD_PRE_KEYS -> {
                byte[] encoded = ((UploadPreKeys) message).preKeys();
                PreKeyDirectory.Remaining keys = PreKeyDirectory.oneTimeKeysIn(encoded);
                long work = MESSAGE_MICROS + kib(encoded.length) + PRE_KEY_MICROS * keys.oneTime()
                        + (KEM_PRE_KEY_MICROS + VERIFY_MICROS) * keys.oneTimeKem()
                        + (preKeys.needsVerification(encoded) ? 3 * VERIFY_MICROS : 0);
                yield new Cost(work, true, true);
            }
            case PRE_KEY_BUNDLE_REQUEST, ACCOUNT_BUNDLE_REQUEST -> Cost.request(MESSAGE_MICROS + BUNDLE_MICROS);
            case SEND_TO_ACCOUNT -> Cost.request(forwarded(((SendToAccount) message)
                    .ciphertext().length, 1));
            case SEND_ENVELOPE -> Cost.request(forwarded(((SendEnvelope) message).ciphertext().length, 1));
            case SEND_ROOM_ENVELOPE -> {
                SendRoomEnvelope room = (SendRoomEnvelope) message;
                yield Cost.request(forwarded(room.ciphertext().length, room.recipientIds().length));
            }
            case SEND_PUBLIC -> Cost.request(forwarded(utf8(((SendPublic) message).text()),
                    Math.max(0, room.size() - 1)));
            case SEND_PRIVATE -> Cost.request(forwarded(utf8(((SendPrivate) message).text()), 1));
            default -> Cost.request(MESSAGE_MICROS);
        };
    }

    /**
     * What delivering a message of so many bytes to one recipient costs the relay: the part of a forwarded message's
     * cost that each recipient adds.
     *
     * @param bytes the size of the forwarded payload, at least 0
     * @return the work of one delivery, in microseconds
     */
    public static long deliveryMicros(int bytes) {
        return FORWARD_MICROS + ((long) bytes * DELIVERY_PER_KIB_MICROS + 1023) / 1024;
    }

    /** A message of {@code bytes} received once and written to {@code recipients} connections. */
    private static long forwarded(int bytes, int recipients) {
        return MESSAGE_MICROS + kib(bytes) + (long) recipients * deliveryMicros(bytes);
    }

    /** The per-KiB work of so many bytes, rounded up to whole microseconds. */
    private static long kib(long bytes) {
        return (bytes * PER_KIB_MICROS + 1023) / 1024;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
