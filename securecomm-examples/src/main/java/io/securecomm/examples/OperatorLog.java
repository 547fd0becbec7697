package io.securecomm.examples;

import java.io.PrintStream;
import java.text.MessageFormat;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The relay server's log for operators: one line per event that matters (start, listening, the pinned
 * fingerprint, clients joining and leaving, a connection refused by a limit, store errors, shutdown), each with
 * a UTC timestamp, as text for people or as one JSON object per line for log shippers ({@code --log-format json}).
 * It never writes message content or key material; clients' nicknames and fingerprints appear, as before, in
 * their join and leave lines (docs/OPERATIONS.md says what that means for retention).
 *
 * <pre>
 * text: 2026-12-05T07:40:00.123Z INFO  securecomm relay listening on 127.0.0.1:8080
 * json: {"time":"2026-12-05T07:40:00.123Z","level":"INFO","event":"listening","message":"securecomm relay
 *       listening on 127.0.0.1:8080","address":"127.0.0.1:8080"}   (on one line)
 * </pre>
 *
 * <p>Thread-safe: a line is written whole, under the stream's lock. Writes synchronously: callers on the
 * relay's event loops hand their lines to another thread first.
 */
final class OperatorLog {
    /** How the lines look. */
    enum Format {
        /** Timestamp, level and message, for people and journald. */
        TEXT,
        /** One JSON object per line, for log shippers. */
        JSON
    }

    /** The severity of an event. */
    enum Severity {
        /** Something happened as it should. */
        INFO,
        /** Something an operator may need to act on. */
        WARN,
        /** Something failed. */
        ERROR
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private final PrintStream out;
    private final Format format;
    private final Clock clock;
    /** java.util.logging holds its loggers weakly: this keeps the one with our handler alive. */
    private Logger captured;

    OperatorLog(PrintStream out, Format format, Clock clock) {
        this.out = Objects.requireNonNull(out, "out");
        this.format = Objects.requireNonNull(format, "format");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Writes an INFO line. */
    void info(String event, String message, String... fields) {
        log(Severity.INFO, event, message, fields);
    }

    /** Writes a WARN line. */
    void warn(String event, String message, String... fields) {
        log(Severity.WARN, event, message, fields);
    }

    /**
     * Writes one line.
     *
     * @param severity how bad
     * @param event a short machine-readable name ({@code listening}, {@code client_joined}, ...)
     * @param message the line for people
     * @param fields pairs of name and value, added to the JSON object (the text line carries them in its message)
     */
    void log(Severity severity, String event, String message, String... fields) {
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("fields come in pairs of name and value, got " + fields.length);
        }
        String time = TIME.format(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS));
        String line;
        if (format == Format.TEXT) {
            line = time + " " + String.format("%-5s", severity) + " " + oneLine(message);
        } else {
            Map<String, String> object = new LinkedHashMap<>();
            object.put("time", time);
            object.put("level", severity.name());
            object.put("event", event);
            object.put("message", message);
            for (int i = 0; i < fields.length; i += 2) {
                object.putIfAbsent(fields[i], fields[i + 1]);
            }
            line = json(object);
        }
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** A message on one line: a line break in a value must not forge a second log line. */
    private static String oneLine(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    /** A flat JSON object of strings (RFC 8259). */
    static String json(Map<String, String> object) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, String> e : object.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            quote(b, e.getKey());
            b.append(':');
            quote(b, e.getValue());
        }
        return b.append('}').toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /**
     * Sends what securecomm's library logs through {@link System.Logger} (java.util.logging, the JDK's default
     * backend) at INFO or above to this log, as event {@code library}: the store's errors and recoveries, a
     * listener's bugs, a slow shutdown. The relay's own lifecycle lines at INFO are left out, since the server
     * reports its lifecycle itself, with the details an operator needs.
     *
     * @return the handler, to remove when done
     */
    Handler captureLibraryLog() {
        Logger securecomm = Logger.getLogger("io.securecomm");
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() < Level.INFO.intValue()
                        || (r.getLevel() == Level.INFO && r.getLoggerName().equals("io.securecomm.relay"))) {
                    return;
                }
                String text = r.getParameters() == null || r.getParameters().length == 0 ? r.getMessage()
                        : MessageFormat.format(r.getMessage(), r.getParameters());
                if (r.getThrown() != null) {
                    text += ": " + r.getThrown();
                }
                log(r.getLevel().intValue() >= Level.SEVERE.intValue() ? Severity.ERROR
                        : r.getLevel().intValue() >= Level.WARNING.intValue() ? Severity.WARN : Severity.INFO,
                        "library", text, "logger", r.getLoggerName());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        handler.setLevel(Level.INFO);
        securecomm.addHandler(handler);
        captured = securecomm;
        // Only here, not also on standard error through the root logger's console handler.
        securecomm.setUseParentHandlers(false);
        return handler;
    }
}
