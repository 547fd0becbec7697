package io.securecomm.internal.relay;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** A bounded set of byte strings, least recently used first out; thread-safe (its own lock). */
final class VerifiedSet {
    private final LinkedHashMap<ByteBuffer, Boolean> map;

    VerifiedSet(int capacity) {
        map = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized boolean contains(ByteBuffer bytes) {
        return map.get(bytes) != null;
    }

    synchronized void add(ByteBuffer bytes) {
        map.put(bytes, Boolean.TRUE);
    }
}
