package io.securecomm.e2e;

import io.securecomm.e2e.internal.ByteWriter;

/** Test helper: session records as earlier versions wrote them. */
final class SessionRecords {
    private SessionRecords() {}

    /**
     * Rewrites a session record (version 2) as the version before PQXDH wrote it (version 1): the same states without
     * their set-up and KEM fields, which a reader of version 1 takes for X3DH states.
     */
    static byte[] asX3dhRecord(byte[] v2) throws InvalidEncodingException {
        ByteReader r = new ByteReader(v2, "session record");
        if (r.u8() != 2) {
            throw new IllegalArgumentException("not a version 2 session record");
        }
        ByteWriter w = new ByteWriter().u8(1);
        int seen = r.u16();
        w.u16(seen);
        for (int i = 0; i < seen; i++) {
            w.bytes(r.bytes(32));
        }
        int states = r.u8();
        w.u8(states);
        for (int i = 0; i < states; i++) {
            w.bytes(r.bytes(IdentityKey.ENCODED_BYTES)).bytes(r.bytes(32)).bool(r.bool()).u32(r.u32()).bool(r.bool())
                    .u32(r.u32());
            r.u8(); // set-up
            r.u32(); // KEM pre-key id
            if (r.bool()) {
                r.bytes(1568); // KEM ciphertext of a pending state
            }
            int n = r.u32();
            w.u32(n).bytes(r.bytes(n));
        }
        r.end();
        return w.toByteArray();
    }
}
