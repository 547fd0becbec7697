package io.securecomm.cluster.redis.internal;

import io.securecomm.relay.store.PreKeyKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The key layout, designed for Redis Cluster: every key of one account carries the hash tag
 * {@code {acct:<nickname>}}, so they all live on one hash slot and one Lua script may change them together. Four
 * keys are the store's own, each on its own slot and each only ever used by single-key commands.
 *
 * <pre>
 * P:{acct:N}:account      hash    key, reg (ms), bytes, lastid, pkseq
 * P:{acct:N}:queue        stream  one entry per stored message, entry id "ID-0" (ID: the message id):
 *                                 s (sender), t (sent at, ms), e (envelope)
 * P:{acct:N}:kept         hash    CODE: record, CODE:id: key id, for each kept kind
 * P:{acct:N}:pk:CODE      zset    key ids of a consumed kind, scored by publication order
 * P:{acct:N}:pkrec:CODE   hash    key id: record, of a consumed kind
 * P:accounts              zset    every nickname, score 0 (so ordered by its UTF-8 bytes: code point order)
 * P:queues                zset    nicknames whose queue holds messages, scored by the oldest one's time
 * P:msgid                 string  the last message id handed out
 * P:meta                  hash    created_at (ms), probed_at (ms)
 * </pre>
 *
 * <p>(P: the key prefix; N: the nickname; CODE: a pre-key kind's code.)
 *
 * <p>In a nickname, {@code %}, {@code {} and {@code }} are written {@code %25}, {@code %7B} and {@code %7D}, so
 * a nickname can never end the hash tag early or collide with another's keys. Immutable.
 */
public final class Keys {
    /** The index of the account hash in {@link #account(String)}'s keys (Lua's KEYS is 1-based: add one). */
    public static final int ACCOUNT = 0;

    /** The index of the queue stream. */
    public static final int QUEUE = 1;

    /** The index of the hash of kept pre-keys. */
    public static final int KEPT = 2;

    private static final List<PreKeyKind> CONSUMED = consumedKinds();

    private final String prefix;

    /**
     * The layout under a prefix.
     *
     * @param prefix the key prefix, without braces
     */
    public Keys(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /**
     * The consumed pre-key kinds, in declaration order: each has a sorted set and a hash among an account's keys.
     *
     * @return the kinds
     */
    public static List<PreKeyKind> consumedKinds() {
        List<PreKeyKind> out = new ArrayList<>();
        for (PreKeyKind k : PreKeyKind.values()) {
            if (k.rule() == PreKeyKind.HandoutRule.CONSUMED) {
                out.add(k);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The 0-based index, in {@link #account(String)}'s keys, of a consumed kind's sorted set; its hash follows.
     *
     * @param kind a consumed kind
     * @return the index
     * @throws IllegalArgumentException if the kind is kept
     */
    public static int preKeySetIndex(PreKeyKind kind) {
        int i = CONSUMED.indexOf(kind);
        if (i < 0) {
            throw new IllegalArgumentException(kind + " is not a consumed kind");
        }
        return KEPT + 1 + 2 * i;
    }

    /**
     * Every key of one account, in the order the scripts expect them (all on one hash slot).
     *
     * @param nickname the canonical nickname
     * @return the keys, as UTF-8 bytes
     */
    public byte[][] account(String nickname) {
        String base = prefix + ":{acct:" + escape(nickname) + "}:";
        List<String> keys = new ArrayList<>(List.of(base + "account", base + "queue", base + "kept"));
        for (PreKeyKind k : CONSUMED) {
            keys.add(base + "pk:" + k.code());
            keys.add(base + "pkrec:" + k.code());
        }
        byte[][] out = new byte[keys.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = utf8(keys.get(i));
        }
        return out;
    }

    /**
     * The index of every nickname.
     *
     * @return the key
     */
    public byte[] accounts() {
        return utf8(prefix + ":accounts");
    }

    /**
     * The index of the queues that hold messages.
     *
     * @return the key
     */
    public byte[] queues() {
        return utf8(prefix + ":queues");
    }

    /**
     * The message id counter.
     *
     * @return the key
     */
    public byte[] messageId() {
        return utf8(prefix + ":msgid");
    }

    /**
     * The store's own facts.
     *
     * @return the key
     */
    public byte[] meta() {
        return utf8(prefix + ":meta");
    }

    /**
     * A string as UTF-8.
     *
     * @param s the string
     * @return its bytes
     */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String escape(String nickname) {
        StringBuilder b = new StringBuilder(nickname.length() + 8);
        for (int i = 0; i < nickname.length(); i++) {
            char c = nickname.charAt(i);
            switch (c) {
                case '%' -> b.append("%25");
                case '{' -> b.append("%7B");
                case '}' -> b.append("%7D");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
