package io.securecomm.benchmarks;

import io.securecomm.crypto.internal.Curve25519;
import io.securecomm.noise.HandshakeException;
import io.securecomm.noise.HandshakeState;
import io.securecomm.noise.NoiseCipher;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.SecureChannel;
import io.securecomm.noise.SecureChannelException;
import io.securecomm.noise.SecurecommNoise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Suite 3, the secure channel: one Noise transport record sealed by the client's {@link SecureChannel} and opened
 * by the relay's, against one TLS 1.3 record wrapped by a client {@code SSLEngine} and unwrapped by a server
 * {@code SSLEngine}, in memory, with the same cipher family and the same plaintext sizes. 16 KiB is the largest
 * TLS record; Noise records go up to 65519 bytes of plaintext but are measured at the same sizes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChannelBench {
    /** The cipher, as Noise names it; TLS uses the matching TLS 1.3 suite. */
    @Param({"AESGCM", "CHACHAPOLY"})
    public InMemoryTls.Suite cipher;

    /** Plaintext bytes per record. */
    @Param({"64", "1024", "16384"})
    public int size;

    private SecureChannel sender;
    private SecureChannel receiver;
    private byte[] plaintext;
    private byte[] record;
    private byte[] opened;
    private InMemoryTls.Pair tls;
    private ByteBuffer tlsPlaintext;
    private ByteBuffer tlsReceived;

    /**
     * Runs one Noise XX handshake and one TLS 1.3 handshake to get both channels.
     *
     * @throws GeneralSecurityException if the JDK cannot set up TLS 1.3
     * @throws IOException if {@code keytool} fails or the TLS handshake fails
     * @throws HandshakeException never: both sides are honest
     */
    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException, IOException, HandshakeException {
        SecureRandom random = new SecureRandom();
        NoiseCipher noiseCipher = cipher == InMemoryTls.Suite.AESGCM ? NoiseCipher.AES_GCM : NoiseCipher.CHACHA_POLY;
        try (NoiseKeyPair clientKey = NoiseKeyPair.generate(NoiseDh.X25519, random);
                NoiseKeyPair relayKey = NoiseKeyPair.generate(NoiseDh.X25519, random)) {
            SecureChannel[] channels = noiseHandshake(noiseCipher, clientKey, relayKey, random);
            sender = channels[0];
            receiver = channels[1];
        }
        plaintext = new byte[size];
        new SplittableRandom(5).nextBytes(plaintext);
        record = new byte[size + 16];
        opened = new byte[size];
        tls = InMemoryTls.create(cipher).newPair();
        tls.handshake();
        tlsPlaintext = ByteBuffer.wrap(plaintext.clone());
        tlsReceived = ByteBuffer.allocate(tls.server.getSession().getApplicationBufferSize());
    }

    /**
     * Runs a complete Noise XX handshake in memory, client and relay as securecomm configures them.
     *
     * @param cipher the cipher
     * @param clientKey the client's static key
     * @param relayKey the relay's static key
     * @param random the source of ephemeral keys
     * @return the client's channel and the relay's channel
     * @throws HandshakeException never: both sides are honest
     */
    public static SecureChannel[] noiseHandshake(NoiseCipher cipher, NoiseKeyPair clientKey, NoiseKeyPair relayKey,
            SecureRandom random) throws HandshakeException {
        try (HandshakeState client = SecurecommNoise.client(cipher, clientKey, random);
                HandshakeState relay = SecurecommNoise.server(cipher, relayKey, random)) {
            relay.readMessage(client.writeMessage(new byte[0]));
            client.readMessage(relay.writeMessage(new byte[0]));
            relay.readMessage(client.writeMessage(new byte[0]));
            return new SecureChannel[] {client.split(), relay.split()};
        }
    }

    /** Closes the channels and engines. */
    @TearDown(Level.Trial)
    public void tearDown() {
        sender.close();
        receiver.close();
        tls.close();
    }

    /**
     * securecomm: seal one record at the client, open it at the relay.
     *
     * @return the plaintext length
     * @throws SecureChannelException never: the record is authentic
     */
    @Benchmark
    public int noise() throws SecureChannelException {
        int n = sender.seal(plaintext, 0, size, record, 0);
        return receiver.open(record, 0, n, opened, 0);
    }

    /**
     * Baseline: wrap one TLS 1.3 record at the client, unwrap it at the server.
     *
     * @return the record length
     * @throws SSLException never in practice
     */
    @Benchmark
    public int tls13() throws SSLException {
        return tls.clientToServer(tlsPlaintext, tlsReceived);
    }

    /**
     * Fails unless the library computes its curves with the implementation the {@code curve} parameter asked for:
     * one JVM can only ever use one, so a second value in the same JVM would silently measure the first.
     *
     * @param curve the {@code curve} parameter, {@code bouncycastle} or {@code jca}
     * @throws IllegalStateException if another implementation is in use
     */
    static void requireCurve(String curve) {
        Curve25519 expected = curve.equals("jca") ? Curve25519.JCA : Curve25519.BOUNCY_CASTLE;
        if (Curve25519.selected() != expected) {
            throw new IllegalStateException("this JVM computes curves with " + Curve25519.selected()
                    + ", not " + expected + ": run each curve value in its own fork (JMH's default)");
        }
    }
}
