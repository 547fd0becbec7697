package io.securecomm.e2e;

import static io.securecomm.e2e.ChainCrypto.wipe;

import io.securecomm.crypto.MlKem1024;
import io.securecomm.e2e.internal.ByteWriter;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;

/**
 * The stored form of a {@link SessionCipher}'s sessions with one peer: its current and archived states (none once
 * the user replaced the identity they belonged to) and the remembered base keys of received pre-key messages, with
 * their versioned encoding. Version 2 records each state's set-up (PQXDH or X3DH) and, for a pending initiator, the
 * KEM ciphertext its pre-key messages repeat; version 1 records, written before PQXDH, are read as X3DH states.
 *
 * <p>A secret: {@link #close()} wipes the ratchets' keys. Not thread-safe: confined to its cipher.
 */
final class SessionRecord implements AutoCloseable {
    /** Version 2 records each state's set-up and, for a pending initiator, the KEM fields its messages repeat. */
    private static final int RECORD_VERSION = 2;
    /** Records written before PQXDH: every state in them was set up with X3DH. */
    private static final int X3DH_RECORD_VERSION = 1;

    final List<State> states = new ArrayList<>();
    final ArrayDeque<String> seenBaseKeys = new ArrayDeque<>();

    void promoteNew(State st) {
        states.add(0, st);
        while (states.size() > 1 + SessionCipher.MAX_ARCHIVED_STATES) {
            states.remove(states.size() - 1).close();
        }
    }

    /** Drops (and wipes) every state whose identity is not {@code identity}; tells whether any was dropped. */
    boolean discardStatesNotOf(IdentityKey identity) {
        return states.removeIf(st -> {
            if (st.remoteIdentity.equals(identity)) {
                return false;
            }
            st.close();
            return true;
        });
    }

    void rememberBaseKey(byte[] ek) {
        seenBaseKeys.addLast(HexFormat.of().formatHex(ek));
        while (seenBaseKeys.size() > SessionCipher.MAX_REMEMBERED_BASE_KEYS) {
            seenBaseKeys.removeFirst();
        }
    }

    byte[] encode() {
        ByteWriter w = new ByteWriter().u8(RECORD_VERSION).u16(seenBaseKeys.size());
        for (String h : seenBaseKeys) {
            w.bytes(HexFormat.of().parseHex(h));
        }
        w.u8(states.size());
        for (State s : states) {
            w.bytes(s.remoteIdentity.encode()).bytes(s.baseKey).bool(s.pending).u32(s.signedPreKeyId)
                    .bool(s.oneTimePreKeyId.isPresent()).u32(s.oneTimePreKeyId.orElse(0))
                    .u8(s.setup == SessionSetup.PQXDH ? 2 : 1).u32(s.kemPreKeyId)
                    .bool(s.pending && s.kemCiphertext != null);
            if (s.pending && s.kemCiphertext != null) {
                w.bytes(s.kemCiphertext); // only until the first reply: pre-key messages repeat it
            }
            byte[] r = s.ratchet.encode();
            w.u32(r.length).bytes(r);
            wipe(r);
        }
        return w.toByteArray();
    }

    static SessionRecord decode(byte[] b, SecureRandom random) throws InvalidEncodingException {
        ByteReader r = new ByteReader(b, "session record");
        int version = r.u8();
        if (version != RECORD_VERSION && version != X3DH_RECORD_VERSION) {
            throw new InvalidEncodingException("session record has an unknown version");
        }
        SessionRecord rec = new SessionRecord();
        int seen = r.u16();
        for (int i = 0; i < seen; i++) {
            rec.seenBaseKeys.addLast(HexFormat.of().formatHex(r.bytes(X25519.KEY_BYTES)));
        }
        int n = r.u8();
        if (n > 1 + SessionCipher.MAX_ARCHIVED_STATES) {
            throw new InvalidEncodingException("session record holds " + n + " states");
        }
        for (int i = 0; i < n; i++) {
            IdentityKey id;
            try {
                id = IdentityKey.read(r);
            } catch (InvalidSignatureException e) {
                throw new InvalidEncodingException("stored identity key does not verify", e);
            }
            byte[] base = r.bytes(X25519.KEY_BYTES);
            boolean pending = r.bool();
            int spk = r.u32();
            boolean hasOpk = r.bool();
            int opk = r.u32();
            SessionSetup setup = SessionSetup.X3DH;
            int kem = 0;
            byte[] ct = null;
            if (version == RECORD_VERSION) {
                int code = r.u8();
                if (code != 1 && code != 2) {
                    throw new InvalidEncodingException("session record has an unknown set-up " + code);
                }
                setup = code == 2 ? SessionSetup.PQXDH : SessionSetup.X3DH;
                kem = r.u32();
                ct = r.bool() ? r.bytes(MlKem1024.CIPHERTEXT_BYTES) : null;
            }
            byte[] ratchet = r.bytes(r.u32());
            rec.states.add(new State(id, base, pending, spk, hasOpk ? OptionalInt.of(opk) : OptionalInt.empty(),
                    setup, kem, ct, RatchetSession.decode(ratchet, random)));
            wipe(ratchet);
        }
        r.end();
        return rec;
    }

    @Override
    public void close() {
        for (State s : states) {
            s.close();
        }
    }

    /**
     * One session state with the peer. A pending initiator's state keeps the KEM ciphertext, which every pre-key
     * message repeats until the first reply.
     */
    static final class State implements AutoCloseable {
        final IdentityKey remoteIdentity;
        final byte[] baseKey;
        boolean pending;
        final int signedPreKeyId;
        final OptionalInt oneTimePreKeyId;
        final SessionSetup setup;
        final int kemPreKeyId;
        final byte[] kemCiphertext;
        final RatchetSession ratchet;

        State(IdentityKey remoteIdentity, byte[] baseKey, boolean pending, int signedPreKeyId,
                OptionalInt oneTimePreKeyId, SessionSetup setup, int kemPreKeyId, byte[] kemCiphertext,
                RatchetSession ratchet) {
            this.remoteIdentity = remoteIdentity;
            this.baseKey = baseKey;
            this.pending = pending;
            this.signedPreKeyId = signedPreKeyId;
            this.oneTimePreKeyId = oneTimePreKeyId;
            this.setup = setup;
            this.kemPreKeyId = kemPreKeyId;
            this.kemCiphertext = kemCiphertext;
            this.ratchet = ratchet;
        }

        @Override
        public void close() {
            ratchet.close();
        }
    }
}
