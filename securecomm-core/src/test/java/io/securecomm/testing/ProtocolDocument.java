package io.securecomm.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads docs/PROTOCOL.md and its fenced example blocks, for the tests that hold the document to the code. */
public final class ProtocolDocument {
    private ProtocolDocument() {}

    /**
     * The document's text.
     *
     * @return PROTOCOL.md, read from the module directory (the tests' working directory) or the root
     */
    public static String read() {
        Path p = Path.of("../docs/PROTOCOL.md");
        if (!Files.isRegularFile(p)) {
            p = Path.of("docs/PROTOCOL.md");
        }
        assertTrue(Files.isRegularFile(p), "docs/PROTOCOL.md not found from " + Path.of("").toAbsolutePath());
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Entries of every fenced block with the given info string: "name: value", indented lines continue.
     *
     * @param text the document
     * @param info the info string after the opening fence, such as {@code golden}
     * @return the entries in document order
     */
    public static Map<String, String> block(String text, String info) {
        Map<String, String> entries = new LinkedHashMap<>();
        Matcher fence = Pattern.compile("(?m)^```" + Pattern.quote(info) + "\\s*\\n(.*?)^```", Pattern.DOTALL)
                .matcher(text);
        int blocks = 0;
        while (fence.find()) {
            blocks++;
            String last = null;
            for (String line : fence.group(1).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                if (Character.isWhitespace(line.charAt(0)) && last != null) {
                    entries.put(last, entries.get(last) + " " + line.strip());
                    continue;
                }
                int colon = line.indexOf(':');
                assertTrue(colon > 0, "bad line in ```" + info + " block: " + line);
                last = line.substring(0, colon).strip();
                assertFalse(entries.containsKey(last), "duplicate example " + last);
                entries.put(last, line.substring(colon + 1).strip());
            }
        }
        assertTrue(blocks > 0, "no ```" + info + " block in PROTOCOL.md");
        return entries;
    }

    /**
     * Decodes an example's hex, ignoring spaces and the {@code |} that separate fields for reading.
     *
     * @param spaced the example
     * @return its bytes
     */
    public static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replaceAll("[\\s|]", ""));
    }
}
