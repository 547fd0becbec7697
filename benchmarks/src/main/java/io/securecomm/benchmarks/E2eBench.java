package io.securecomm.benchmarks;

import static io.securecomm.e2e.E2eForBenchmarks.x25519;

import io.securecomm.crypto.Hkdf;
import io.securecomm.crypto.internal.Curve25519;
import io.securecomm.e2e.E2eException;
import io.securecomm.e2e.GroupCipher;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.KemPreKeyRecord;
import io.securecomm.e2e.PendingRoomMessages;
import io.securecomm.e2e.E2eForBenchmarks;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.e2e.PreKeys;
import io.securecomm.e2e.RoomEvent;
import io.securecomm.e2e.SenderKeyDistribution;
import io.securecomm.e2e.SessionCipher;
import io.securecomm.e2e.SignedPreKeyRecord;
import io.securecomm.e2e.internal.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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
 * Suite 6, end to end: what the clients pay for each message, since the relay load harness showed that this, not
 * the relay, bounds a room's throughput on a shared machine. Each operation is one message sent and received, both
 * sides in memory, with the library's in-memory stores (so state serialisation is included):
 *
 * <ul>
 *   <li>{@link #ratchetMessage()}: a private message in an established Double Ratchet session;
 *   <li>{@link #roomMessage()}: a public message under a sender key (encrypt and sign once, verify and decrypt at
 *       one recipient: a room of N costs one send and N of the receive half);
 *   <li>{@link #sessionSetup()}: PQXDH from a bundle, then the first message (a pre-key message) both ways;
 *   <li>{@link #pqxdhKeyAgreement()} and {@link #x3dhKeyAgreement()}: the key agreement alone, both sides, with
 *       PQXDH (what the library does) and with X3DH (what it did before: the same curve work without the KEM
 *       pre-key's signature, the encapsulation and the decapsulation), so that the difference, in the same run, is
 *       what post-quantum protection adds to each new session;
 * </ul>
 *
 * with same-run baselines of the raw JCA work they are built on: {@link #jcaChaChaPoly()} (seal and open one
 * message with a fresh key-and-nonce pair, as each ratchet message does) and {@link #jcaEd25519()} (sign and
 * verify, as each room message does).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class E2eBench {
    /**
     * Who computes X25519 and Ed25519: {@code bouncycastle} (the library's default) or {@code jca} (the JDK's
     * providers). JMH runs each value in its own JVM, and the setup sets the system property before the library
     * first uses a curve, so both are measured in the same run.
     */
    @Param({"bouncycastle", "jca"})
    public String curve;

    /** The message size in bytes. */
    @Param({"64", "1024"})
    public int size;

    private final SecureRandom random = new SecureRandom();
    private byte[] text;
    private InMemoryProtocolStore aliceStore;
    private InMemoryProtocolStore bobStore;
    private PreKeyBundle bobBundle;
    private IdentityKeyPair alice;
    private IdentityKeyPair bob;
    private SignedPreKeyRecord bobSignedPreKey;
    private KemPreKeyRecord bobLastResort;
    private byte[][] x3dhAliceIdentity;
    private byte[][] x3dhBobIdentity;
    private byte[][] x3dhBobSignedPreKey;
    private SessionCipher aliceToBob;
    private SessionCipher bobFromAlice;
    private GroupCipher aliceRoom;
    private GroupCipher bobRoom;
    private SecretKeySpec chachaKey;
    private KeyPair signingKey;

    /**
     * Sets up both parties, a pairwise session, and alice's sender key at bob.
     *
     * @throws E2eException never: both sides are honest
     * @throws GeneralSecurityException if the JDK lacks Ed25519
     */
    @Setup(Level.Trial)
    public void setUp() throws E2eException, GeneralSecurityException {
        System.setProperty(Curve25519.PROPERTY, curve);
        ChannelBench.requireCurve(curve);
        text = new byte[size];
        random.nextBytes(text);
        alice = IdentityKeyPair.generate(random);
        bob = IdentityKeyPair.generate(random);
        aliceStore = new InMemoryProtocolStore(alice);
        bobStore = new InMemoryProtocolStore(bob);
        PreKeyUpload upload = PreKeys.prepareUpload(bobStore, 1, 1, Clock.systemUTC(), random);
        // Without one-time pre-keys (the last-resort KEM pre-key): reusable for every sessionSetup() call.
        bobBundle = upload.bundle(null, null);
        bobSignedPreKey = PreKeys.currentSignedPreKey(bobStore).orElseThrow();
        bobLastResort = PreKeys.currentLastResortKemPreKey(bobStore).orElseThrow();
        x3dhAliceIdentity = E2eForBenchmarks.x25519Generate(random);
        x3dhBobIdentity = E2eForBenchmarks.x25519Generate(random);
        x3dhBobSignedPreKey = E2eForBenchmarks.x25519Generate(random);
        aliceToBob = new SessionCipher(aliceStore, "alice", "bob", random);
        aliceToBob.processPreKeyBundle(upload.bundle(upload.oneTimePreKeys().get(0),
                upload.oneTimeKemPreKeys().get(0)));
        bobFromAlice = new SessionCipher(bobStore, "bob", "alice", random);
        bobFromAlice.decrypt(aliceToBob.encrypt(text));
        bobFromAlice.decrypt(aliceToBob.encrypt(text)); // past the pre-key message: an established session

        aliceRoom = new GroupCipher(PendingRoomMessages.defaults(Clock.systemUTC()), random);
        bobRoom = new GroupCipher(PendingRoomMessages.defaults(Clock.systemUTC()), random);
        try (SenderKeyDistribution d = aliceRoom.distribution()) {
            bobRoom.processDistribution("alice", SenderKeyDistribution.decode(d.encode()));
        }

        byte[] key = new byte[32];
        random.nextBytes(key);
        chachaKey = new SecretKeySpec(key, "ChaCha20");
        signingKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /** Wipes the room keys. */
    @TearDown(Level.Trial)
    public void tearDown() {
        aliceRoom.close();
        bobRoom.close();
    }

    /**
     * securecomm: one private message in an established Double Ratchet session, encrypted and decrypted.
     *
     * @return the plaintext bob reads
     * @throws E2eException never: both sides are honest
     */
    @Benchmark
    public byte[] ratchetMessage() throws E2eException {
        return bobFromAlice.decrypt(aliceToBob.encrypt(text));
    }

    /**
     * securecomm: one room message under a sender key, encrypted and signed, then verified and decrypted.
     *
     * @return what bob reads
     * @throws E2eException never: both sides are honest
     */
    @Benchmark
    public List<RoomEvent> roomMessage() throws E2eException {
        return bobRoom.decrypt("alice", aliceRoom.encrypt(text));
    }

    /**
     * securecomm: PQXDH from bob's bundle and the first message, a pre-key message that bob answers from.
     *
     * @return the plaintext bob reads
     * @throws E2eException never: both sides are honest
     */
    @Benchmark
    public byte[] sessionSetup() throws E2eException {
        SessionCipher alice = new SessionCipher(aliceStore, "alice", "bob", random);
        alice.processPreKeyBundle(bobBundle);
        return new SessionCipher(bobStore, "bob", "alice", random).decrypt(alice.encrypt(text));
    }

    /**
     * securecomm: the PQXDH key agreement alone, both sides, from bob's bundle: the initiator verifies the three
     * signatures (the identity's, cached, as in any session after the first), makes EK_A, computes three X25519
     * outputs and encapsulates to the last-resort ML-KEM-1024 pre-key; the responder computes the three outputs and
     * decapsulates; both derive SK.
     *
     * @return SK, as the responder derives it
     * @throws E2eException never: both sides are honest
     */
    @Benchmark
    public byte[] pqxdhKeyAgreement() throws E2eException {
        return E2eForBenchmarks.keyAgreement(alice, bobBundle, bob, bobSignedPreKey, bobLastResort, random);
    }

    /**
     * Baseline: the X3DH key agreement alone, both sides, as the library computed it before PQXDH (X3DH's
     * {@code initiate} and {@code respond}, with the same functions): the initiator verifies the identity's and the
     * signed pre-key's signatures, makes EK_A and computes three X25519 outputs; the responder computes them; both
     * derive SK with HKDF. Only the KEM work is missing, so {@code pqxdhKeyAgreement - x3dhKeyAgreement} is what
     * post-quantum protection costs a new session.
     *
     * @return SK, as the responder derives it
     * @throws E2eException never: both sides are honest
     */
    @Benchmark
    public byte[] x3dhKeyAgreement() throws E2eException {
        bobBundle.identity().verify();
        bobBundle.signedPreKey().verify(bobBundle.identity());
        byte[][] ek = E2eForBenchmarks.x25519Generate(random);
        byte[] aliceSk = x3dhKdf(x25519(x3dhAliceIdentity[0], x3dhBobSignedPreKey[1]),
                x25519(ek[0], x3dhBobIdentity[1]), x25519(ek[0], x3dhBobSignedPreKey[1]));
        byte[] bobSk = x3dhKdf(x25519(x3dhBobSignedPreKey[0], x3dhAliceIdentity[1]),
                x25519(x3dhBobIdentity[0], ek[1]), x25519(x3dhBobSignedPreKey[0], ek[1]));
        return aliceSk[0] == bobSk[0] ? bobSk : aliceSk;
    }

    private static byte[] x3dhKdf(byte[] dh1, byte[] dh2, byte[] dh3) {
        byte[] f = new byte[32];
        Arrays.fill(f, (byte) 0xff);
        return Hkdf.derive(new byte[32], Ed25519.concat(f, dh1, dh2, dh3), X3DH_INFO, 32);
    }

    private static final byte[] X3DH_INFO = "securecomm-x3dh-v1".getBytes(StandardCharsets.US_ASCII);

    /**
     * Baseline: ChaCha20-Poly1305 seal and open of one message with the JCA, fresh nonce.
     *
     * @return the opened plaintext
     * @throws GeneralSecurityException never
     */
    @Benchmark
    public byte[] jcaChaChaPoly() throws GeneralSecurityException {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        Cipher seal = Cipher.getInstance("ChaCha20-Poly1305");
        seal.init(Cipher.ENCRYPT_MODE, chachaKey, new IvParameterSpec(nonce));
        byte[] sealed = seal.doFinal(text);
        Cipher open = Cipher.getInstance("ChaCha20-Poly1305");
        open.init(Cipher.DECRYPT_MODE, chachaKey, new IvParameterSpec(nonce));
        return open.doFinal(sealed);
    }

    /**
     * Baseline: an Ed25519 signature over the message, made and checked with the JCA.
     *
     * @return whether it verified
     * @throws GeneralSecurityException never
     */
    @Benchmark
    public Boolean jcaEd25519() throws GeneralSecurityException {
        Signature sign = Signature.getInstance("Ed25519");
        sign.initSign(signingKey.getPrivate());
        sign.update(text);
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance("Ed25519");
        verify.initVerify(signingKey.getPublic());
        verify.update(text);
        return verify.verify(signature);
    }
}
