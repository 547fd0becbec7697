package io.securecomm.noise;

import io.securecomm.crypto.AeadAuthenticationException;
import io.securecomm.noise.internal.HandshakePattern;
import io.securecomm.noise.internal.Token;
import io.securecomm.crypto.InvalidPublicKeyException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * A Noise {@code HandshakeState} (revision 34, section 5.3): runs one side of a handshake, sans I/O. It
 * takes and returns whole handshake messages; framing them on a transport is the caller's job.
 *
 * <pre>{@code
 * HandshakeState hs = HandshakeState.initiator(protocol, prologue, myStatic, null, List.of());
 * while (hs.action() != HandshakeAction.SPLIT) {
 *     if (hs.action() == HandshakeAction.WRITE_MESSAGE) send(hs.writeMessage(new byte[0]));
 *     else hs.readMessage(receive());
 * }
 * SecureChannel channel = hs.split();
 * }</pre>
 *
 * <p>Ask {@link #action()} whose turn it is. Writing when it is the peer's turn, or reading when it is this
 * side's, throws {@link IllegalStateException} and changes nothing. Any failure while processing a message
 * (a peer's forged or malformed message, a rejected public key) makes the handshake permanently
 * {@link HandshakeAction#FAILED}: its keys are wiped and every later call throws
 * {@link IllegalStateException}.
 *
 * <p>Ephemeral keys come from the {@link SecureRandom} given to the builder (by default a new
 * {@code SecureRandom}). Messages, handshake or transport, are at most
 * {@value NoiseMessageTooLargeException#MAX_MESSAGE_SIZE_BYTES} bytes.
 *
 * <p>A secret: {@link #close()} wipes its own keys (ephemeral key, chaining key, cipher key, psks; the
 * borrowed static key pair stays with its owner). Not thread-safe; confine to one thread or event loop.
 */
public final class HandshakeState implements AutoCloseable {
    private static final int MAX_MESSAGE = NoiseMessageTooLargeException.MAX_MESSAGE_SIZE_BYTES;

    private final NoiseProtocol protocol;
    private final HandshakePattern pattern;
    private final boolean initiator;
    private final SymmetricState symmetricState;
    private final SecureRandom random;
    private final Deque<byte[]> psks = new ArrayDeque<>();
    private final NoiseKeyPair s;
    private NoiseKeyPair e;
    private byte[] rs;
    private byte[] re;
    private int messageIndex;
    private boolean failed;
    private boolean closed;
    private boolean splitDone;
    private byte[] handshakeHash;
    // What restartAs needs: the prologue and pre-message key as given, and the messages so far, kept only until the
    // first key exists (null after).
    private final byte[] prologue;
    private final byte[] preMessageRemoteStatic;
    private List<Step> steps = new ArrayList<>(2);

    /** A message processed before any key existed: a written message's payload, or a read message. */
    private record Step(boolean written, byte[] bytes) {}

    private HandshakeState(Builder b) {
        this.protocol = b.protocol;
        this.pattern = b.protocol.pattern();
        this.initiator = b.initiator;
        this.random = b.random != null ? b.random : new SecureRandom();
        this.s = b.localStatic; // borrowed: the caller owns and closes it (one relay key, many handshakes)
        this.e = b.ephemeral == null ? null : b.ephemeral.copy();
        this.rs = b.remoteStatic == null ? null : b.remoteStatic.clone();
        this.prologue = b.prologue.clone();
        this.preMessageRemoteStatic = rs == null ? null : rs.clone();
        for (byte[] psk : b.psks) {
            psks.add(psk.clone());
        }
        // Initialize(): InitializeSymmetric(protocol_name), MixHash(prologue), then the pre-message public
        // keys, the initiator's first.
        this.symmetricState = new SymmetricState(protocol);
        symmetricState.mixHash(b.prologue);
        mixPreMessage(pattern.initiatorPreMessage(), initiator ? localStaticPublic() : rs);
        mixPreMessage(pattern.responderPreMessage(), initiator ? rs : localStaticPublic());
    }

    /**
     * Starts the initiator's side with a fresh {@link SecureRandom}.
     *
     * @param protocol the protocol
     * @param prologue bytes both sides must agree on, bound into the handshake hash
     * @param localStatic this side's static key pair, borrowed (the caller keeps it open during the
     *     handshake and closes it), or {@code null} if the pattern has none for
     *     the initiator
     * @param remoteStatic the responder's static public key if the pattern has it as a pre-message (such as
     *     NK, IK, KK), else {@code null}
     * @param psks the pre-shared keys, 32 bytes each, one per {@code psk} token; empty without psk modifiers
     * @return the handshake state
     * @throws IllegalArgumentException if a key is missing, superfluous or of the wrong size
     */
    public static HandshakeState initiator(NoiseProtocol protocol, byte[] prologue, NoiseKeyPair localStatic,
            byte[] remoteStatic, List<byte[]> psks) {
        return builder(protocol).initiator().prologue(prologue).localStatic(localStatic)
                .remoteStatic(remoteStatic).psks(psks).build();
    }

    /**
     * Starts the responder's side with a fresh {@link SecureRandom}.
     *
     * @param protocol the protocol
     * @param prologue bytes both sides must agree on, bound into the handshake hash
     * @param localStatic this side's static key pair, borrowed (the caller keeps it open during the
     *     handshake and closes it), or {@code null} if the pattern has none for
     *     the responder
     * @param remoteStatic the initiator's static public key if the pattern has it as a pre-message (such as
     *     KN, KK, K), else {@code null}
     * @param psks the pre-shared keys, 32 bytes each, one per {@code psk} token; empty without psk modifiers
     * @return the handshake state
     * @throws IllegalArgumentException if a key is missing, superfluous or of the wrong size
     */
    public static HandshakeState responder(NoiseProtocol protocol, byte[] prologue, NoiseKeyPair localStatic,
            byte[] remoteStatic, List<byte[]> psks) {
        return builder(protocol).responder().prologue(prologue).localStatic(localStatic)
                .remoteStatic(remoteStatic).psks(psks).build();
    }

    /**
     * Starts a builder, for the less common options (a chosen {@link SecureRandom}).
     *
     * @param protocol the protocol
     * @return a builder
     */
    public static Builder builder(NoiseProtocol protocol) {
        return new Builder(protocol);
    }

    /**
     * Returns what this side must do next.
     *
     * @return the next action
     */
    public HandshakeAction action() {
        if (failed || closed) {
            return HandshakeAction.FAILED;
        }
        if (messageIndex == pattern.messages().size()) {
            return HandshakeAction.SPLIT;
        }
        return isMyTurn() ? HandshakeAction.WRITE_MESSAGE : HandshakeAction.READ_MESSAGE;
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
     * Returns whether this is the initiator's side.
     *
     * @return true for the initiator
     */
    public boolean isInitiator() {
        return initiator;
    }

    /**
     * {@code WriteMessage(payload, message_buffer)}: processes this side's next message pattern and returns
     * the handshake message, ending with the (possibly encrypted) payload.
     *
     * @param payload the payload to send; may be empty
     * @return the handshake message
     * @throws HandshakeException with {@link HandshakeException.Reason#INVALID_PUBLIC_KEY} if a DH with the
     *     peer's public key fails (the handshake is then failed)
     * @throws NoiseMessageTooLargeException if the message would exceed 65535 bytes (nothing changes)
     * @throws IllegalStateException if it is not this side's turn, or the handshake failed or completed
     */
    public byte[] writeMessage(byte[] payload) throws HandshakeException {
        Objects.requireNonNull(payload, "payload");
        requireAction(HandshakeAction.WRITE_MESSAGE, "writeMessage");
        List<Token> tokens = pattern.messages().get(messageIndex);
        int size = predictedSize(tokens, payload.length);
        if (size > MAX_MESSAGE) {
            throw new NoiseMessageTooLargeException("a handshake message with a " + payload.length
                    + "-byte payload would be " + size + " bytes, over the Noise limit of " + MAX_MESSAGE);
        }
        try {
            byte[] message = new byte[size];
            int pos = 0;
            for (Token token : tokens) {
                switch (token) {
                    case E -> {
                        if (e == null) {
                            e = NoiseKeyPair.generate(protocol.dh(), random);
                        }
                        byte[] pub = e.publicKey();
                        System.arraycopy(pub, 0, message, pos, pub.length);
                        pos += pub.length;
                        symmetricState.mixHash(pub);
                        if (pattern.hasPsk()) {
                            symmetricState.mixKey(pub);
                        }
                    }
                    case S -> {
                        byte[] encrypted = symmetricState.encryptAndHash(s.publicKey());
                        System.arraycopy(encrypted, 0, message, pos, encrypted.length);
                        pos += encrypted.length;
                    }
                    case PSK -> mixPsk();
                    default -> mixDh(token);
                }
            }
            byte[] encrypted = symmetricState.encryptAndHash(payload);
            System.arraycopy(encrypted, 0, message, pos, encrypted.length);
            pos += encrypted.length;
            if (pos != size) {
                throw new IllegalStateException("handshake message is " + pos + " bytes, expected " + size);
            }
            keep(true, payload);
            advance();
            return message;
        } catch (HandshakeException | RuntimeException ex) {
            fail();
            throw ex;
        }
    }

    /**
     * {@code ReadMessage(message, payload_buffer)}: processes the peer's next message and returns its
     * payload.
     *
     * @param message the peer's whole handshake message
     * @return the decrypted payload
     * @throws HandshakeException if the message is too large, too short, does not authenticate or carries
     *     a rejected public key; the handshake is then permanently failed
     * @throws IllegalStateException if it is not the peer's turn, or the handshake failed or completed
     */
    public byte[] readMessage(byte[] message) throws HandshakeException {
        Objects.requireNonNull(message, "message");
        requireAction(HandshakeAction.READ_MESSAGE, "readMessage");
        try {
            if (message.length > MAX_MESSAGE) {
                throw new HandshakeException(HandshakeException.Reason.MESSAGE_TOO_LARGE, "handshake message of "
                        + message.length + " bytes exceeds the Noise limit of " + MAX_MESSAGE, null);
            }
            int dhLen = protocol.dh().dhLengthBytes();
            int pos = 0;
            for (Token token : pattern.messages().get(messageIndex)) {
                switch (token) {
                    case E -> {
                        requireBytes(message, pos, dhLen, "e");
                        re = Arrays.copyOfRange(message, pos, pos + dhLen);
                        pos += dhLen;
                        symmetricState.mixHash(re);
                        if (pattern.hasPsk()) {
                            symmetricState.mixKey(re);
                        }
                    }
                    case S -> {
                        int len = dhLen + (symmetricState.hasKey() ? NoiseCipher.TAG_SIZE_BYTES : 0);
                        requireBytes(message, pos, len, "s");
                        rs = decryptAndHash(Arrays.copyOfRange(message, pos, pos + len), "s");
                        pos += len;
                    }
                    case PSK -> mixPsk();
                    default -> mixDh(token);
                }
            }
            int rest = message.length - pos;
            if (symmetricState.hasKey() && rest < NoiseCipher.TAG_SIZE_BYTES) {
                throw new HandshakeException(HandshakeException.Reason.MALFORMED_MESSAGE, "handshake message "
                        + (messageIndex + 1) + " ends " + rest + " bytes after its tokens, too short for the "
                        + NoiseCipher.TAG_SIZE_BYTES + "-byte tag of the payload", null);
            }
            byte[] payload = decryptAndHash(Arrays.copyOfRange(message, pos, message.length), "payload");
            keep(false, message);
            advance();
            return payload;
        } catch (HandshakeException | RuntimeException ex) {
            fail();
            throw ex;
        }
    }

    /**
     * {@code Split()}: after the last handshake message, derives the transport keys and returns the
     * channel. This handshake state is then wiped; only {@link #handshakeHash()} and
     * {@link #remoteStaticPublicKey()} remain available.
     *
     * <p>For one-way patterns the channel only sends (initiator) or only receives (responder), and the
     * second cipher state is discarded, as section 7.4 says.
     *
     * @return the transport channel
     * @throws IllegalStateException if the handshake is not complete, failed, or was already split
     */
    public SecureChannel split() {
        requireAction(HandshakeAction.SPLIT, "split");
        if (splitDone) {
            throw new IllegalStateException("split() was already called on this handshake");
        }
        splitDone = true;
        CipherStatePair pair = symmetricState.split();
        wipe();
        CipherState outbound;
        CipherState inbound;
        if (pattern.oneWay()) {
            pair.responderToInitiator().close();
            outbound = initiator ? pair.initiatorToResponder() : null;
            inbound = initiator ? null : pair.initiatorToResponder();
        } else {
            outbound = initiator ? pair.initiatorToResponder() : pair.responderToInitiator();
            inbound = initiator ? pair.responderToInitiator() : pair.initiatorToResponder();
        }
        return new SecureChannel(protocol, initiator, outbound, inbound, handshakeHash, rs);
    }

    /**
     * {@code GetHandshakeHash()} after the handshake: {@code h}, which both sides share and which identifies
     * this handshake, for channel binding.
     *
     * @return a copy of the handshake hash, HASHLEN bytes
     * @throws IllegalStateException if the handshake has not completed
     */
    public byte[] handshakeHash() {
        if (handshakeHash == null) {
            throw new IllegalStateException("the handshake hash is only final after the last handshake message");
        }
        return handshakeHash.clone();
    }

    /**
     * Returns whether the peer's static public key is known: given before the handshake, or received.
     *
     * @return true if {@link #remoteStaticPublicKey()} will return it
     */
    public boolean hasRemoteStaticPublicKey() {
        return rs != null && !failed;
    }

    /**
     * Returns the peer's static public key, once known. The handshake authenticates that the peer holds
     * its private key; whether to trust that key is the caller's decision.
     *
     * @return a copy of the key, DHLEN bytes
     * @throws IllegalStateException if it is not known (yet), or the handshake failed (a key received in a
     *     failed handshake is not authenticated)
     */
    public byte[] remoteStaticPublicKey() {
        if (failed) {
            throw new IllegalStateException("this handshake failed; the peer's static key is not authenticated");
        }
        if (rs == null) {
            throw new IllegalStateException("the peer's static public key is not known at this point of "
                    + protocol.patternName());
        }
        return rs.clone();
    }

    /**
     * Starts this handshake again under another protocol with the same handshake pattern and DH function, with the
     * same keys (this side's ephemeral key among them) and the same messages so far: possible only while no
     * message has been encrypted, when the messages' bytes do not depend on the cipher or hash functions. This is how
     * a cipher is negotiated in the first message (securecomm's hop, docs/NOISE.md): the initiator writes message 1
     * once, with its offer as the payload, and holds one handshake per cipher it offered; the responder reads message
     * 1, picks, and restarts under the picked protocol; the initiator learns the pick from which of its handshakes
     * can read message 2. Each restarted handshake is a whole Noise handshake under its own protocol name, whose
     * hash covers message 1 and its offer, so an offer altered on its way fails the handshake.
     *
     * <p>This handshake is left as it was; close the one that is not used.
     *
     * @param other the protocol to run instead
     * @return a new handshake under {@code other}, at the same point as this one
     * @throws IllegalArgumentException if {@code other} has another handshake pattern or DH function
     * @throws IllegalStateException if a key already exists (a DH or psk was mixed in), or this handshake
     *     failed or was closed
     * @throws HandshakeException if a message fails again under {@code other} (it cannot, before any key)
     */
    public HandshakeState restartAs(NoiseProtocol other) throws HandshakeException {
        Objects.requireNonNull(other, "other");
        if (failed || closed) {
            throw new IllegalStateException("this handshake failed or was closed; it cannot restart");
        }
        if (steps == null || symmetricState.hasKey() || pattern.hasPsk()) {
            throw new IllegalStateException("a handshake restarts under another protocol only before its first key:"
                    + " after " + messageIndex + " messages of " + protocol.name() + " it has one");
        }
        if (!other.patternName().equals(protocol.patternName()) || other.dh() != protocol.dh()) {
            throw new IllegalArgumentException(protocol.name() + " can only restart under the same pattern and DH"
                    + " function, not as " + other.name());
        }
        Builder builder = builder(other).prologue(prologue).localStatic(s).remoteStatic(preMessageRemoteStatic)
                .psks(List.of()).random(random);
        builder.initiator = initiator;
        builder.ephemeral = e;
        HandshakeState restarted = builder.build();
        for (Step step : steps) {
            if (step.written()) {
                restarted.writeMessage(step.bytes());
            } else {
                restarted.readMessage(step.bytes());
            }
        }
        return restarted;
    }

    /** Wipes the keys; the handshake is then unusable. */
    @Override
    public void close() {
        closed = true;
        wipe();
    }

    /**
     * Returns a redacted description.
     *
     * @return the protocol, role and next action
     */
    @Override
    public String toString() {
        return "HandshakeState[" + protocol + ", " + (initiator ? "initiator" : "responder") + ", " + action()
                + ", keys redacted]";
    }

    private boolean isMyTurn() {
        return ((messageIndex % 2) == 0) == initiator;
    }

    private void requireAction(HandshakeAction wanted, String method) {
        HandshakeAction actual = action();
        if (actual == wanted) {
            return;
        }
        switch (actual) {
            case FAILED -> throw new IllegalStateException(closed && !failed
                    ? "this handshake was closed; start a new one"
                    : "this handshake failed earlier and cannot be used any more; start a new one");
            case SPLIT -> throw new IllegalStateException("the handshake is complete: call split(), not "
                    + method + "()");
            case WRITE_MESSAGE -> throw new IllegalStateException("it is this side's turn to write: call"
                    + " writeMessage(), not " + method + "()");
            case READ_MESSAGE -> throw new IllegalStateException("it is the peer's turn: call readMessage(),"
                    + " not " + method + "()");
            default -> throw new IllegalStateException("unexpected action " + actual);
        }
    }

    private int predictedSize(List<Token> tokens, int payloadLength) {
        int dhLen = protocol.dh().dhLengthBytes();
        boolean hasKey = symmetricState.hasKey();
        int size = 0;
        for (Token t : tokens) {
            if (t == Token.E) {
                size += dhLen;
                hasKey |= pattern.hasPsk();
            } else if (t == Token.S) {
                size += dhLen + (hasKey ? NoiseCipher.TAG_SIZE_BYTES : 0);
            } else {
                hasKey = true;
            }
        }
        return size + payloadLength + (hasKey ? NoiseCipher.TAG_SIZE_BYTES : 0);
    }

    private void mixPsk() {
        byte[] psk = psks.poll();
        try {
            symmetricState.mixKeyAndHash(psk);
        } finally {
            Arrays.fill(psk, (byte) 0);
        }
    }

    private void mixDh(Token token) throws HandshakeException {
        NoiseKeyPair local;
        byte[] remote;
        switch (token) {
            case EE -> {
                local = e;
                remote = re;
            }
            case ES -> {
                local = initiator ? e : s;
                remote = initiator ? rs : re;
            }
            case SE -> {
                local = initiator ? s : e;
                remote = initiator ? re : rs;
            }
            case SS -> {
                local = s;
                remote = rs;
            }
            default -> throw new IllegalStateException("not a DH token: " + token.specName());
        }
        byte[] shared;
        try {
            shared = local.dh(remote);
        } catch (InvalidPublicKeyException ex) {
            throw new HandshakeException(HandshakeException.Reason.INVALID_PUBLIC_KEY, "the DH function "
                    + protocol.dh().specName() + " rejected a public key for token " + token.specName(), ex);
        }
        try {
            symmetricState.mixKey(shared);
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }

    private byte[] decryptAndHash(byte[] ciphertext, String what) throws HandshakeException {
        try {
            return symmetricState.decryptAndHash(ciphertext);
        } catch (AeadAuthenticationException ex) {
            throw new HandshakeException(HandshakeException.Reason.DECRYPT_FAILED, "the " + what
                    + " of handshake message " + (messageIndex + 1) + " did not authenticate", ex);
        }
    }

    private void requireBytes(byte[] message, int pos, int needed, String token) throws HandshakeException {
        if (message.length - pos < needed) {
            throw new HandshakeException(HandshakeException.Reason.MALFORMED_MESSAGE, "handshake message "
                    + (messageIndex + 1) + " of " + message.length + " bytes is too short for token '" + token
                    + "' (" + needed + " bytes at offset " + pos + ")", null);
        }
    }

    /** Keeps a message for {@link #restartAs} while no key exists yet: replaying it then needs no secret. */
    private void keep(boolean written, byte[] bytes) {
        if (steps != null) {
            if (symmetricState.hasKey()) {
                steps = null;
            } else {
                steps.add(new Step(written, bytes.clone()));
            }
        }
    }

    private void advance() {
        messageIndex++;
        if (messageIndex == pattern.messages().size()) {
            handshakeHash = symmetricState.getHandshakeHash();
        }
    }

    private void fail() {
        failed = true;
        wipe();
    }

    private void wipe() {
        steps = null;
        symmetricState.close();
        if (e != null) {
            e.close();
        }
        for (byte[] psk : psks) {
            Arrays.fill(psk, (byte) 0);
        }
        psks.clear();
    }

    private byte[] localStaticPublic() {
        return s == null ? null : s.publicKey();
    }

    private void mixPreMessage(List<Token> tokens, byte[] key) {
        for (Token t : tokens) {
            if (t != Token.S) {
                throw new IllegalStateException("unsupported pre-message token " + t.specName());
            }
            symmetricState.mixHash(key);
        }
    }

    /**
     * Builds a {@link HandshakeState}. Choose a role with {@link #initiator()} or {@link #responder()};
     * everything else has a default (empty prologue, no keys, no psks, a new {@link SecureRandom}).
     */
    public static final class Builder {
        private final NoiseProtocol protocol;
        private Boolean initiator;
        private byte[] prologue = new byte[0];
        private NoiseKeyPair localStatic;
        private byte[] remoteStatic;
        private final List<byte[]> psks = new ArrayList<>();
        private SecureRandom random;
        private NoiseKeyPair ephemeral;

        private Builder(NoiseProtocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
        }

        /**
         * Makes this the initiator's side: the side that sends the first message.
         *
         * @return this builder
         */
        public Builder initiator() {
            initiator = true;
            return this;
        }

        /**
         * Makes this the responder's side.
         *
         * @return this builder
         */
        public Builder responder() {
            initiator = false;
            return this;
        }

        /**
         * Sets the prologue, which both sides must agree on (copied).
         *
         * @param prologue the prologue; may be empty
         * @return this builder
         */
        public Builder prologue(byte[] prologue) {
            this.prologue = Objects.requireNonNull(prologue, "prologue").clone();
            return this;
        }

        /**
         * Sets this side's static key pair. It is borrowed, not copied: the caller keeps it open while the
         * handshake runs and closes it when no handshake needs it any more (a relay uses one key pair for
         * every connection, and copying it would cost a scalar multiplication per handshake).
         *
         * @param localStatic the key pair, or {@code null} for none
         * @return this builder
         */
        public Builder localStatic(NoiseKeyPair localStatic) {
            this.localStatic = localStatic;
            return this;
        }

        /**
         * Sets the peer's static public key known before the handshake (a pre-message), copied.
         *
         * @param remoteStatic DHLEN bytes, or {@code null} for none
         * @return this builder
         */
        public Builder remoteStatic(byte[] remoteStatic) {
            this.remoteStatic = remoteStatic == null ? null : remoteStatic.clone();
            return this;
        }

        /**
         * Adds one pre-shared key; keys are used in the order of the pattern's {@code psk} tokens.
         *
         * @param psk 32 bytes, copied
         * @return this builder
         */
        public Builder psk(byte[] psk) {
            psks.add(Objects.requireNonNull(psk, "psk").clone());
            return this;
        }

        /**
         * Adds pre-shared keys in order.
         *
         * @param keys 32 bytes each, copied
         * @return this builder
         */
        public Builder psks(List<byte[]> keys) {
            for (byte[] psk : Objects.requireNonNull(keys, "psks")) {
                psk(psk);
            }
            return this;
        }

        /**
         * Sets the randomness source for the ephemeral key.
         *
         * @param random the source
         * @return this builder
         */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Test-only: fixes the ephemeral key pair so known-answer vectors can be replayed. */
        Builder localEphemeralForTesting(NoiseKeyPair ephemeral) {
            this.ephemeral = ephemeral;
            return this;
        }

        /**
         * Checks the keys against the pattern and builds the handshake state.
         *
         * @return the handshake state, ready for its first message
         * @throws IllegalArgumentException if the role is unset, or a key is missing, superfluous, of the
         *     wrong DH function or of the wrong size, or the number of psks does not match the pattern
         */
        public HandshakeState build() {
            if (initiator == null) {
                throw new IllegalArgumentException("choose a role: initiator() or responder()");
            }
            HandshakePattern pattern = protocol.pattern();
            String side = initiator ? "initiator" : "responder";
            boolean needsStatic = pattern.needsLocalStatic(initiator);
            if (needsStatic && localStatic == null) {
                throw new IllegalArgumentException(protocol.patternName() + " needs the " + side
                        + "'s static key pair");
            }
            if (!needsStatic && localStatic != null) {
                throw new IllegalArgumentException(protocol.patternName() + " has no static key for the " + side);
            }
            checkDh(localStatic, "local static");
            checkDh(ephemeral, "ephemeral");
            boolean needsRemote = pattern.needsRemoteStaticBeforehand(initiator);
            if (needsRemote && remoteStatic == null) {
                throw new IllegalArgumentException(protocol.patternName() + " needs the peer's static public key"
                        + " before the handshake");
            }
            if (!needsRemote && remoteStatic != null) {
                throw new IllegalArgumentException(protocol.patternName() + " does not take the peer's static key"
                        + " beforehand; read remoteStaticPublicKey() after the handshake instead");
            }
            if (remoteStatic != null && remoteStatic.length != protocol.dh().dhLengthBytes()) {
                throw new IllegalArgumentException("a " + protocol.dh().specName() + " public key is "
                        + protocol.dh().dhLengthBytes() + " bytes, not " + remoteStatic.length);
            }
            if (psks.size() != pattern.pskCount()) {
                throw new IllegalArgumentException(protocol.patternName() + " needs " + pattern.pskCount()
                        + " pre-shared keys, not " + psks.size());
            }
            for (byte[] psk : psks) {
                if (psk.length != 32) {
                    throw new IllegalArgumentException("a Noise psk is 32 bytes, not " + psk.length);
                }
            }
            return new HandshakeState(this);
        }

        private void checkDh(NoiseKeyPair kp, String what) {
            if (kp != null && kp.dh() != protocol.dh()) {
                throw new IllegalArgumentException("the " + what + " key pair is " + kp.dh().specName()
                        + " but the protocol uses " + protocol.dh().specName());
            }
        }
    }
}
