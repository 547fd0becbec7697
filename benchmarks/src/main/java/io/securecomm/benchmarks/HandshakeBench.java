package io.securecomm.benchmarks;

import io.securecomm.crypto.internal.Curve25519;
import io.securecomm.noise.HandshakeException;
import io.securecomm.noise.NoiseCipher;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.SecureChannel;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
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
 * Suite 4, handshakes: complete handshakes per second, both sides in memory. Noise
 * {@code Noise_XX_25519_*_SHA256} (three messages, mutual authentication by static X25519 keys, four DH operations
 * per side) against a full TLS 1.3 handshake through {@code SSLEngine} (x25519 key share, server authenticated by
 * an ECDSA P-256 certificate, session ticket included; the client is not authenticated, so TLS does less than
 * Noise XX here). Long-term keys and the certificate are made once per trial.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBench {
    /**
     * Who computes X25519 and Ed25519: {@code bouncycastle} (the library's default) or {@code jca} (the JDK's
     * providers). JMH runs each value in its own JVM, and the setup sets the system property before the library
     * first uses a curve, so both are measured in the same run.
     */
    @Param({"bouncycastle", "jca"})
    public String curve;

    /** The cipher. */
    @Param({"AESGCM", "CHACHAPOLY"})
    public InMemoryTls.Suite cipher;

    private NoiseCipher noiseCipher;
    private NoiseKeyPair clientKey;
    private NoiseKeyPair relayKey;
    private SecureRandom random;
    private InMemoryTls tls;

    /**
     * Makes the long-term keys and the TLS credential.
     *
     * @throws GeneralSecurityException if the JDK cannot set up TLS 1.3
     * @throws IOException if {@code keytool} fails
     */
    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException, IOException {
        System.setProperty(Curve25519.PROPERTY, curve);
        ChannelBench.requireCurve(curve);
        random = new SecureRandom();
        noiseCipher = cipher == InMemoryTls.Suite.AESGCM ? NoiseCipher.AES_GCM : NoiseCipher.CHACHA_POLY;
        clientKey = NoiseKeyPair.generate(NoiseDh.X25519, random);
        relayKey = NoiseKeyPair.generate(NoiseDh.X25519, random);
        tls = InMemoryTls.create(cipher);
    }

    /** Wipes the keys. */
    @TearDown(Level.Trial)
    public void tearDown() {
        clientKey.close();
        relayKey.close();
    }

    /**
     * securecomm: one complete Noise XX handshake, both sides, ending in two channels.
     *
     * @return the client's channel
     * @throws HandshakeException never: both sides are honest
     */
    @Benchmark
    public SecureChannel noiseXx() throws HandshakeException {
        SecureChannel[] channels = ChannelBench.noiseHandshake(noiseCipher, clientKey, relayKey, random);
        channels[1].close();
        return channels[0];
    }

    /**
     * Baseline: one complete TLS 1.3 handshake, both sides, on fresh engines.
     *
     * @return the client engine
     * @throws SSLException never in practice
     */
    @Benchmark
    public Object tls13() throws SSLException {
        InMemoryTls.Pair pair = tls.newPair();
        pair.handshake();
        return pair.client;
    }
}
