package io.securecomm.noise;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Both sides of one handshake in memory, with fresh keys for whatever the pattern needs, and a
 * {@link #pump()} that runs the handshake without sockets.
 */
final class NoisePair {
    static final byte[] PROLOGUE = "securecomm/1".getBytes(StandardCharsets.US_ASCII);

    final NoiseProtocol protocol;
    final NoiseKeyPair initiatorStatic;
    final NoiseKeyPair responderStatic;
    final HandshakeState initiator;
    final HandshakeState responder;

    /** The handshake messages in order, as sent. */
    final List<byte[]> messages = new ArrayList<>();

    NoisePair(NoiseProtocol protocol, SecureRandom random) {
        this(protocol, NoiseKeyPair.generate(protocol.dh(), random), NoiseKeyPair.generate(protocol.dh(), random),
                randomPsks(protocol, random), random);
    }

    /** A fresh handshake between the same static keys and psks, for repeating it many times cheaply. */
    NoisePair again() {
        return new NoisePair(protocol, initiatorStatic, responderStatic, psks, random);
    }

    private final List<byte[]> psks;
    private final SecureRandom random;

    private static List<byte[]> randomPsks(NoiseProtocol protocol, SecureRandom random) {
        List<byte[]> psks = new ArrayList<>();
        for (int i = 0; i < protocol.pskCount(); i++) {
            byte[] psk = new byte[32];
            random.nextBytes(psk);
            psks.add(psk);
        }
        return psks;
    }

    private NoisePair(NoiseProtocol protocol, NoiseKeyPair initiatorStatic, NoiseKeyPair responderStatic,
            List<byte[]> psks, SecureRandom random) {
        this.protocol = protocol;
        this.initiatorStatic = initiatorStatic;
        this.responderStatic = responderStatic;
        this.psks = psks;
        this.random = random;
        HandshakeState.Builder i = HandshakeState.builder(protocol).initiator().prologue(PROLOGUE).psks(psks)
                .random(random);
        HandshakeState.Builder r = HandshakeState.builder(protocol).responder().prologue(PROLOGUE).psks(psks)
                .random(random);
        if (protocol.pattern().needsLocalStatic(true)) {
            i.localStatic(initiatorStatic);
        }
        if (protocol.pattern().needsLocalStatic(false)) {
            r.localStatic(responderStatic);
        }
        if (protocol.pattern().needsRemoteStaticBeforehand(true)) {
            i.remoteStatic(responderStatic.publicKey());
        }
        if (protocol.pattern().needsRemoteStaticBeforehand(false)) {
            r.remoteStatic(initiatorStatic.publicKey());
        }
        this.initiator = i.build();
        this.responder = r.build();
    }

    static NoisePair of(String protocolName) {
        return new NoisePair(NoiseProtocol.parse(protocolName), new SecureRandom());
    }

    /**
     * Runs the handshake with the given payload for every message (each side checks what it receives), and
     * records the messages.
     */
    void pump(byte[] payload) throws HandshakeException {
        while (initiator.action() != HandshakeAction.SPLIT) {
            boolean initiatorWrites = initiator.action() == HandshakeAction.WRITE_MESSAGE;
            HandshakeState sender = initiatorWrites ? initiator : responder;
            HandshakeState receiver = initiatorWrites ? responder : initiator;
            byte[] message = sender.writeMessage(payload);
            messages.add(message);
            byte[] received = receiver.readMessage(message);
            if (!Arrays.equals(payload, received)) {
                throw new AssertionError("payload changed in transit");
            }
        }
        if (responder.action() != HandshakeAction.SPLIT) {
            throw new AssertionError("responder is at " + responder.action());
        }
    }

    /** The side that sends handshake message {@code index}. */
    HandshakeState senderOf(int index) {
        return protocol.isOneWay() || index % 2 == 0 ? initiator : responder;
    }

    /** The side that reads handshake message {@code index}. */
    HandshakeState receiverOf(int index) {
        return senderOf(index) == initiator ? responder : initiator;
    }
}
