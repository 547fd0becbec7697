package io.securecomm.cluster.redis.internal;

import io.securecomm.relay.store.PreKeyKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts that change one account, each atomic on the account's hash slot: the keys they get are always
 * {@link Keys#account(String)}'s, in that order. Every script starts with a prelude that names the pre-key kinds
 * (generated from {@link PreKeyKind}) and the helpers the scripts share. The store runs them by {@code EVALSHA},
 * and by {@code EVAL} once after a Redis that lost its script cache (a restart) answers {@code NOSCRIPT}.
 *
 * <p>Ids and times are below 2<sup>53</sup>, so Lua's numbers (doubles) hold them exactly.
 */
public enum Scripts {
    /** ARGV: key, now (ms). Returns REGISTERED, ALREADY or TAKEN. */
    REGISTER("""
            local k = redis.call('HGET', KEYS[1], 'key')
            if not k then
              redis.call('HSET', KEYS[1], 'key', ARGV[1], 'reg', ARGV[2], 'bytes', 0, 'lastid', 0,
                'pkseq', 0)
              return 'REGISTERED'
            end
            if k == ARGV[1] then return 'ALREADY' end
            return 'TAKEN'
            """),
    /** ARGV: mode (owner or operator), key. Returns RELEASED, NONE or NOT_YOURS. */
    RELEASE("""
            local k = redis.call('HGET', KEYS[1], 'key')
            if not k then return 'NONE' end
            if ARGV[1] == 'owner' and k ~= ARGV[2] then return 'NOT_YOURS' end
            redis.call('DEL', unpack(KEYS))
            return 'RELEASED'
            """),
    /**
     * ARGV: id, sender, now (ms), envelope, max messages, max bytes, expiry cutoff (ms). Returns {S, the oldest
     * message's time if the queue's head changed, else -2}, {N} (no account), {M} (too many messages), {B} (too
     * many bytes) or {R} (the id is not above the queue's newest: take another).
     */
    ENQUEUE("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return {'N'} end
            local last = tonumber(redis.call('HGET', KEYS[1], 'lastid') or '0')
            if tonumber(ARGV[1]) <= last then return {'R'} end
            local size = string.len(ARGV[4])
            local count = redis.call('XLEN', KEYS[2])
            local bytes = tonumber(redis.call('HGET', KEYS[1], 'bytes') or '0')
            local maxMessages, maxBytes = tonumber(ARGV[5]), tonumber(ARGV[6])
            local headChanged = count == 0
            if count >= maxMessages or bytes + size > maxBytes then
              if purgeHead(tonumber(ARGV[7])) > 0 then
                headChanged = true
                count = redis.call('XLEN', KEYS[2])
                bytes = tonumber(redis.call('HGET', KEYS[1], 'bytes') or '0')
              end
              if count >= maxMessages then return {'M'} end
              if bytes + size > maxBytes then return {'B'} end
            end
            redis.call('XADD', KEYS[2], ARGV[1] .. '-0', 's', ARGV[2], 't', ARGV[3], 'e', ARGV[4])
            redis.call('HSET', KEYS[1], 'lastid', ARGV[1])
            redis.call('HINCRBY', KEYS[1], 'bytes', size)
            if headChanged then return {'S', oldest()} end
            return {'S', -2}
            """),
    /**
     * ARGV: after id (0 for the start), max messages, expiry cutoff (ms). Returns id, sender, time, envelope for
     * each message, flat.
     */
    FETCH("""
            local out = {}
            local want = tonumber(ARGV[2])
            local cutoff = tonumber(ARGV[3])
            local start = '-'
            if ARGV[1] ~= '0' then start = '(' .. ARGV[1] .. '-0' end
            local got = 0
            while got < want do
              local ask = want - got
              local batch = redis.call('XRANGE', KEYS[2], start, '+', 'COUNT', ask)
              for _, e in ipairs(batch) do
                local f = e[2]
                if tonumber(f[4]) > cutoff then
                  out[#out + 1] = e[1]
                  out[#out + 1] = f[2]
                  out[#out + 1] = f[4]
                  out[#out + 1] = f[6]
                  got = got + 1
                end
                start = '(' .. e[1]
              end
              if #batch < ask then break end
            end
            return out
            """),
    /** ARGV: message ids. Returns {deleted, oldest if the head changed (-1 when now empty), else -2}. */
    ACKNOWLEDGE("""
            local before = oldestId()
            local deleted, freed = 0, 0
            for i = 1, #ARGV do
              local id = ARGV[i] .. '-0'
              local e = redis.call('XRANGE', KEYS[2], id, id)
              if #e == 1 then
                freed = freed + string.len(e[1][2][6])
                deleted = deleted + redis.call('XDEL', KEYS[2], id)
              end
            end
            if freed > 0 then redis.call('HINCRBY', KEYS[1], 'bytes', -freed) end
            if oldestId() ~= before then return {deleted, oldest()} end
            return {deleted, -2}
            """),
    /** ARGV: expiry cutoff (ms). Returns {deleted, oldest if the head changed (-1 when now empty), else -2}. */
    PURGE("""
            local deleted = purgeHead(tonumber(ARGV[1]))
            if deleted > 0 then return {deleted, oldest()} end
            return {0, -2}
            """),
    /** No ARGV. Returns {messages, bytes}. */
    USAGE("""
            return {redis.call('XLEN', KEYS[2]), tonumber(redis.call('HGET', KEYS[1], 'bytes') or '0')}
            """),
    /**
     * ARGV: the limit per consumed kind, then kind index, key id, record for each record. Returns {0} (no
     * account) or {1, counts...}.
     */
    PUBLISH("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
            local limit = tonumber(ARGV[1])
            for i = 2, #ARGV, 3 do
              local kind = KINDS[tonumber(ARGV[i])]
              if kind.kept then
                redis.call('HSET', KEYS[3], kind.code, ARGV[i + 2], kind.code .. ':id', ARGV[i + 1])
              elseif redis.call('HEXISTS', KEYS[kind.h], ARGV[i + 1]) == 0
                  and redis.call('ZCARD', KEYS[kind.z]) < limit then
                local seq = redis.call('HINCRBY', KEYS[1], 'pkseq', 1)
                redis.call('ZADD', KEYS[kind.z], seq, ARGV[i + 1])
                redis.call('HSET', KEYS[kind.h], ARGV[i + 1], ARGV[i + 2])
              end
            end
            local out = {1}
            for _, c in ipairs(counts()) do out[#out + 1] = c end
            return out
            """),
    /**
     * ARGV: kind indexes. Returns {0} (no account) or {1, number of records, (kind index, key id, record)...,
     * counts...}.
     */
    TAKE("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
            local records = {}
            for i = 1, #ARGV do
              local kind = KINDS[tonumber(ARGV[i])]
              if kind.kept then
                local rec = redis.call('HGET', KEYS[3], kind.code)
                if rec then
                  records[#records + 1] = {ARGV[i], tonumber(redis.call('HGET', KEYS[3], kind.code .. ':id')), rec}
                end
              else
                local popped = redis.call('ZPOPMIN', KEYS[kind.z])
                if #popped > 0 then
                  local rec = redis.call('HGET', KEYS[kind.h], popped[1])
                  redis.call('HDEL', KEYS[kind.h], popped[1])
                  records[#records + 1] = {ARGV[i], tonumber(popped[1]), rec}
                end
              end
            end
            local out = {1, #records}
            for _, r in ipairs(records) do
              out[#out + 1] = r[1]
              out[#out + 1] = r[2]
              out[#out + 1] = r[3]
            end
            for _, c in ipairs(counts()) do out[#out + 1] = c end
            return out
            """),
    /** ARGV: kind index, key ids. Returns how many were deleted. */
    WITHDRAW("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            local kind = KINDS[tonumber(ARGV[1])]
            local deleted = 0
            for i = 2, #ARGV do
              if kind.kept then
                if redis.call('HGET', KEYS[3], kind.code .. ':id') == ARGV[i] then
                  deleted = deleted + redis.call('HDEL', KEYS[3], kind.code, kind.code .. ':id') / 2
                end
              elseif redis.call('ZREM', KEYS[kind.z], ARGV[i]) == 1 then
                redis.call('HDEL', KEYS[kind.h], ARGV[i])
                deleted = deleted + 1
              end
            end
            return deleted
            """),
    /** No ARGV. Returns {0} (no account) or {1, counts...}. */
    COUNT("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
            local out = {1}
            for _, c in ipairs(counts()) do out[#out + 1] = c end
            return out
            """);

    private static final String HELPERS = """
            local function counts()
              local out = {}
              for i, k in ipairs(KINDS) do
                if k.kept then out[i] = redis.call('HEXISTS', KEYS[3], k.code)
                else out[i] = redis.call('ZCARD', KEYS[k.z]) end
              end
              return out
            end
            local function oldestId()
              local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
              if #first == 0 then return '' end
              return first[1][1]
            end
            local function oldest()
              local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
              if #first == 0 then return -1 end
              return tonumber(first[1][2][4])
            end
            local function purgeHead(cutoff)
              local deleted, freed = 0, 0
              while true do
                local batch = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 64)
                local stop = #batch == 0
                for _, e in ipairs(batch) do
                  if tonumber(e[2][4]) <= cutoff then
                    redis.call('XDEL', KEYS[2], e[1])
                    deleted = deleted + 1
                    freed = freed + string.len(e[2][6])
                  else
                    stop = true
                    break
                  end
                end
                if stop then break end
              end
              if freed > 0 then redis.call('HINCRBY', KEYS[1], 'bytes', -freed) end
              return deleted
            end
            """;

    private final String source;
    private final String sha1;

    Scripts(String body) {
        this.source = prelude() + body;
        this.sha1 = sha1(source);
    }

    /**
     * The script's full text.
     *
     * @return the Lua source
     */
    public String source() {
        return source;
    }

    /**
     * The script's SHA-1, as {@code EVALSHA} takes it.
     *
     * @return 40 hex digits
     */
    public String sha1() {
        return sha1;
    }

    /**
     * A pre-key kind's number in the scripts' {@code KINDS} table.
     *
     * @param kind the kind
     * @return its 1-based index, as a string argument
     */
    public static String kindIndex(PreKeyKind kind) {
        return Integer.toString(kind.ordinal() + 1);
    }

    private static String prelude() {
        StringBuilder b = new StringBuilder("local KINDS = {\n");
        for (PreKeyKind k : PreKeyKind.values()) {
            b.append("  {code = '").append(k.code()).append('\'');
            if (k.rule() == PreKeyKind.HandoutRule.KEPT) {
                b.append(", kept = true");
            } else {
                int z = Keys.preKeySetIndex(k) + 1;
                b.append(", z = ").append(z).append(", h = ").append(z + 1);
            }
            b.append("},\n");
        }
        return b.append("}\n").append(HELPERS).toString();
    }

    /** A script's SHA-1 as {@code EVALSHA} takes it: for these scripts and {@link ClusterScripts}. */
    static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
