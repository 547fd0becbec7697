package io.securecomm.noise;

import io.securecomm.crypto.AeadAuthenticationException;
import java.util.Objects;

/**
 * The transport phase of a Noise session (revision 34, section 5): seals and opens records with the two
 * cipher states that {@link HandshakeState#split()} derived, sans I/O.
 *
 * <p>Each record is one Noise transport message, {@code ENCRYPT(k, n, zerolen, plaintext)}:
 *
 * <pre>
 *  +-----------------------------+------------------+
 *  | ciphertext (plaintext size) | tag, 16 bytes    |
 *  +-----------------------------+------------------+
 *  at most 65535 bytes in all; the nonce n is implicit: 0, 1, 2, ... per direction
 * </pre>
 *
 * <p>Security: records must be opened in exactly the order they were sealed. A forged, altered, replayed,
 * reordered or truncated record fails with {@link SecureChannelException}, and the channel is then
 * <em>poisoned</em>: its keys are dropped and every later call throws {@link IllegalStateException}. There
 * is no way to skip or retry a record. {@link #rekeyOutbound()} and {@link #rekeyInbound()} apply Noise's
 * {@code Rekey()} to one direction; both sides must rekey at the same point of the stream, by a rule of the
 * application protocol.
 *
 * <p>For one-way patterns only the initiator seals and only the responder opens.
 *
 * <p>A secret: {@link #close()} drops the keys. Not thread-safe; confine to one thread or event loop.
 */
public final class SecureChannel implements AutoCloseable {
    /** The largest record, in bytes: the Noise message limit. */
    public static final int MAX_RECORD_SIZE_BYTES = NoiseMessageTooLargeException.MAX_MESSAGE_SIZE_BYTES;
    /** The largest plaintext a record can carry, in bytes: the record limit minus the tag. */
    public static final int MAX_PLAINTEXT_SIZE_BYTES = MAX_RECORD_SIZE_BYTES - NoiseCipher.TAG_SIZE_BYTES;

    private static final byte[] NO_AD = new byte[0];

    private final NoiseProtocol protocol;
    private final boolean initiator;
    private final CipherState outbound;
    private final CipherState inbound;
    private final byte[] handshakeHash;
    private final byte[] remoteStatic;
    private boolean poisoned;
    private boolean closed;

    SecureChannel(NoiseProtocol protocol, boolean initiator, CipherState outbound, CipherState inbound,
            byte[] handshakeHash, byte[] remoteStatic) {
        this.protocol = protocol;
        this.initiator = initiator;
        this.outbound = outbound;
        this.inbound = inbound;
        this.handshakeHash = handshakeHash.clone();
        this.remoteStatic = remoteStatic == null ? null : remoteStatic.clone();
    }

    /**
     * Encrypts one record with the next outbound nonce.
     *
     * @param plaintext at most {@value #MAX_PLAINTEXT_SIZE_BYTES} bytes; may be empty
     * @return the record: ciphertext and 16-byte tag
     * @throws NoiseMessageTooLargeException if the plaintext is too large (nothing changes)
     * @throws NonceExhaustedException if {@code 2^64-1} records were sent in this direction
     * @throws IllegalStateException if the channel is poisoned or closed, or this side of a one-way pattern
     *     cannot send
     */
    public byte[] seal(byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] record = new byte[Math.min(plaintext.length, MAX_PLAINTEXT_SIZE_BYTES) + NoiseCipher.TAG_SIZE_BYTES];
        seal(plaintext, 0, plaintext.length, record, 0); // checks the limit before writing
        return record;
    }

    /**
     * Encrypts one record into a caller's buffer, without allocating: the hot-path variant of
     * {@link #seal(byte[])}. Input and output may be the same array only in place ({@code inOff == outOff},
     * with room for the tag after the plaintext).
     *
     * @param in the array holding the plaintext
     * @param inOff where the plaintext starts
     * @param inLen the plaintext length, at most {@value #MAX_PLAINTEXT_SIZE_BYTES}
     * @param out receives the record, {@code inLen + 16} bytes
     * @param outOff where to write
     * @return the record length, {@code inLen + 16}
     * @throws NoiseMessageTooLargeException if the plaintext is too large (nothing changes)
     * @throws NonceExhaustedException if {@code 2^64-1} records were sent in this direction
     * @throws IllegalStateException if the channel is poisoned or closed, or this side of a one-way pattern
     *     cannot send
     * @throws IndexOutOfBoundsException if a range is out of bounds
     */
    public int seal(byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        requireUsable();
        if (outbound == null) {
            throw new IllegalStateException("the responder of one-way pattern " + protocol.patternName()
                    + " cannot send");
        }
        if (inLen > MAX_PLAINTEXT_SIZE_BYTES) {
            throw new NoiseMessageTooLargeException("a plaintext of " + inLen + " bytes exceeds the "
                    + MAX_PLAINTEXT_SIZE_BYTES + "-byte limit of a Noise transport message; split it");
        }
        return outbound.encryptWithAd(NO_AD, in, inOff, inLen, out, outOff);
    }

    /**
     * Decrypts the next record. Any failure poisons the channel.
     *
     * @param record the record as {@link #seal(byte[])} produced it on the other side
     * @return the plaintext
     * @throws SecureChannelException if the record is too short, too large or does not authenticate under
     *     the next inbound nonce (forged, altered, replayed, reordered or truncated)
     * @throws IllegalStateException if the channel is poisoned or closed, or this side of a one-way pattern
     *     cannot receive
     */
    public byte[] open(byte[] record) throws SecureChannelException {
        Objects.requireNonNull(record, "record");
        byte[] plaintext = new byte[Math.max(0, Math.min(record.length, MAX_RECORD_SIZE_BYTES)
                - NoiseCipher.TAG_SIZE_BYTES)];
        open(record, 0, record.length, plaintext, 0);
        return plaintext;
    }

    /**
     * Decrypts the next record into a caller's buffer, without allocating: the hot-path variant of
     * {@link #open(byte[])}. Input and output may be the same array only in place ({@code inOff == outOff}).
     * Any failure poisons the channel, and leaves no unauthenticated plaintext in {@code out}.
     *
     * @param in the array holding the record
     * @param inOff where the record starts
     * @param inLen the record length
     * @param out receives the plaintext, {@code inLen - 16} bytes
     * @param outOff where to write
     * @return the plaintext length
     * @throws SecureChannelException if the record is too short, too large or does not authenticate under
     *     the next inbound nonce (forged, altered, replayed, reordered or truncated)
     * @throws IllegalStateException if the channel is poisoned or closed, or this side of a one-way pattern
     *     cannot receive
     * @throws IndexOutOfBoundsException if a range is out of bounds (the channel is then poisoned too)
     */
    public int open(byte[] in, int inOff, int inLen, byte[] out, int outOff) throws SecureChannelException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        requireUsable();
        if (inbound == null) {
            throw new IllegalStateException("the initiator of one-way pattern " + protocol.patternName()
                    + " cannot receive");
        }
        if (inLen > MAX_RECORD_SIZE_BYTES) {
            throw poison(SecureChannelException.Reason.RECORD_TOO_LARGE, "record of " + inLen
                    + " bytes exceeds the Noise limit of " + MAX_RECORD_SIZE_BYTES, null);
        }
        if (inLen < NoiseCipher.TAG_SIZE_BYTES) {
            throw poison(SecureChannelException.Reason.RECORD_TOO_SHORT, "record of " + inLen
                    + " bytes is shorter than the " + NoiseCipher.TAG_SIZE_BYTES + "-byte tag", null);
        }
        long n = inbound.nonce();
        try {
            return inbound.decryptWithAd(NO_AD, in, inOff, inLen, out, outOff);
        } catch (AeadAuthenticationException ex) {
            throw poison(SecureChannelException.Reason.AUTHENTICATION_FAILED, "record " + Long.toUnsignedString(n)
                    + " did not authenticate (forged, altered, replayed, reordered or truncated)", ex);
        } catch (RuntimeException ex) {
            poisoned = true;
            dropKeys();
            throw ex;
        }
    }

    /**
     * Applies {@code Rekey()} to the outbound cipher state. The peer must call {@link #rekeyInbound()} at
     * the same point of the stream.
     *
     * @throws IllegalStateException if the channel is poisoned or closed, or cannot send
     */
    public void rekeyOutbound() {
        requireUsable();
        if (outbound == null) {
            throw new IllegalStateException("this side of one-way pattern " + protocol.patternName()
                    + " has no outbound key");
        }
        outbound.rekey();
    }

    /**
     * Applies {@code Rekey()} to the inbound cipher state, matching the peer's {@link #rekeyOutbound()}.
     *
     * @throws IllegalStateException if the channel is poisoned or closed, or cannot receive
     */
    public void rekeyInbound() {
        requireUsable();
        if (inbound == null) {
            throw new IllegalStateException("this side of one-way pattern " + protocol.patternName()
                    + " has no inbound key");
        }
        inbound.rekey();
    }

    /**
     * Returns the handshake hash {@code h}, identical on both sides, for channel binding (for example, to
     * sign it with an identity key).
     *
     * @return a copy, HASHLEN bytes
     */
    public byte[] handshakeHash() {
        return handshakeHash.clone();
    }

    /**
     * Returns whether the handshake established the peer's static public key.
     *
     * @return true if {@link #remoteStaticPublicKey()} returns it
     */
    public boolean hasRemoteStaticPublicKey() {
        return remoteStatic != null;
    }

    /**
     * Returns the peer's static public key as authenticated by the handshake.
     *
     * @return a copy, DHLEN bytes
     * @throws IllegalStateException if the pattern gave the peer no static key
     */
    public byte[] remoteStaticPublicKey() {
        if (remoteStatic == null) {
            throw new IllegalStateException(protocol.patternName() + " gives no static key for the peer");
        }
        return remoteStatic.clone();
    }

    /**
     * Returns the protocol.
     *
     * @return the protocol
     */
    public NoiseProtocol protocol() {
        return protocol;
    }

    /**
     * Returns whether this side was the handshake's initiator.
     *
     * @return true for the initiator
     */
    public boolean isInitiator() {
        return initiator;
    }

    /**
     * Returns whether a failed {@link #open(byte[])} made this channel unusable.
     *
     * @return true once poisoned
     */
    public boolean isPoisoned() {
        return poisoned;
    }

    /** Drops the keys; the channel is then unusable. */
    @Override
    public void close() {
        closed = true;
        dropKeys();
    }

    /**
     * Returns a redacted description.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "SecureChannel[" + protocol + ", " + (initiator ? "initiator" : "responder")
                + (poisoned ? ", poisoned" : "") + (closed ? ", closed" : "") + ", keys redacted]";
    }

    private void requireUsable() {
        if (poisoned) {
            throw new IllegalStateException("this channel is poisoned by an earlier failed record and cannot be"
                    + " used any more; close the connection");
        }
        if (closed) {
            throw new IllegalStateException("this channel was closed");
        }
    }

    private SecureChannelException poison(SecureChannelException.Reason reason, String message, Throwable cause) {
        poisoned = true;
        dropKeys();
        return new SecureChannelException(reason, message, cause);
    }

    private void dropKeys() {
        if (outbound != null) {
            outbound.close();
        }
        if (inbound != null) {
            inbound.close();
        }
    }
}
