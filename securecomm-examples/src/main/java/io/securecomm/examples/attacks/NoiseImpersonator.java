package io.securecomm.examples.attacks;

import io.securecomm.noise.HandshakeState;
import io.securecomm.noise.NoiseCipher;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.NoiseProtocol;
import io.securecomm.noise.SecureChannel;
import io.securecomm.noise.SecureChannelException;
import io.securecomm.noise.SecurecommNoise;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The man-in-the-middle attempt against the default suite: the attacker cannot complete the Noise handshake as
 * the relay without the relay's private static key, so it answers with its own static key and hopes the client
 * accepts it. A client that pinned the relay's key earlier refuses (its trust store reports a changed key) and
 * hangs up before sending anything. A client that connects for the very first time and pins whatever key it
 * sees (trust on first use) would accept it, which is why fingerprints should be compared out of band once;
 * this interceptor then relays and reads messages like {@link LegacyMitm}.
 */
public final class NoiseImpersonator implements InterceptingProxy.Interceptor {
    private static final NoiseProtocol PROTOCOL = SecurecommNoise.protocol(NoiseCipher.CHACHA_POLY);
    private static final byte[] PROLOGUE = SecurecommNoise.prologue();
    private static final byte[] EMPTY = new byte[0];

    private final NoiseKeyPair fakeRelayKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom());
    private final NoiseKeyPair fakeClientKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom());
    private final UnaryOperator<Message> rewrite;
    private final Consumer<String> observer;
    private final CountDownLatch finished = new CountDownLatch(1);

    /**
     * Creates the attacker with fresh keys of its own.
     *
     * @param rewrite maps each decrypted message to the one forwarded, if a client ever accepts the fake key
     * @param observer receives one line per event, for the demo's output
     */
    public NoiseImpersonator(UnaryOperator<Message> rewrite, Consumer<String> observer) {
        this.rewrite = Objects.requireNonNull(rewrite, "rewrite");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * The attacker's fake relay public key, the one a client is shown.
     *
     * @return a copy
     */
    public byte[] fakeRelayPublicKey() {
        return fakeRelayKey.publicKey();
    }

    /**
     * Waits until the interception of a connection is over and every observation about it was reported.
     *
     * @param timeout how long to wait
     * @return {@code true} if it is over
     * @throws InterruptedException if interrupted
     */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void handle(FrameLink client, FrameLink relay, ExecutorService threads) throws Exception {
        try {
            intercept(client, relay, threads);
        } finally {
            finished.countDown();
        }
    }

    private void intercept(FrameLink client, FrameLink relay, ExecutorService threads) throws Exception {
        SecureChannel toClient;
        try (HandshakeState hs = HandshakeState.responder(PROTOCOL, PROLOGUE, fakeRelayKey, null, List.of())) {
            hs.readMessage(client.readRequired("Noise message 1"));
            client.write(hs.writeMessage(EMPTY));
            observer.accept("answered the client's Noise handshake with the attacker's own static key");
            byte[] m3 = client.read();
            if (m3 == null) {
                observer.accept("the client hung up after seeing the attacker's key: it did not match the pinned key");
                return;
            }
            hs.readMessage(m3);
            toClient = hs.split();
        }
        observer.accept("the client ACCEPTED the attacker's key (it had pinned nothing yet: trust on first use)");
        SecureChannel toRelay;
        try (HandshakeState hs = HandshakeState.initiator(PROTOCOL, PROLOGUE, fakeClientKey, null, List.of())) {
            relay.write(hs.writeMessage(EMPTY));
            hs.readMessage(relay.readRequired("Noise message 2"));
            relay.write(hs.writeMessage(EMPTY));
            toRelay = hs.split();
        }
        try (toClient; toRelay) {
            Future<?> back = threads.submit(() -> {
                InterceptingProxy.pump(relay, client, r -> forward(toRelay, r, "relay -> client", toClient));
                return null;
            });
            try {
                InterceptingProxy.pump(client, relay, r -> forward(toClient, r, "client -> relay", toRelay));
                back.get(5, TimeUnit.SECONDS);
            } finally {
                back.cancel(true);
            }
        }
    }

    /** One lock for both channels: each is read on one pump thread and written on the other. */
    private synchronized byte[] forward(SecureChannel in, byte[] record, String direction, SecureChannel out)
            throws SecureChannelException {
        byte[] plaintext = in.open(record);
        byte[] forwarded = plaintext;
        try {
            Message m = MessageCodec.decode(plaintext);
            Message changed = rewrite.apply(m);
            observer.accept((changed.equals(m) ? "read     " : "REWROTE  ") + direction + ": "
                    + MessageText.describe(m));
            forwarded = MessageCodec.encode(changed);
        } catch (MalformedMessageException e) {
            observer.accept("read     " + direction + ": " + plaintext.length + " bytes that are not a message");
        }
        return out.seal(forwarded);
    }
}
