package io.securecomm.benchmarks;

import io.securecomm.crypto.internal.Curve25519;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Suite 7, the curve primitives: one X25519 or Ed25519 operation through the library's internal {@code Curve25519}
 * (the code every handshake, PQXDH, ratchet step and room message goes through), computed by each implementation in
 * the same run: the JDK's providers ({@code curve=JCA}, the baseline) and Bouncy Castle's lightweight
 * {@code rfc7748}/{@code rfc8032} classes ({@code curve=BOUNCY_CASTLE}). Average time per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CurveBench {
    /** The implementation. */
    @Param({"JCA", "BOUNCY_CASTLE"})
    public Curve25519 curve;

    private final byte[] out = new byte[32];
    private byte[] scalar;
    private byte[] peer;
    private byte[] seed;
    private byte[] signingPublic;
    private byte[] message;
    private byte[] signature;

    /** Makes the keys, a 100-byte message (about a room message's signed part) and its signature. */
    @Setup(Level.Trial)
    public void setUp() {
        SecureRandom random = new SecureRandom();
        scalar = curve.x25519Generate(random)[0];
        peer = curve.x25519Generate(random)[1];
        byte[][] ed = curve.ed25519Generate(random);
        seed = ed[0];
        signingPublic = ed[1];
        message = new byte[100];
        random.nextBytes(message);
        signature = curve.ed25519Sign(seed, message);
    }

    /**
     * X25519 with a peer's public key (the variable-base scalar multiplication of every DH).
     *
     * @return the shared secret
     */
    @Benchmark
    public byte[] x25519() {
        curve.scalarMult(scalar, peer, out);
        return out;
    }

    /**
     * X25519 public key from a private key (the fixed-base scalar multiplication of every key generation).
     *
     * @return the public key
     */
    @Benchmark
    public byte[] x25519PublicKey() {
        curve.scalarMultBase(scalar, out);
        return out;
    }

    /**
     * An Ed25519 signature over the message.
     *
     * @return the signature
     */
    @Benchmark
    public byte[] ed25519Sign() {
        return curve.ed25519Sign(seed, message);
    }

    /**
     * An Ed25519 verification of the message's signature.
     *
     * @return whether it verified (always true)
     */
    @Benchmark
    public boolean ed25519Verify() {
        return curve.ed25519Verify(signingPublic, message, signature);
    }
}
