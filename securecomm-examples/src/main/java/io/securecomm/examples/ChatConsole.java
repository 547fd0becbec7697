package io.securecomm.examples;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.ClientPage;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.NotConnectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.PeerIdentityChangedException;
import io.securecomm.client.RelayKeyDecision;
import io.securecomm.client.RoomKeyWithheldReason;
import io.securecomm.client.Session;
import io.securecomm.client.UndecryptableMessageException;
import io.securecomm.e2e.SafetyNumber;
import io.securecomm.wire.LeaveReason;
import io.securecomm.wire.Limits;
import io.securecomm.wire.Nickname;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The chat commands of the terminal client, independent of how lines are read and printed (JLine or
 * plain streams): {@code /list}, {@code /msg <client> <message>}, {@code /verify <client> [yes]},
 * {@code /trust <client> <safety number>}, {@code /reject <client>}, {@code /help}, {@code /exit}, and
 * any other text as a public message. Each command waits for the relay's answer, so a script of
 * commands runs in order. Also the client's listener: it prints incoming events as single lines.
 */
final class ChatConsole implements ChatListener {
    /** How the send time of a stored message is shown: UTC, to the second, so scripts and people read the same. */
    static final DateTimeFormatter SENT_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    static final long REPLY_TIMEOUT_SECONDS = 15;
    /** How many clients one {@code /list} shows: a screen, not 10,000 lines. */
    static final int PAGE_SIZE = 20;

    static final List<String> HELP = List.of(
            "Commands:",
            "  /list                      show who is online (" + ChatConsole.PAGE_SIZE + " at a time), with identity"
                    + " fingerprints",
            "  /list more                 show the next " + ChatConsole.PAGE_SIZE + "; /list <name> starts at a name",
            "  /msg <client> <message>    send a private message (client = nickname or #id)",
            "  /verify <client>           show the safety number to compare with <client> out of band",
            "  /verify <client> yes       record that the safety numbers matched",
            "  /trust <client> <number>   accept <client>'s changed identity key: the one whose safety number you"
                    + " compared",
            "  /reject <client>           refuse <client>'s changed identity key and keep the one you had",
            "  /release                   release your nickname at the relay: another identity may take it once"
                    + " you leave; messages queued for you are deleted",
            "  /help                      show this help",
            "  /exit                      disconnect and quit",
            "  anything else              send a public message to everyone",
            "Private and public messages are end-to-end encrypted: the relay forwards ciphertext only.");

    /** The last line of the help in the INSECURE legacy suite, which has no end-to-end encryption. */
    static final String LEGACY_HELP_NOTE = "INSECURE legacy suite: messages are NOT end-to-end encrypted; the relay"
            + " and anyone on the network can read and change them, and there are no identities to /verify.";

    private final Consumer<String> out;
    private volatile CompletableFuture<ChatClientException> disconnected = new CompletableFuture<>();
    private volatile ChatClient client;
    private volatile Session session;
    /** Where {@code /list more} goes on, or null when the last list reached the end. */
    private volatile String nextPage;

    ChatConsole(Consumer<String> out) {
        this.out = out;
    }

    void attach(ChatClient client, Session session) {
        this.client = client;
        this.session = session;
    }

    /**
     * Says so when this client connected into a full room: online and listed, but outside the room (its list of
     * the room is empty, since the relay lists the room only to its members).
     */
    void roomNotice() {
        try {
            if (await(client.list()).stream().noneMatch(c -> c.clientId() == session.clientId())) {
                ClientPage page = await(client.listPage("", 1));
                out.accept("* the room is full (" + page.roomMembers() + " of " + page.roomLimit() + " members): you"
                        + " are online and listed, but outside the room, so you get no room messages or presence and"
                        + " no one can write to you; reconnect later to take a free place");
            }
        } catch (ChatClientException e) {
            out.accept("! cannot ask for the room: " + e.getMessage());
        }
    }

    /** Completes with the cause when the current session ends. */
    CompletableFuture<ChatClientException> disconnected() {
        return disconnected;
    }

    /**
     * Starts watching a new connection (the first, or one made again to another node), before its client connects.
     *
     * @return completes with the cause when that connection's session ends
     */
    CompletableFuture<ChatClientException> nextConnection() {
        CompletableFuture<ChatClientException> next = new CompletableFuture<>();
        disconnected = next;
        return next;
    }

    /**
     * Runs one input line.
     *
     * @param line what the user typed
     * @return {@code false} if the user asked to exit
     */
    boolean handle(String line) {
        String input = line.strip();
        if (input.isEmpty()) {
            return true;
        }
        if (!input.startsWith("/")) {
            send(() -> client.sendPublic(input), null);
            return true;
        }
        String[] parts = input.split("\\s+", 3);
        switch (parts[0]) {
            case "/exit":
            case "/quit":
                return false;
            case "/help":
                if (legacy()) {
                    HELP.subList(0, HELP.size() - 1).forEach(out);
                    out.accept(LEGACY_HELP_NOTE);
                } else {
                    HELP.forEach(out);
                }
                return true;
            case "/list":
                if (parts.length == 1) {
                    list("", true);
                } else if (parts[1].equals("more")) {
                    if (nextPage == null) {
                        out.accept("! nothing more to list; /list starts again from the top");
                    } else {
                        list(nextPage, false);
                    }
                } else {
                    list(startingAt(parts[1]), false);
                }
                return true;
            case "/msg":
                if (parts.length < 3 || parts[2].isBlank()) {
                    out.accept("! usage: /msg <client> <message>  (the message must not be empty)");
                    return true;
                }
                String recipient = parts[1].startsWith("#") ? parts[1].substring(1) : parts[1];
                String text = parts[2];
                sendPrivate(recipient, parts[1], text);
                return true;
            case "/verify":
                if (parts.length < 2) {
                    out.accept("! usage: /verify <client> [yes]");
                    return true;
                }
                verify(parts[1].startsWith("#") ? parts[1].substring(1) : parts[1],
                        parts.length == 3 && parts[2].strip().equalsIgnoreCase("yes"));
                return true;
            case "/trust":
                if (parts.length < 3) {
                    out.accept("! usage: /trust <client> <safety number>  (the 60 digits you compared with <client>)");
                    return true;
                }
                trust(parts[1], parts[2]);
                return true;
            case "/release":
                try {
                    await(client.releaseAccount());
                    out.accept("* your account is released: another identity may take this nickname once you leave");
                } catch (ChatClientException e) {
                    out.accept("! not released: " + e.getMessage());
                }
                return true;
            case "/reject":
                if (parts.length < 2) {
                    out.accept("! usage: /reject <client>");
                    return true;
                }
                reject(parts[1]);
                return true;
            default:
                out.accept("! unknown command " + parts[0] + "; type /help for the list of commands");
                return true;
        }
    }

    private void send(Supplier<? extends CompletableFuture<?>> action, String onSuccess) {
        try {
            await(action.get());
            if (onSuccess != null) {
                out.accept(onSuccess);
            }
        } catch (IllegalArgumentException e) {
            out.accept("! not sent: " + e.getMessage());
        } catch (ChatClientException e) {
            out.accept("! not sent: " + e.getMessage());
        }
    }

    /** A private message says whether it reached the recipient or waits for it at the relay. */
    private void sendPrivate(String recipient, String named, String text) {
        try {
            DeliveryStatus status = await(client.sendPrivate(recipient, text));
            out.accept("[to " + named + "] " + text);
            if (status == DeliveryStatus.STORED) {
                out.accept("queued: " + recipient + " is offline; the relay delivers it when " + recipient
                        + " connects");
            }
        } catch (IllegalArgumentException | ChatClientException e) {
            out.accept("! not sent: " + e.getMessage());
        }
    }

    private void verify(String peer, boolean confirmed) {
        try {
            if (confirmed) {
                await(client.markVerified(peer));
                out.accept("* " + peer + " is marked as verified");
                return;
            }
            PeerIdentity id = await(client.peerIdentity(peer));
            out.accept("* safety number with " + id.peer() + " (the same on both sides):");
            out.accept("    " + id.safetyNumber().formatted());
            out.accept("* " + id.peer() + "'s identity fingerprint " + id.fingerprint()
                    + (id.verified() ? " (verified)" : " (not verified)"));
            out.accept("* " + sessionLine(id));
            if (id.pendingFingerprint().isPresent() && id.pendingSafetyNumber().isPresent()) {
                out.accept("!!! " + id.peer() + " now presents another key, " + id.pendingFingerprint().get()
                        + "; nothing is sent to " + id.peer() + " until you decide");
                out.accept("!!! safety number under that key: " + id.pendingSafetyNumber().get().formatted());
                out.accept("!!! compare it with " + id.peer() + " (not over this chat), then /trust " + id.peer()
                        + " <that number>, or /reject " + id.peer());
            }
            if (!id.verified()) {
                out.accept("* if " + id.peer() + " sees the same number, type /verify " + id.peer() + " yes");
            }
        } catch (ChatClientException | IllegalStateException e) {
            // IllegalStateException: the INSECURE legacy suite has no end-to-end identities to verify.
            out.accept("! cannot verify " + peer + ": " + e.getMessage());
        }
    }

    /** What protects the session with the peer: post-quantum (PQXDH) or not, in one line. */
    static String sessionLine(PeerIdentity id) {
        if (id.sessionSetup().isEmpty()) {
            return "no session with " + id.peer() + " yet; the first message sets one up with PQXDH (post-quantum"
                    + " protected: X25519 and ML-KEM-1024)";
        }
        return id.postQuantum()
                ? "session with " + id.peer() + ": post-quantum protected (PQXDH: X25519 and ML-KEM-1024)"
                : "session with " + id.peer() + ": NOT post-quantum protected (X3DH, set up by an earlier version);"
                        + " the next message replaces it with a PQXDH one";
    }

    private void trust(String peer, String digits) {
        SafetyNumber compared;
        try {
            compared = SafetyNumber.parse(digits);
        } catch (IllegalArgumentException e) {
            out.accept("! '" + digits + "' is not a safety number: give the 60 digits you compared with " + peer);
            return;
        }
        try {
            boolean accepted = await(client.trustNewIdentity(peer, compared));
            out.accept(accepted ? "* accepted " + peer + "'s new identity key (the one with that safety number);"
                    + " messages to " + peer + " resume" : "* no identity change is pending for " + peer);
        } catch (ChatClientException | IllegalStateException e) {
            out.accept("! cannot trust " + peer + ": " + e.getMessage());
        }
    }

    private void reject(String peer) {
        try {
            boolean rejected = await(client.rejectNewIdentity(peer));
            out.accept(rejected ? "* rejected " + peer + "'s new identity key; the key you had stays trusted"
                    : "* no identity change is pending for " + peer);
        } catch (ChatClientException | IllegalStateException e) {
            out.accept("! cannot reject " + peer + "'s key: " + e.getMessage());
        }
    }

    /** Whether this session uses the INSECURE legacy suite (no end-to-end layer, no identities). */
    private boolean legacy() {
        Session s = session;
        return s != null && s.trust() == RelayKeyDecision.NOT_AUTHENTICATED_INSECURE_LEGACY;
    }

    /**
     * Shows one page of everyone online: a summary line first (how many are online, how many in the room), then up to
     * {@link #PAGE_SIZE} clients in nickname order, and how to see more. Each member of the room comes with the
     * fingerprint of its end-to-end identity, the same fingerprint {@code /verify} shows (never the key the relay
     * announces, which the relay could have made up); members are looked up together, so one slow answer does not hold
     * up the others. A client outside the room has no end-to-end identity here, and is marked so.
     */
    private void list(String after, boolean fromTheTop) {
        try {
            ClientPage page = await(client.listPage(after, PAGE_SIZE));
            nextPage = page.nextCursor().orElse(null);
            if (fromTheTop) {
                out.accept("online (" + page.online() + (page.roomMembers() == page.online() ? ""
                        : "; the room has " + page.roomMembers() + " of at most " + page.roomLimit() + " members")
                        + "):");
            }
            Map<ClientPage.Entry, CompletableFuture<PeerIdentity>> identities = new LinkedHashMap<>();
            for (ClientPage.Entry e : page.entries()) {
                OnlineClient c = e.client();
                boolean you = session != null && c.clientId() == session.clientId();
                identities.put(e, you || legacy() || !e.inRoom() ? null : client.peerIdentity(c.nickname()));
            }
            for (var entry : identities.entrySet()) {
                OnlineClient c = entry.getKey().client();
                boolean you = session != null && c.clientId() == session.clientId();
                String identity;
                if (legacy()) {
                    identity = "(no identity: INSECURE legacy suite)";
                } else if (you) {
                    identity = client.identityKey().fingerprint() + " (you" + (entry.getKey().inRoom() ? ")"
                            : ", outside the room)");
                } else if (entry.getValue() == null) {
                    identity = "(outside the room)";
                } else {
                    identity = describe(entry.getValue());
                }
                out.accept(String.format("  #%-4d %-24s %s", c.clientId(), c.nickname(), identity));
            }
            if (nextPage != null) {
                out.accept("  ... more: /list more shows the next " + PAGE_SIZE + ", /list <name> starts at a name");
            }
        } catch (ChatClientException e) {
            out.accept("! cannot list: " + e.getMessage());
        }
    }

    /**
     * The cursor that starts a page at a name: the largest string below its canonical form that no nickname falls
     * between ({@code bob} becomes {@code boa~}: {@code ~} sorts after every nickname character).
     */
    static String startingAt(String name) {
        String canonical = Nickname.canonical(name.startsWith("#") ? name.substring(1) : name);
        if (canonical.isEmpty()) {
            return "";
        }
        if (canonical.length() > Limits.NICKNAME_MAX_CHARS) {
            canonical = canonical.substring(0, Limits.NICKNAME_MAX_CHARS);
        }
        char last = canonical.charAt(canonical.length() - 1);
        return canonical.substring(0, canonical.length() - 1) + (char) (last - 1) + "~";
    }

    private static String describe(CompletableFuture<PeerIdentity> lookup) {
        try {
            PeerIdentity id = await(lookup);
            return id.fingerprint() + (id.pendingFingerprint().isPresent() ? " (KEY CHANGED: /verify to decide)"
                    : id.verified() ? " (verified)" : " (not verified)");
        } catch (ChatClientException e) {
            return "(identity unknown: " + e.getMessage() + ")";
        }
    }

    private static <T> T await(CompletableFuture<T> f) throws ChatClientException {
        try {
            return f.get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ChatClientException c) {
                throw c;
            }
            throw new NotConnectedException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            throw new NotConnectedException("the relay did not answer within " + REPLY_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotConnectedException("interrupted");
        }
    }

    @Override
    public void onMessage(ChatMessage m) {
        // A message the relay kept while this client was offline shows when it was sent.
        String sent = m.sentAt().map(t -> "[sent " + SENT_AT.format(t) + "] ").orElse("");
        out.accept(sent + (m.isPrivate() ? "[private] " : "") + "<" + m.senderNickname() + "> " + m.text());
    }

    @Override
    public void onJoin(OnlineClient c) {
        out.accept("* " + c.nickname() + " joined (#" + c.clientId() + ")");
    }

    @Override
    public void onLeave(OnlineClient c, LeaveReason reason) {
        out.accept("* " + c.nickname() + " " + reason.description());
    }

    @Override
    public void onError(ChatClientException error) {
        out.accept("! relay error: " + error.getMessage());
    }

    @Override
    public void onIdentityChanged(PeerIdentityChangedException change) {
        out.accept("!!! " + change.getMessage());
        out.accept("!!! new safety number: " + change.safetyNumber());
        out.accept("!!! compare it with " + change.peer() + " (not over this chat), then type /trust " + change.peer()
                + " <that number>, or /reject " + change.peer());
    }

    @Override
    public void onUndecryptable(UndecryptableMessageException error) {
        out.accept("! " + error.getMessage());
    }

    /** Routine (a member joined, or rotated its key after someone left): nothing to show. */
    @Override
    public void onRoomKeyChanged(OnlineClient member) {
        // Warnings are for identity changes only; a routine line per key would train people to ignore them.
    }

    @Override
    public void onRoomKeyShared(PeerIdentity member) {
        out.accept("* " + member.peer() + " can now read your public messages (identity " + member.fingerprint()
                + (member.verified() ? ", verified)" : ", not verified: /verify " + member.peer() + ")"));
    }

    @Override
    public void onRoomKeyWithheld(OnlineClient member, RoomKeyWithheldReason reason) {
        out.accept("* " + member.nickname() + " cannot read your public messages: " + member.nickname() + " "
                + reason.description() + "; /verify " + member.nickname() + " to compare safety numbers");
    }

    /**
     * Not a relay error, as {@link #onError} would call it: the line says which member cannot read the user's public
     * messages, why, and when the client tries again.
     */
    @Override
    public void onRoomKeyNotDelivered(OnlineClient member, MessageRejectedException cause) {
        out.accept("! " + member.nickname() + " cannot read your public messages yet: " + cause.getMessage());
    }

    @Override
    public void onDisconnected(ChatClientException cause) {
        if (!(cause instanceof NotConnectedException)) {
            out.accept("* disconnected: " + cause.getMessage());
        }
        disconnected.complete(cause);
    }
}
