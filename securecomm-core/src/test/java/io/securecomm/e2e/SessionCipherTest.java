package io.securecomm.e2e;

import static io.securecomm.e2e.Party.str;
import static io.securecomm.e2e.Party.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.testing.CountingProtocolStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-peer facade: set-up from a bundle, pre-key messages, trust on first use, persistence. */
class SessionCipherTest {

    static PreKeyBundle bundleOf(Party p) {
        PreKeyUpload u = p.upload(1);
        return u.bundle(u.oneTimePreKeys().get(0), u.oneTimeKemPreKeys().get(0));
    }

    @Test
    void initiatorSendsPreKeyMessagesUntilTheFirstReply() throws Exception {
        Party alice = new Party("alice");
        Party bob = new Party("bob");
        PreKeyBundle bundle = bundleOf(bob);
        int opkId = bundle.oneTimePreKey().id();
        alice.to("bob").processPreKeyBundle(bundle);
        byte[] m1 = alice.to("bob").encrypt(utf8("one"));
        byte[] m2 = alice.to("bob").encrypt(utf8("two"));
        assertEquals(PreKeyMessage.TYPE, m1[1]);
        assertEquals(PreKeyMessage.TYPE, m2[1]);
        assertTrue(bob.store.containsPreKey(opkId));
        assertEquals("two", str(bob.to("alice").decrypt(m2)));
        assertFalse(bob.store.containsPreKey(opkId), "one-time pre-key deleted after use");
        assertEquals("one", str(bob.to("alice").decrypt(m1)));
        assertEquals("hi", str(alice.to("bob").decrypt(bob.to("alice").encrypt(utf8("hi")))));
        byte[] m3 = alice.to("bob").encrypt(utf8("three"));
        assertEquals(RatchetMessage.TYPE, m3[1], "after a reply, plain ratchet messages");
        assertEquals("three", str(bob.to("alice").decrypt(m3)));
        assertThrows(DuplicateMessageException.class, () -> bob.to("alice").decrypt(m1));
        assertEquals(TrustDecision.TRUSTED, bob.trust().check("alice", alice.identity()));
        assertEquals(TrustDecision.TRUSTED, alice.trust().check("bob", bob.identity()));
    }

    @Test
    void bundleWithoutOneTimePreKeyWorks() throws Exception {
        Party alice = new Party("alice");
        Party bob = new Party("bob");
        alice.to("bob").processPreKeyBundle(bob.upload(0).bundle(null, null));
        assertEquals("x", str(bob.to("alice").decrypt(alice.to("bob").encrypt(utf8("x")))));
    }

    @Test
    void noSessionAndGarbageAreSpecificErrors() throws Exception {
        Party alice = new Party("alice");
        assertThrows(NoSessionException.class, () -> alice.to("bob").encrypt(utf8("x")));
        assertThrows(InvalidEncodingException.class, () -> alice.to("bob").decrypt(new byte[0]));
        assertThrows(InvalidEncodingException.class, () -> alice.to("bob").decrypt(new byte[] {1, 9, 0}));
        assertThrows(InvalidEncodingException.class, () -> alice.to("bob").decrypt(new byte[] {2, 1}));
        byte[] ratchetLike = new byte[RatchetMessage.HEADER_BYTES + 16];
        ratchetLike[0] = 1;
        ratchetLike[1] = 1;
        assertThrows(NoSessionException.class, () -> alice.to("bob").decrypt(ratchetLike));
    }

    @Test
    void aChangedIdentityIsRefusedUntilAccepted() throws Exception {
        Party alice = new Party("alice");
        Party bob = new Party("bob");
        alice.to("bob").processPreKeyBundle(bundleOf(bob));
        bob.to("alice").decrypt(alice.to("bob").encrypt(utf8("hello")));
        // Bob reinstalls: new identity, same name.
        Party bob2 = new Party("bob");
        PreKeyBundle newBundle = bundleOf(bob2);
        UntrustedIdentityException e = assertThrows(UntrustedIdentityException.class,
                () -> alice.to("bob").processPreKeyBundle(newBundle));
        assertEquals("bob", e.change().peer());
        assertEquals(bob.identity(), e.change().previous());
        assertEquals(bob2.identity(), e.change().current());
        assertTrue(e.getMessage().contains(bob2.identity().fingerprint()));
        // The change is remembered: nothing is sent to bob until the user decides.
        assertEquals(e.change(), alice.trust().pendingChange("bob").orElseThrow());
        UntrustedIdentityException onSend = assertThrows(UntrustedIdentityException.class,
                () -> alice.to("bob").encrypt(utf8("still there?")));
        assertEquals(bob2.identity(), onSend.change().current());
        // Receiving from the old, still trusted key goes on.
        assertEquals("old phone", str(alice.to("bob").decrypt(bob.to("alice").encrypt(utf8("old phone")))));
        // The new bob writes first: refused, nothing consumed; accepted after the user accepts the key.
        bob2.to("alice").processPreKeyBundle(bundleOf(alice));
        byte[] fromNewBob = bob2.to("alice").encrypt(utf8("it's me, new phone"));
        assertThrows(UntrustedIdentityException.class, () -> alice.to("bob").decrypt(fromNewBob));
        assertEquals(TrustDecision.CHANGED, alice.trust().check("bob", bob2.identity()));
        alice.trust().acceptIdentity("bob", bob2.identity());
        assertEquals("it's me, new phone", str(alice.to("bob").decrypt(fromNewBob)));
        assertEquals("welcome back", str(bob2.to("alice").decrypt(alice.to("bob").encrypt(utf8("welcome back")))));
    }

    @Test
    void aRejectedChangeKeepsTheOldKey() throws Exception {
        Party alice = new Party("alice");
        Party bob = new Party("bob");
        alice.to("bob").processPreKeyBundle(bundleOf(bob));
        Party impostor = new Party("bob");
        assertThrows(UntrustedIdentityException.class, () -> alice.to("bob").processPreKeyBundle(bundleOf(impostor)));
        assertThrows(UntrustedIdentityException.class, () -> alice.to("bob").encrypt(utf8("x")));
        alice.trust().rejectChange("bob");
        assertTrue(alice.trust().pendingChange("bob").isEmpty());
        assertEquals("x", str(bob.to("alice").decrypt(alice.to("bob").encrypt(utf8("x")))));
        // After accepting a new key, the old session is discarded: it neither sends nor receives again.
        alice.trust().acceptIdentity("bob", impostor.identity());
        assertFalse(alice.to("bob").hasSession());
        assertThrows(NoSessionException.class, () -> alice.to("bob").encrypt(utf8("y")));
        assertThrows(NoSessionException.class,
                () -> alice.to("bob").decrypt(bob.to("alice").encrypt(utf8("from the replaced key"))));
    }

    @Test
    void verificationAndSafetyNumbers() throws Exception {
        Party alice = new Party("alice");
        Party bob = new Party("bob");
        alice.to("bob").processPreKeyBundle(bundleOf(bob));
        SafetyNumber a = SafetyNumber.of(alice.identity(), "alice", bob.identity(), "bob");
        SafetyNumber b = SafetyNumber.of(bob.identity(), "bob", alice.identity(), "alice");
        assertEquals(a, b, "same number whichever side computes it");
        assertEquals(60, a.digits().length());
        assertTrue(a.matches(b.formatted()));
        assertEquals(TrustDecision.TRUSTED, alice.trust().check("bob", bob.identity()));
        alice.trust().markVerified("bob", bob.identity());
        assertEquals(TrustDecision.VERIFIED, alice.trust().check("bob", bob.identity()));
        Party mallory = new Party("bob");
        assertNotEquals(a, SafetyNumber.of(alice.identity(), "alice", mallory.identity(), "bob"));
        assertThrows(IllegalStateException.class, () -> alice.trust().markVerified("bob", mallory.identity()));
    }

    @Test
    void simultaneousInitiationConverges() throws Exception {
        Party alice = new Party("alice");
        Party bob = new Party("bob");
        alice.to("bob").processPreKeyBundle(bundleOf(bob));
        bob.to("alice").processPreKeyBundle(bundleOf(alice));
        byte[] a1 = alice.to("bob").encrypt(utf8("a1"));
        byte[] b1 = bob.to("alice").encrypt(utf8("b1"));
        assertEquals("b1", str(alice.to("bob").decrypt(b1)));
        assertEquals("a1", str(bob.to("alice").decrypt(a1)));
        for (int i = 0; i < 3; i++) {
            assertEquals("a" + i, str(bob.to("alice").decrypt(alice.to("bob").encrypt(utf8("a" + i)))));
            assertEquals("b" + i, str(alice.to("bob").decrypt(bob.to("alice").encrypt(utf8("b" + i)))));
        }
    }

    @Test
    void fileStoreKeepsSessionsAcrossRestartsWithOwnerOnlyPermissions(@TempDir Path home) throws Exception {
        Path aliceDir = home.resolve("alice");
        Party alice = new Party("alice", FileProtocolStore.open(aliceDir, Party.RANDOM));
        Party bob = new Party("bob", FileProtocolStore.open(home.resolve("bob"), Party.RANDOM));
        alice.to("bob").processPreKeyBundle(bundleOf(bob));
        byte[] early = alice.to("bob").encrypt(utf8("before restart"));
        bob.to("alice").decrypt(alice.to("bob").encrypt(utf8("first")));
        // Both restart.
        Party alice2 = new Party("alice", FileProtocolStore.open(aliceDir, Party.RANDOM));
        Party bob2 = new Party("bob", FileProtocolStore.open(home.resolve("bob"), Party.RANDOM));
        assertEquals(alice.identity(), alice2.identity(), "identity persisted");
        assertEquals("before restart", str(bob2.to("alice").decrypt(early)));
        assertEquals("reply", str(alice2.to("bob").decrypt(bob2.to("alice").encrypt(utf8("reply")))));
        assertEquals(TrustDecision.TRUSTED, alice2.trust().check("bob", bob.identity()));
        if (Files.getFileAttributeView(aliceDir, PosixFileAttributeView.class) != null) {
            try (Stream<Path> all = Files.walk(aliceDir)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                    assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", perms, p.toString());
                }
            }
        }
        try (Stream<Path> all = Files.walk(aliceDir)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")), "no temporary files left");
        }
        // A damaged file is reported with its path, not silently ignored.
        Path trusted;
        try (Stream<Path> all = Files.list(aliceDir.resolve("trusted"))) {
            trusted = all.findFirst().orElseThrow();
        }
        Files.write(trusted, new byte[] {1, 0, 2});
        IllegalStateException damaged = assertThrows(IllegalStateException.class,
                () -> alice2.store.loadTrustedIdentity("bob"));
        assertTrue(damaged.getMessage().contains(trusted.toString()));
        assertTrue(FileProtocolStore.defaultFolder("alice").endsWith(Path.of(".securecomm", "keys", "616c696365")));
        // A peer name cannot escape the folder.
        alice2.store.storeSession("../../etc/evil", new byte[] {1});
        assertTrue(alice2.store.loadSession("../../etc/evil").isPresent());
        assertFalse(Files.exists(aliceDir.resolve("../../etc/evil").normalize()));
    }

    @Test
    void randomConversationAcrossRestartsDecryptsEverythingOnce(@TempDir Path home) throws Exception {
        Random rnd = new Random(11);
        Party[] ps = {new Party("alice", FileProtocolStore.open(home.resolve("a"), Party.RANDOM)),
            new Party("bob", FileProtocolStore.open(home.resolve("b"), Party.RANDOM))};
        ps[0].to("bob").processPreKeyBundle(bundleOf(ps[1]));
        record Flight(int to, byte[] bytes, String text) {}
        List<Flight> inFlight = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int sent = 0;
        boolean bobCanSend = false;
        for (int step = 0; step < 300; step++) {
            int action = rnd.nextInt(10);
            if (action < 3 || (action < 5 && !bobCanSend)) {
                String t = "a" + sent++;
                inFlight.add(new Flight(1, ps[0].to("bob").encrypt(utf8(t)), t));
            } else if (action < 5) {
                String t = "b" + sent++;
                inFlight.add(new Flight(0, ps[1].to("alice").encrypt(utf8(t)), t));
            } else if (action < 9 && !inFlight.isEmpty()) {
                Flight f = inFlight.remove(rnd.nextInt(Math.min(10, inFlight.size())));
                Party to = ps[f.to()];
                assertEquals(f.text(), str(to.to(f.to() == 1 ? "alice" : "bob").decrypt(f.bytes())));
                assertTrue(seen.add(f.text()));
                bobCanSend |= f.to() == 1;
            } else {
                int who = rnd.nextInt(2);
                ps[who] = new Party(ps[who].name, FileProtocolStore.open(home.resolve(who == 0 ? "a" : "b"),
                        Party.RANDOM));
            }
        }
        for (Flight f : inFlight) {
            assertEquals(f.text(), str(ps[f.to()].to(f.to() == 1 ? "alice" : "bob").decrypt(f.bytes())));
            assertTrue(seen.add(f.text()));
        }
        assertEquals(sent, seen.size());
    }

    @Test
    void aCipherKeepsTheRecordItWorksOnAndLoadsItOnlyOnce() throws Exception {
        CountingProtocolStore store = new CountingProtocolStore();
        Party alice = new Party("alice", store);
        Party bob = new Party("bob");
        alice.to("bob").processPreKeyBundle(bundleOf(bob));
        store.reset();
        for (int i = 0; i < 3; i++) {
            assertEquals("m" + i, str(bob.to("alice").decrypt(alice.to("bob").encrypt(utf8("m" + i)))));
            assertEquals("r" + i, str(alice.to("bob").decrypt(bob.to("alice").encrypt(utf8("r" + i)))));
        }
        assertEquals(0, store.sessionLoads.get(), "neither sends nor receives load the record again");
        assertEquals(6, store.sessionStores.get(), "every step is stored");
        // A new instance (as after a restart) loads the stored record once, and goes on from where it was.
        SessionCipher restarted = new SessionCipher(store, "alice", "bob", Party.RANDOM);
        assertEquals("after", str(bob.to("alice").decrypt(restarted.encrypt(utf8("after")))));
        assertTrue(restarted.hasSession());
        assertEquals(1, store.sessionLoads.get());
        restarted.close();
        assertTrue(restarted.hasSession(), "closing wipes the memory, not the store");
        assertEquals(2, store.sessionLoads.get());
    }

    @Test
    void encryptStoresTheAdvancedRatchetBeforeItReturnsAnyCiphertext() throws Exception {
        // A store whose session writes can fail, as a full disk would make them.
        InMemoryProtocolStore real = new InMemoryProtocolStore(IdentityKeyPair.generate(Party.RANDOM));
        AtomicBoolean failWrites = new AtomicBoolean();
        ProtocolStore store = (ProtocolStore) Proxy.newProxyInstance(
                ProtocolStore.class.getClassLoader(), new Class<?>[] {ProtocolStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("storeSession") && failWrites.get()) {
                        throw new UncheckedIOException(new IOException("disk full"));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Party alice = new Party("alice", store);
        Party bob = new Party("bob");
        alice.to("bob").processPreKeyBundle(bundleOf(bob));
        byte[] one = alice.to("bob").encrypt(utf8("one"));
        failWrites.set(true);
        // The ratchet could not be stored: no ciphertext leaves, so no message key is used twice after a restart.
        assertThrows(UncheckedIOException.class, () -> alice.to("bob").encrypt(utf8("never leaves")));
        failWrites.set(false);
        byte[] two = alice.to("bob").encrypt(utf8("two"));
        assertEquals("one", str(bob.to("alice").decrypt(one)));
        assertEquals("two", str(bob.to("alice").decrypt(two)));
    }

    @Test
    void preKeyReplenishment() {
        Party bob = new Party("bob");
        PreKeyUpload first = bob.upload(PreKeys.TARGET_ONE_TIME_PRE_KEYS);
        assertEquals(PreKeys.TARGET_ONE_TIME_PRE_KEYS, first.oneTimePreKeys().size());
        assertFalse(PreKeys.needsReplenish(50, PreKeys.KEM_LOW_WATERMARK));
        assertTrue(PreKeys.needsReplenish(PreKeys.LOW_WATERMARK - 1, PreKeys.TARGET_ONE_TIME_KEM_PRE_KEYS));
        assertTrue(PreKeys.needsReplenish(PreKeys.TARGET_ONE_TIME_PRE_KEYS, PreKeys.KEM_LOW_WATERMARK - 1));
        List<PreKeyUpload> uploads = PreKeys.replenish(bob.store, 5, PreKeys.TARGET_ONE_TIME_KEM_PRE_KEYS,
                Party.CLOCK, Party.RANDOM);
        assertEquals(1, uploads.size());
        PreKeyUpload more = uploads.get(0);
        assertEquals(PreKeys.TARGET_ONE_TIME_PRE_KEYS - 5, more.oneTimePreKeys().size());
        assertEquals(List.of(), more.oneTimeKemPreKeys(), "the relay has enough KEM pre-keys");
        assertEquals(first.signedPreKey(), more.signedPreKey(), "signed pre-key kept until it is old");
        for (PublicPreKey k : more.oneTimePreKeys()) {
            assertTrue(bob.store.containsPreKey(k.id()));
        }
    }

    @Test
    void encodingsRoundTrip() throws Exception {
        Party bob = new Party("bob");
        PreKeyUpload u = bob.upload(3);
        assertEquals(u, PreKeyUpload.decode(u.encode()));
        PreKeyBundle b = u.bundle(u.oneTimePreKeys().get(1), u.oneTimeKemPreKeys().get(1));
        assertEquals(b, PreKeyBundle.decode(b.encode()));
        PreKeyBundle none = u.bundle(null, null);
        assertEquals(none, PreKeyBundle.decode(none.encode()));
        assertEquals(bob.identity(), IdentityKey.decode(bob.identity().encode()));
        byte[] enc = b.encode();
        for (int len = 0; len < enc.length; len++) {
            byte[] t = Arrays.copyOf(enc, len);
            assertThrows(E2eException.class, () -> PreKeyBundle.decode(t), "truncated to " + len);
        }
        byte[] longer = Arrays.copyOf(enc, enc.length + 1);
        assertThrows(InvalidEncodingException.class, () -> PreKeyBundle.decode(longer));
        assertArrayEquals(enc, PreKeyBundle.decode(enc).encode());
    }
}
