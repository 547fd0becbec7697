package io.securecomm.relay.cluster;

import io.securecomm.wire.LeaveReason;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One relay node's membership of a cluster of relays behind one name: how it shares with the other nodes who is
 * online where, the public room, and the live routing of messages (docs/CLUSTER.md, "The SPI"). One instance per node;
 * the relay borrows it ({@code RelayOptions.Builder.cluster}), {@linkplain #attach attaches} itself when it starts, and
 * does not close it. What is stored (accounts, pre-keys, queued messages) is shared through the store
 * ({@link io.securecomm.relay.store.RelayStore}), not here.
 *
 * <p><b>What stays on the node.</b> A node keeps its own clients, with their connections, in its own memory, and
 * admits, lists and routes to them without the cluster. It asks the cluster only about the others: every
 * {@code find}, {@code page} and count method here is about clients on <em>other</em> nodes, and a node merges their
 * answers with its own. {@link #standalone()} is a cluster of one node, the default: it hands out client ids and knows
 * no other node, so a relay on it behaves exactly as a single relay.
 *
 * <p><b>Reads never wait.</b> {@link #findById}, {@link #findByNickname}, {@link #page}, {@link #onlineElsewhere()} and
 * {@link #roomMembersElsewhere()} answer from what this node already knows (a backend keeps a view of the other nodes'
 * presence, updated as they change, and reloaded after its connection comes back): they are called on the
 * connections' event loops. The view may lag the truth by the propagation delay; a message routed to a client that
 * just left is answered {@link RouteOutcome#RECIPIENT_GONE}, never lost silently.
 *
 * <p><b>Writes and routes complete later, always.</b> {@link #join} and {@link #route} return a stage at once, and
 * every stage completes, with a result or with a {@link ClusterUnavailableException}: an implementation answers
 * within {@link #routeTimeout()}, and the relay also gives up waiting then (the sender is told "not delivered", never
 * left hanging). Completions may come on any thread; the relay hands them to the session's own thread.
 *
 * <p><b>Presence expires.</b> A node's presence lives only while it keeps it alive: an implementation refreshes it
 * (a heartbeat) at least three times per {@link #presenceExpiry()}, and when a node stops refreshing (it died, or lost
 * the backend), every other node stops listing its clients, and announces them as
 * {@link PresenceChange.Offline} ({@link LeaveReason#DISCONNECTED}), within {@link #presenceExpiry()} plus one check
 * period. A node that reaches the backend again publishes its clients anew ({@link ClusterNode#localClients()}).
 * Messages in flight to a dead node complete as {@link RouteOutcome#NOT_DELIVERED} (at its deadline at the latest);
 * a message to an account is then stored, so it is delivered later or reported "not stored", never dropped.
 *
 * <p><b>Ordering.</b> A single relay delivers each sender's messages to each recipient exactly once, in the order
 * sent (docs/RELAY.md, "Delivery and order"). The cluster keeps that if it guarantees what this interface requires:
 * the {@link RoutedMessage}s one node routes to another reach that node's {@link ClusterNode#deliver} <em>in the
 * order of the {@link #route} calls</em>, at most once each (a message the backend may have lost is reported
 * {@link RouteOutcome#NOT_DELIVERED}, never sent twice). The relay routes a sender's messages from the sender's one
 * connection thread, and the receiving node writes them to each recipient's connection in the order they arrive.
 * For messages to accounts (live or stored, one order), the sending node also keeps at most one routed message in
 * flight per recipient account and sender, and stores the next ones behind a refused one
 * ({@link RouteOutcome#NOT_LIVE}), so that a live message never overtakes a stored one. Presence is ordered with
 * the routes too: a client's {@link PresenceChange.Online} reaches each other node before any message routed from
 * that client, and its {@link PresenceChange.Offline} after the last one (a member hears of a sender before its room
 * key, as on one relay). Carrying a node's presence changes and routes to each node on one ordered stream does both.
 *
 * <p><b>Identity.</b> Client ids are unique across the cluster while it runs ({@link #nextClientId()}); nicknames are
 * unique across the cluster by their confusable skeleton ({@link #join}).
 *
 * <p>Thread-safe: called from every connection's event loop at once.
 */
public interface RelayCluster extends AutoCloseable {
    /**
     * A cluster of one node: the default of a relay without a cluster. It hands out client ids from 1 and knows no
     * other node: every client joins, no client elsewhere is found, and nothing is ever routed.
     *
     * @return a new standalone cluster, for one relay
     */
    static RelayCluster standalone() {
        return new StandaloneCluster();
    }

    /**
     * This node's id, unique in the cluster (a backend makes one at start, so a restarted node is a new node).
     *
     * @return the id
     */
    String nodeId();

    /**
     * Attaches the relay of this node, which the cluster calls back for what happens on other nodes; the relay calls
     * it once, when it starts, before it accepts a connection.
     *
     * @param node the relay
     * @throws IllegalStateException if a node is already attached
     */
    void attach(ClusterNode node);

    /**
     * A new client id, never handed out before in the cluster while it runs. Never waits: a backend reserves ids
     * ahead, a block at a time.
     *
     * @return the id, at least 1
     * @throws ClusterUnavailableException if the backend cannot be reached and no reserved id is left
     */
    int nextClientId() throws ClusterUnavailableException;

    /**
     * Puts a client that this node admitted online across the cluster: reserves its nickname (by its confusable
     * skeleton, {@link io.securecomm.wire.Nickname#skeleton}) against clients on other nodes, gives it a place in the
     * public room if it asks for one ({@link ClientPresence#inRoom()}) and the room has one across every node, and
     * tells the other nodes ({@link PresenceChange.Online}). The client is listed elsewhere from then until
     * {@link #leave}, or until this node's presence expires.
     *
     * @param client the client, on this node
     * @param roomLimit the most members the room has across the cluster
     * @return whether it joined, and with a place in the room; fails with {@link ClusterUnavailableException} if the
     *     backend cannot be reached (the relay then refuses the client: it never lets a nickname in unchecked)
     */
    CompletionStage<JoinResult> join(ClientPresence client, int roomLimit);

    /**
     * Takes a client of this node offline across the cluster, and tells the other nodes
     * ({@link PresenceChange.Offline}). Never waits and never fails: if the backend cannot be reached, the client's
     * presence goes when this node publishes its clients anew, or when this node's presence expires.
     *
     * @param client the client, as it {@linkplain #join joined} (with the room place it got)
     * @param reason why, as the room members elsewhere are told
     */
    void leave(ClientPresence client, LeaveReason reason);

    /**
     * A client connected to another node, by id.
     *
     * @param clientId the client id
     * @return its presence, if a node other than this one lists it
     */
    Optional<ClientPresence> findById(int clientId);

    /**
     * A client connected to another node, by nickname.
     *
     * @param canonicalNickname the nickname's canonical form
     * @return its presence, if a node other than this one lists it
     */
    Optional<ClientPresence> findByNickname(String canonicalNickname);

    /**
     * One page of the clients on other nodes, by canonical nickname: those after a cursor, in ascending
     * ({@link String#compareTo}) order. O(log n + page), like a single relay's list.
     *
     * @param afterCanonical list only canonical nicknames after this; empty for the start
     * @param maxEntries the most to return, at least 1
     * @return up to {@code maxEntries + 1} clients (one more tells the caller that more follow)
     */
    List<ClientPresence> page(String afterCanonical, int maxEntries);

    /**
     * Counts the clients online on other nodes.
     *
     * @return the count
     */
    int onlineElsewhere();

    /**
     * The room's members on other nodes, in ascending client id order.
     *
     * @return a snapshot
     */
    List<ClientPresence> roomMembersElsewhere();

    /**
     * Routes a message to clients connected to another node, and reports each recipient's outcome. The stage always
     * completes: with the recipients' node's outcomes, or with {@link RouteOutcome#NOT_DELIVERED} for each if the
     * backend failed or no answer came within {@link #routeTimeout()}. Messages routed from this node to one node
     * reach it in the order of these calls (see "Ordering" above).
     *
     * @param nodeId the node the recipients are connected to
     * @param message the message
     * @return one outcome per recipient, in the order of {@link RoutedMessage#recipientIds()}
     */
    CompletionStage<List<RouteOutcome>> route(String nodeId, RoutedMessage message);

    /**
     * Tells another node that a message was stored for an account whose client is connected there
     * ({@link ClusterNode#storedMessageArrived}). Best effort, never waits: a notice that is lost delays the
     * message until the recipient reconnects, or until its node reads the store again.
     *
     * @param nodeId the recipient's node
     * @param account the recipient's canonical nickname
     */
    void notifyStored(String nodeId, String account);

    /**
     * Whether the backend can be reached now. Never waits.
     *
     * @return the health, for the relay's readiness
     */
    ClusterHealth health();

    /**
     * How long a node's presence outlives its last heartbeat: the bound on how long a dead node's clients are still
     * listed elsewhere.
     *
     * @return the expiry
     */
    Duration presenceExpiry();

    /**
     * The longest a routed message waits for its outcome before it is reported {@link RouteOutcome#NOT_DELIVERED}.
     *
     * @return the deadline of every route
     */
    Duration routeTimeout();

    /** Leaves the cluster: stops the heartbeat and releases what the implementation holds. Idempotent. */
    @Override
    void close();
}
