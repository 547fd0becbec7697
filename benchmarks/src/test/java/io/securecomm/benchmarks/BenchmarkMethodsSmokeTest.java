package io.securecomm.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.crypto.AeadAlgorithm;
import io.securecomm.crypto.internal.Curve25519;
import io.securecomm.e2e.RoomEvent;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Calls every {@code @Benchmark} method a few times with the smallest parameters, outside JMH, so that a benchmark
 * that throws (a refused nonce, a TLS engine stuck mid-handshake) fails the build here instead of leaving a hole in
 * a recorded run. Nothing is timed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BenchmarkMethodsSmokeTest {
    private static final int CALLS = 3;

    @Test
    void cipherBench() throws Exception {
        CipherBench bench = new CipherBench();
        bench.size = 64;
        bench.setUp();
        callAll(bench);
        bench.tearDown();
    }

    @Test
    void cipherBenchXorVariantsAgree() throws Exception {
        CipherBench a = new CipherBench();
        CipherBench b = new CipherBench();
        CipherBench c = new CipherBench();
        CipherBench d = new CipherBench();
        for (CipherBench bench : new CipherBench[] {a, b, c, d}) {
            bench.size = 1024;
            bench.setUp();
        }
        // From the same starting data, the naive loop, the bare loop and the cipher compute the same XOR.
        byte[] naive = a.naiveXor().clone();
        assertArrayEquals(naive, b.bareXorLoop());
        assertArrayEquals(naive, c.repeatingKeyXor());
        assertArrayEquals(naive, d.longXorLoop());
    }

    @Test
    void aeadBench() throws Exception {
        for (AeadAlgorithm algorithm : AeadAlgorithm.values()) {
            AeadBench bench = new AeadBench();
            bench.algorithm = algorithm;
            bench.size = 64;
            bench.setUp();
            callAll(bench);
            assertEquals(64 + 16, bench.librarySeal());
            assertEquals(64, bench.libraryOpen());
            bench.tearDown();
        }
    }

    @Test
    void channelAndHandshakeBench() throws Exception {
        for (InMemoryTls.Suite suite : InMemoryTls.Suite.values()) {
            ChannelBench channel = new ChannelBench();
            channel.cipher = suite;
            channel.size = 64;
            channel.setUp();
            callAll(channel);
            assertEquals(64, channel.noise());
            channel.tearDown();
        }
        HandshakeBench handshake = new HandshakeBench();
        handshake.cipher = InMemoryTls.Suite.AESGCM;
        handshake.curve = "bouncycastle"; // the default: one JVM only ever computes with one implementation
        handshake.setUp();
        callAll(handshake);
        handshake.tearDown();
    }

    @Test
    void interleavedXorLoopsReportsEveryLoop() {
        String line = InterleavedXorLoops.run(64, 20, 0);
        for (String loop : new String[] {"arraycopy", "bareXorLoop", "longXorLoop", "repeatingKeyXor"}) {
            assertTrue(line.contains(loop + " "), line);
        }
    }

    @Test
    void curveBench() throws Exception {
        for (Curve25519 curve : Curve25519.values()) {
            CurveBench bench = new CurveBench();
            bench.curve = curve;
            bench.setUp();
            callAll(bench);
            assertTrue(bench.ed25519Verify(), curve + " verifies its own signature");
        }
    }

    @Test
    void codecBenches() throws Exception {
        FrameCodecBench frames = new FrameCodecBench();
        frames.size = 64;
        frames.setUp();
        callAll(frames);
        assertEquals(64, frames.decode().length);
        MessageCodecBench messages = new MessageCodecBench();
        messages.size = 16;
        messages.setUp();
        callAll(messages);
    }

    @Test
    void e2eBench() throws Exception {
        E2eBench bench = new E2eBench();
        bench.size = 64;
        bench.curve = "bouncycastle";
        bench.setUp();
        callAll(bench);
        assertEquals(64, bench.ratchetMessage().length);
        assertEquals(64, bench.sessionSetup().length);
        assertEquals(64, ((RoomEvent.Decrypted) bench.roomMessage().get(0)).plaintext().length);
        assertEquals(true, bench.jcaEd25519());
        bench.tearDown();
    }

    private static void callAll(Object bench) throws Exception {
        int called = 0;
        for (Method m : bench.getClass().getDeclaredMethods()) {
            if (m.isAnnotationPresent(Benchmark.class)) {
                for (int i = 0; i < CALLS; i++) {
                    assertNotNull(m.invoke(bench), m.getName());
                }
                called++;
            }
        }
        assertEquals(true, called > 1, "benchmark methods found in " + bench.getClass().getSimpleName());
    }
}
