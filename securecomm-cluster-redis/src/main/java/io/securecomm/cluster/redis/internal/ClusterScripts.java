package io.securecomm.cluster.redis.internal;

/**
 * The cluster's Lua scripts. Every directory script gets {@link ClusterKeys#directory(String)}'s eight keys, all on
 * the {@code {presence}} hash slot, and is atomic there: a nickname claim and the room's count cannot race across
 * nodes. Times come from Redis' own clock ({@code TIME}), so nodes with skewed clocks still agree on who expired.
 * Replies are arrays of strings. Run by {@code EVALSHA}, and by {@code EVAL} once after Redis lost its script cache.
 */
public enum ClusterScripts {
    /**
     * ARGV: node, client id, skeleton, presence, wants the room (1/0), room limit. Returns {G} (this node's presence
     * is gone: publish anew first), {T, holder's presence} or {J, in room (1/0), epoch, live nodes...}.
     */
    JOIN("""
            local now = nowMs()
            local alive = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if (not alive) or tonumber(alive) < now then return {'G'} end
            local holder = redis.call('HGET', KEYS[3], ARGV[3])
            if holder and holder ~= ARGV[2] then
              return {'T', redis.call('HGET', KEYS[2], holder) or ''}
            end
            local inRoom = '0'
            if ARGV[5] == '1' and (redis.call('SISMEMBER', KEYS[5], ARGV[2]) == 1
                or redis.call('SCARD', KEYS[5]) < tonumber(ARGV[6])) then
              inRoom = '1'
            end
            local old = redis.call('HGET', KEYS[4], ARGV[2])
            if old and old ~= ARGV[3] and redis.call('HGET', KEYS[3], old) == ARGV[2] then
              redis.call('HDEL', KEYS[3], old)
            end
            redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
            redis.call('HSET', KEYS[3], ARGV[3], ARGV[2])
            redis.call('HSET', KEYS[4], ARGV[2], ARGV[3])
            redis.call('SADD', KEYS[7], ARGV[2])
            if inRoom == '1' then redis.call('SADD', KEYS[5], ARGV[2]) else redis.call('SREM', KEYS[5], ARGV[2]) end
            local out = {'J', inRoom, epochOf(ARGV[1])}
            append(out, live(now))
            return out
            """),
    /** ARGV: node, client id. Returns {removed (1/0), epoch, live nodes...}. */
    LEAVE("""
            local removed = '0'
            if redis.call('SREM', KEYS[7], ARGV[2]) == 1 then
              removeClient(ARGV[2])
              removed = '1'
            end
            local out = {removed, epochOf(ARGV[1])}
            append(out, live(nowMs()))
            return out
            """),
    /**
     * ARGV: node, expiry (ms). Refreshes the node's presence if it is still listed and not expired. Returns {known
     * (1/0), live nodes...}; 0 means the node must publish its clients anew.
     */
    HEARTBEAT("""
            local now = nowMs()
            local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
            local known = '0'
            if s and tonumber(s) >= now then
              redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
              known = '1'
            end
            local out = {known}
            append(out, live(now))
            return out
            """),
    /**
     * ARGV: the node sets' key prefix ({@link ClusterKeys#nodeClientsPrefix()}), and a node to remove whatever its
     * expiry (a node leaving), or an empty string to remove every expired node. Returns {count of removed nodes,
     * their ids..., count of live nodes, their ids..., then for each removed client: epoch, presence}.
     */
    REAP("""
            local now = nowMs()
            local dead
            if ARGV[2] ~= '' then
              dead = {ARGV[2]}
            else
              dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
            end
            local gone = {}
            for _, n in ipairs(dead) do
              local e = tostring(redis.call('HINCRBY', KEYS[6], n, 1))
              local set = ARGV[1] .. n
              for _, c in ipairs(redis.call('SMEMBERS', set)) do
                local blob = removeClient(c)
                if blob then
                  table.insert(gone, e)
                  table.insert(gone, blob)
                end
              end
              redis.call('DEL', set)
              redis.call('ZREM', KEYS[1], n)
            end
            local l = live(now)
            local out = {tostring(#dead)}
            append(out, dead)
            table.insert(out, tostring(#l))
            append(out, l)
            append(out, gone)
            return out
            """),
    /**
     * ARGV: node, expiry (ms), the least value for the id counter, then for each client of the node: id, skeleton,
     * presence, in room (1/0). Replaces whatever the directory held for the node with these clients (a client whose
     * skeleton another node's client holds now is left out), raises the node's epoch and refreshes its presence.
     * Returns {epoch, count of clients removed, their ids..., count of live nodes, their ids..., ids of the clients
     * published...}.
     */
    REPUBLISH("""
            local now = nowMs()
            local e = tostring(redis.call('HINCRBY', KEYS[6], ARGV[1], 1))
            local old = redis.call('SMEMBERS', KEYS[7])
            for _, c in ipairs(old) do removeClient(c) end
            redis.call('DEL', KEYS[7])
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            if tonumber(redis.call('GET', KEYS[8]) or '0') < tonumber(ARGV[3]) then
              redis.call('SET', KEYS[8], ARGV[3])
            end
            local added = {}
            local i = 4
            while i + 3 <= #ARGV do
              local c, sk = ARGV[i], ARGV[i + 1]
              if not redis.call('HGET', KEYS[3], sk) then
                redis.call('HSET', KEYS[2], c, ARGV[i + 2])
                redis.call('HSET', KEYS[3], sk, c)
                redis.call('HSET', KEYS[4], c, sk)
                redis.call('SADD', KEYS[7], c)
                if ARGV[i + 3] == '1' then redis.call('SADD', KEYS[5], c) end
                table.insert(added, c)
              end
              i = i + 4
            end
            local l = live(now)
            local out = {e, tostring(#old)}
            append(out, old)
            table.insert(out, tostring(#l))
            append(out, l)
            append(out, added)
            return out
            """),
    /**
     * No ARGV. The whole directory at one instant: {count of nodes with an epoch, then node, epoch pairs..., then
     * for each client: presence, in room (1/0)}.
     */
    SNAPSHOT("""
            local epochs = redis.call('HGETALL', KEYS[6])
            local out = {tostring(#epochs / 2)}
            append(out, epochs)
            local all = redis.call('HGETALL', KEYS[2])
            for i = 1, #all, 2 do
              table.insert(out, all[i + 1])
              table.insert(out, tostring(redis.call('SISMEMBER', KEYS[5], all[i])))
            end
            return out
            """),
    /**
     * ARGV: block size, the largest id. Reserves a block of client ids and returns its last; starts again from the
     * block size when the counter would pass the largest id.
     */
    IDS("""
            local last = redis.call('INCRBY', KEYS[8], ARGV[1])
            if last > tonumber(ARGV[2]) then
              redis.call('SET', KEYS[8], ARGV[1])
              last = tonumber(ARGV[1])
            end
            return {tostring(last)}
            """);

    private static final String HELPERS = """
            local function nowMs()
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            local function live(now)
              return redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')
            end
            local function append(out, list)
              for _, v in ipairs(list) do table.insert(out, v) end
            end
            local function epochOf(node)
              return redis.call('HGET', KEYS[6], node) or '0'
            end
            local function removeClient(c)
              local blob = redis.call('HGET', KEYS[2], c)
              local sk = redis.call('HGET', KEYS[4], c)
              if sk and redis.call('HGET', KEYS[3], sk) == c then redis.call('HDEL', KEYS[3], sk) end
              redis.call('HDEL', KEYS[4], c)
              redis.call('HDEL', KEYS[2], c)
              redis.call('SREM', KEYS[5], c)
              return blob
            end
            """;

    private final String source;
    private final String sha1;

    ClusterScripts(String body) {
        this.source = HELPERS + body;
        this.sha1 = Scripts.sha1(source);
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
}
