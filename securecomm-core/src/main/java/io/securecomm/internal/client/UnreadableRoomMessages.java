package io.securecomm.internal.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The room messages a client cannot read, counted per sender and reported once per sender rather than once per
 * message (issue 22): the first at once, the ones after it together, at most once every {@link #REPORT_INTERVAL}
 * (with their number), and whatever is still counted when the sender leaves or this client's session ends. So a
 * member that floods the room with junk, or with messages under a key it never sent, costs its readers a count and
 * one report a minute, not a report (and an exception) per message, and their chat is not held up behind it.
 *
 * <p>It also tells, without decoding or throwing, whether bytes can be a room message at all
 * ({@link #couldBeRoomMessage}): what cannot be (wrong version or type, too short for a tag and a signature) can never
 * become readable and is dropped at once, counted. What could become readable (its sender's key may still arrive) is
 * not decided here: it is held, under the 30 s rule of docs/E2E.md, and counted here only when it is given up.
 *
 * <p>Memory: one entry per sender with something counted, forgotten when it leaves. Time from the client's
 * {@link Clock}. Not thread-safe: confined to the session's thread.
 */
final class UnreadableRoomMessages {
    /** The shortest period between two reports of one sender's unreadable room messages. */
    static final Duration REPORT_INTERVAL = Duration.ofMinutes(1);

    /** The version byte every end-to-end structure starts with (docs/E2E.md, "Message type bytes"). */
    static final int VERSION = 1;
    /** The type byte of a room message (docs/E2E.md, "Message type bytes"). */
    static final int ROOM_MESSAGE_TYPE = 3;

    /** A room message's fixed part: version, type, chain id, iteration, the AEAD tag and the Ed25519 signature. */
    static final int MIN_ROOM_MESSAGE_BYTES = 2 + 4 + 4 + 16 + 64;

    /**
     * One report to make.
     *
     * @param sender the member the messages claimed to come from
     * @param messages how many unreadable messages it reports, at least 1
     * @param reason why the last of them could not be read
     * @param cause the exception of the last, if there was one
     */
    record Report(String sender, int messages, String reason, Throwable cause) {
        Report {
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final Clock clock;
    private final Map<String, Counted> senders = new HashMap<>();
    private long total;

    /**
     * Creates the counter of one session.
     *
     * @param clock the client's clock
     */
    UnreadableRoomMessages(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Whether bytes can be a room message at all: the right version and type, and long enough. Costs a few
     * comparisons; decodes nothing and throws nothing.
     *
     * @param message the bytes of a room envelope
     * @return {@code false} if they can never be read, whatever keys arrive
     */
    static boolean couldBeRoomMessage(byte[] message) {
        return message.length >= MIN_ROOM_MESSAGE_BYTES && (message[0] & 0xFF) == VERSION
                && (message[1] & 0xFF) == ROOM_MESSAGE_TYPE;
    }

    /**
     * One room message from {@code sender} could not be read.
     *
     * @param sender the member it claimed to come from (canonical nickname)
     * @param reason why
     * @param cause the exception, or {@code null}
     * @return the report to make now: the sender's first, or the ones counted since its last report once the
     *     interval has passed; empty while it is only counted
     */
    Optional<Report> unreadable(String sender, String reason, Throwable cause) {
        total++;
        Instant now = clock.instant();
        Counted c = senders.get(sender);
        if (c == null) {
            senders.put(sender, new Counted(now));
            return Optional.of(new Report(sender, 1, reason + "; further unreadable room messages from '" + sender
                    + "' are counted and reported together, at most once every " + REPORT_INTERVAL.toSeconds()
                    + " s", cause));
        }
        c.count++;
        c.lastReason = reason;
        c.lastCause = cause;
        return now.isBefore(c.lastReportAt.plus(REPORT_INTERVAL)) ? Optional.empty() : Optional.of(c.report(sender,
                now));
    }

    /**
     * When the next report of counted messages is due.
     *
     * @return the earliest instant at which {@link #due} has a report, or empty if nothing is counted
     */
    Optional<Instant> nextReport() {
        Instant next = null;
        for (Counted c : senders.values()) {
            if (c.count > 0) {
                Instant at = c.lastReportAt.plus(REPORT_INTERVAL);
                if (next == null || at.isBefore(next)) {
                    next = at;
                }
            }
        }
        return Optional.ofNullable(next);
    }

    /**
     * The reports due now: the messages counted for each sender whose interval has passed.
     *
     * @param now the time now
     * @return one report per such sender
     */
    List<Report> due(Instant now) {
        List<Report> out = new ArrayList<>();
        for (Map.Entry<String, Counted> e : senders.entrySet()) {
            Counted c = e.getValue();
            if (c.count > 0 && !now.isBefore(c.lastReportAt.plus(REPORT_INTERVAL))) {
                out.add(c.report(e.getKey(), now));
            }
        }
        return out;
    }

    /**
     * A sender left: what is counted for it is reported, and it is forgotten.
     *
     * @param sender the member (canonical nickname)
     * @return its last report, if anything was counted since the previous one
     */
    Optional<Report> left(String sender) {
        Counted c = senders.remove(sender);
        return c == null || c.count == 0 ? Optional.empty() : Optional.of(c.report(sender, clock.instant()));
    }

    /**
     * This client's session ends: what is counted for every sender is reported, and everything forgotten.
     *
     * @return one report per sender with something counted
     */
    List<Report> closed() {
        List<Report> out = new ArrayList<>();
        Instant now = clock.instant();
        for (Iterator<Map.Entry<String, Counted>> it = senders.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Counted> e = it.next();
            if (e.getValue().count > 0) {
                out.add(e.getValue().report(e.getKey(), now));
            }
            it.remove();
        }
        return out;
    }

    /**
     * How many unreadable room messages were counted in all, reported or not.
     *
     * @return the count
     */
    long total() {
        return total;
    }

    /** One sender's messages counted since its last report. */
    private static final class Counted {
        Instant lastReportAt;
        int count;
        String lastReason;
        Throwable lastCause;

        Counted(Instant firstReportAt) {
            this.lastReportAt = firstReportAt;
        }

        Report report(String sender, Instant now) {
            Report r = new Report(sender, count, count + " more room message" + (count == 1 ? "" : "s") + " from '"
                    + sender + "' could not be read (the last: " + lastReason + ")", lastCause);
            count = 0;
            lastReason = null;
            lastCause = null;
            lastReportAt = now;
            return r;
        }
    }
}
