package io.securecomm.internal.noise;

import io.securecomm.SecureCommException;
import io.securecomm.noise.HandshakeAction;
import io.securecomm.noise.HandshakeException;
import io.securecomm.noise.HandshakeState;
import io.securecomm.noise.NoiseCipher;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.NoiseMessageTooLargeException;
import io.securecomm.noise.SecureChannel;
import io.securecomm.noise.SecurecommNoise;
import io.securecomm.wire.FrameEncoder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One connection's Noise layer, without I/O: wire protocol v1's handshake ({@link SecurecommNoise}'s profile:
 * {@code Noise_XX_25519_ChaChaPoly_SHA256} or, negotiated or configured ({@link HopCipher}),
 * {@code Noise_XX_25519_AESGCM_SHA256}; prologue {@code securecomm/1}; message 1's payload a {@link CipherOffer} or
 * empty, the others empty), then transport records. Inbound frames are handshake messages until the split, then
 * records; outbound plaintexts are sealed straight into a caller's array behind their frame's length prefix:
 *
 * <pre>
 * +--------+--------+----------------------------------+-----------+
 * | length (2 bytes)| ciphertext (plaintext's length)  | tag (16)  |
 * +--------+--------+----------------------------------+-----------+
 *           length = ciphertext + tag
 * </pre>
 *
 * <p>The cipher is negotiated in message 1 ({@link HandshakeState#restartAs}): the client writes it once, with its
 * offer, and holds one handshake per cipher it could end up on; the relay reads it, picks, and restarts its handshake
 * under the pick; the client keeps whichever of its handshakes can read message 2, trying the offered ciphers first
 * and ChaChaPoly last (a relay that ignores offers answers on ChaChaPoly).
 *
 * <p>The peer's static key is checked ({@link RemoteStaticCheck}) as soon as the handshake has authenticated it, before
 * this side sends its next handshake message. Any failure (a {@link SecureCommException}) leaves the connection
 * permanently failed: later frames are ignored and nothing more is sealed.
 *
 * <p>Not thread-safe: confined to the connection's thread.
 */
public final class NoiseConnection implements AutoCloseable {
    /** The frame's length prefix ({@link FrameEncoder}), written in front of each sealed record. */
    public static final int FRAME_HEADER_BYTES = FrameEncoder.LENGTH_FIELD_BYTES;
    private static final byte[] EMPTY = new byte[0];

    /** Checks the peer's static key during the handshake (the client pins the relay's key here). */
    @FunctionalInterface
    public interface RemoteStaticCheck {
        /**
         * Checks the key.
         *
         * @param remoteStaticPublicKey the peer's static public key, authenticated by the handshake
         * @throws SecureCommException to abort the handshake
         */
        void check(byte[] remoteStaticPublicKey) throws SecureCommException;
    }

    private final HopCipher mode;
    private final boolean aesInstructions;
    private final RemoteStaticCheck remoteStaticCheck;
    private HandshakeState handshake;
    // The client's handshakes on the ciphers it offered, tried on message 2 before `handshake`; empty otherwise.
    private List<HandshakeState> offered = List.of();
    // Whether message 1 was written (client) or read (relay): the one message that carries the offer.
    private boolean firstMessageDone;
    private SecureChannel channel;
    private byte[] remoteStaticPublicKey;
    private byte[] handshakeHash;
    private boolean remoteChecked;
    private boolean failed;

    /**
     * Creates the Noise layer of one connection, before its handshake, choosing the cipher as
     * {@link HopCipher#configured()} says (negotiated unless configured).
     *
     * @param initiator {@code true} for the client, {@code false} for the relay
     * @param localStatic this side's static key pair, borrowed: the caller keeps it open while the connection lives
     * @param remoteStaticCheck called once with the peer's static key as soon as it is known and authenticated
     * @throws IllegalStateException if {@link HopCipher#PROPERTY} names no mode
     */
    public NoiseConnection(boolean initiator, NoiseKeyPair localStatic, RemoteStaticCheck remoteStaticCheck) {
        this(initiator, HopCipher.configured(), HopCipher.aesInstructions(), localStatic, remoteStaticCheck);
    }

    /**
     * Creates the Noise layer of one connection in a given mode, before its handshake.
     *
     * @param initiator {@code true} for the client, {@code false} for the relay
     * @param mode how the cipher is chosen
     * @param aesInstructions whether this side counts as having AES instructions ({@link HopCipher#aesInstructions()}
     *     in production; tests choose)
     * @param localStatic this side's static key pair, borrowed: the caller keeps it open while the connection lives
     * @param remoteStaticCheck called once with the peer's static key as soon as it is known and authenticated
     */
    public NoiseConnection(boolean initiator, HopCipher mode, boolean aesInstructions, NoiseKeyPair localStatic,
            RemoteStaticCheck remoteStaticCheck) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.aesInstructions = aesInstructions;
        // A SecureRandom per handshake, for its ephemeral key, as HandshakeState makes when given none.
        this.handshake = initiator
                ? SecurecommNoise.client(mode.first(), localStatic, new SecureRandom())
                : SecurecommNoise.server(mode.first(), localStatic, new SecureRandom());
        this.remoteStaticCheck = Objects.requireNonNull(remoteStaticCheck, "remoteStaticCheck");
    }

    /**
     * Moves the handshake on as far as this side can: checks the peer's key once it is known, makes this side's
     * messages while it is this side's turn, and splits at the end. Call it at the start and after each handshake
     * message read.
     *
     * @return the handshake messages to write now, in order (none when it is the peer's turn, or the connection
     *     failed)
     * @throws SecureCommException if the peer's key is refused or the handshake fails; the connection is failed
     */
    public List<byte[]> advance() throws SecureCommException {
        if (failed) {
            return List.of();
        }
        List<byte[]> toWrite = new ArrayList<>(1);
        try {
            if (!remoteChecked && handshake.hasRemoteStaticPublicKey()) {
                remoteChecked = true;
                remoteStaticCheck.check(handshake.remoteStaticPublicKey());
            }
            while (handshake.action() == HandshakeAction.WRITE_MESSAGE) {
                toWrite.add(writeNext());
            }
            if (handshake.action() == HandshakeAction.SPLIT) {
                remoteStaticPublicKey = handshake.remoteStaticPublicKey();
                handshakeHash = handshake.handshakeHash();
                channel = handshake.split();
                handshake.close();
            }
            return toWrite;
        } catch (SecureCommException e) {
            failed = true;
            throw e;
        }
    }

    /**
     * One inbound frame: a handshake message while the handshake runs (then {@link #advance()}), a record after.
     *
     * @param frame the frame's payload
     * @return the record's plaintext, or {@code null} for a handshake message (or any frame of a failed connection)
     * @throws SecureCommException if the frame is a handshake message out of turn, or fails to authenticate; the
     *     connection is failed
     */
    public byte[] read(byte[] frame) throws SecureCommException {
        if (failed) {
            return null;
        }
        try {
            if (channel != null) {
                return channel.open(frame);
            }
            if (handshake.action() != HandshakeAction.READ_MESSAGE) {
                throw new HandshakeException(HandshakeException.Reason.UNEXPECTED_MESSAGE,
                        "received a handshake message while expecting to " + handshake.action(), null);
            }
            if (!offered.isEmpty()) {
                readFirstThatAuthenticates(frame);
            } else {
                byte[] payload = handshake.readMessage(frame);
                if (!firstMessageDone && !handshake.isInitiator()) {
                    firstMessageDone = true;
                    if (mode == HopCipher.AUTO) {
                        pick(payload);
                    }
                }
            }
            return null;
        } catch (SecureCommException e) {
            failed = true;
            throw e;
        }
    }

    /** Writes this side's next handshake message: message 1 carries the client's offer, which it then keeps. */
    private byte[] writeNext() throws SecureCommException {
        if (firstMessageDone) {
            return handshake.writeMessage(EMPTY);
        }
        firstMessageDone = true;
        List<NoiseCipher> offer = mode.offer(aesInstructions);
        byte[] message = handshake.writeMessage(CipherOffer.encode(offer));
        List<HandshakeState> alternatives = new ArrayList<>(offer.size());
        for (NoiseCipher cipher : offer) {
            if (cipher != handshake.protocol().cipher()) {
                alternatives.add(handshake.restartAs(SecurecommNoise.protocol(cipher)));
            }
        }
        offered = alternatives;
        return message;
    }

    /** The relay, after message 1: restarts the handshake under the cipher it picks from the offer. */
    private void pick(byte[] payload) throws SecureCommException {
        NoiseCipher picked = mode.pick(CipherOffer.decode(payload), aesInstructions);
        if (picked != handshake.protocol().cipher()) {
            HandshakeState restarted = handshake.restartAs(SecurecommNoise.protocol(picked));
            handshake.close();
            handshake = restarted;
        }
    }

    /**
     * The client, at message 2 after an offer: the first of its handshakes that reads the message is the relay's
     * pick, tried in the offer's order and ChaChaPoly last; the others are closed. If none can, the last one's
     * failure is thrown, with the others' suppressed in it.
     */
    private void readFirstThatAuthenticates(byte[] frame) throws SecureCommException {
        List<HandshakeState> candidates = new ArrayList<>(offered);
        candidates.add(handshake);
        offered = List.of();
        List<SecureCommException> failures = new ArrayList<>(candidates.size());
        HandshakeState winner = null;
        for (HandshakeState candidate : candidates) {
            if (winner != null) {
                candidate.close();
                continue;
            }
            try {
                candidate.readMessage(frame);
                winner = candidate;
            } catch (SecureCommException e) {
                candidate.close();
                failures.add(e);
            }
        }
        if (winner == null) {
            SecureCommException last = failures.remove(failures.size() - 1);
            failures.forEach(last::addSuppressed);
            throw last;
        }
        handshake = winner;
    }

    /**
     * The hop's cipher: the one the handshake runs on now, and after the handshake the one the session uses (the
     * client learns it from message 2).
     *
     * @return the cipher
     */
    public NoiseCipher cipher() {
        return handshake.protocol().cipher();
    }

    /**
     * Whether records can be sealed: the handshake completed and nothing failed.
     *
     * @return {@code true} once the secure channel exists, until a failure
     */
    public boolean canSeal() {
        return channel != null && !failed;
    }

    /**
     * The length of one framed record for a plaintext of {@code plaintextLength} bytes, checked before anything is
     * allocated for it.
     *
     * @param plaintextLength the plaintext's length
     * @return the bytes {@link #sealFramed} writes
     * @throws NoiseMessageTooLargeException if the plaintext is longer than a transport message allows
     */
    public static int framedLength(int plaintextLength) {
        if (plaintextLength > SecureChannel.MAX_PLAINTEXT_SIZE_BYTES) {
            throw new NoiseMessageTooLargeException("a plaintext of " + plaintextLength + " bytes exceeds the "
                    + SecureChannel.MAX_PLAINTEXT_SIZE_BYTES + "-byte limit of a Noise transport message; split it");
        }
        return FRAME_HEADER_BYTES + plaintextLength + NoiseCipher.TAG_SIZE_BYTES;
    }

    /**
     * Seals one record into {@code out} at {@code outOff}, its 2-byte frame length first: no intermediate arrays.
     *
     * @param in the plaintext's array
     * @param inOff where the plaintext starts
     * @param inLen the plaintext's length
     * @param out the array to write into, with {@link #framedLength framedLength(inLen)} bytes free at {@code outOff}
     * @param outOff where the frame starts
     * @return the bytes written
     * @throws IllegalStateException if records cannot be sealed ({@link #canSeal()})
     * @throws NoiseMessageTooLargeException if the plaintext is too long
     */
    public int sealFramed(byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        if (!canSeal()) {
            throw new IllegalStateException("no secure channel: the handshake has not completed");
        }
        int recordLength = framedLength(inLen) - FRAME_HEADER_BYTES;
        out[outOff] = (byte) (recordLength >>> 8);
        out[outOff + 1] = (byte) recordLength;
        return FRAME_HEADER_BYTES + channel.seal(in, inOff, inLen, out, outOff + FRAME_HEADER_BYTES);
    }

    /**
     * Whether the handshake completed.
     *
     * @return {@code true} once the secure channel exists
     */
    public boolean isEstablished() {
        return channel != null;
    }

    /**
     * The peer's static public key, as the handshake authenticated it.
     *
     * @return a copy, or {@code null} before the handshake completed
     */
    public byte[] remoteStaticPublicKey() {
        return remoteStaticPublicKey == null ? null : remoteStaticPublicKey.clone();
    }

    /**
     * The handshake hash {@code h}, which identifies the session.
     *
     * @return a copy, or {@code null} before the handshake completed
     */
    public byte[] handshakeHash() {
        return handshakeHash == null ? null : handshakeHash.clone();
    }

    /**
     * Marks the connection failed for a reason outside it (its handshake timed out): nothing more is read or sealed.
     */
    public void fail() {
        failed = true;
    }

    /** Wipes the handshake's and the channel's keys (best effort on the JVM). */
    @Override
    public void close() {
        handshake.close();
        offered.forEach(HandshakeState::close);
        if (channel != null) {
            channel.close();
        }
    }
}
