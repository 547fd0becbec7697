package io.securecomm.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the third-party conformance vectors in {@code ../shared/vectors} (never copied into this
 * repository). Tests that need them call {@link #file(String)}: when the folder is absent the test is
 * skipped with a visible message on standard error, and in CI (where {@code CI=true}) it fails
 * instead, because CI must run them.
 */
public final class Vectors {
    private static final HexFormat HEX = HexFormat.of();

    private Vectors() {}

    /** The vectors folder: the {@code securecomm.vectors.dir} system property the build sets. */
    public static Path root() {
        String dir = System.getProperty("securecomm.vectors.dir", "../../shared/vectors");
        return Path.of(dir).toAbsolutePath().normalize();
    }

    /**
     * Returns a vectors file such as {@code wycheproof/x25519_test.json}, or aborts the calling test
     * (skipped, with a message) when the shared folder is not there. Under CI a missing file fails.
     */
    public static Path file(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            String msg = "SKIPPED: conformance vectors not found at " + p
                    + " (clone the repository with ../shared beside it to run them)";
            System.err.println(msg);
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI must run the conformance vectors, but " + msg);
            }
            Assumptions.abort(msg);
        }
        return p;
    }

    /** Parses a JSON vectors file, skipping the calling test when it is absent. */
    public static JsonObject json(String relative) {
        Path p = file(relative);
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(r).getAsJsonObject();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + p, e);
        }
    }

    /** Decodes lowercase or uppercase hex. */
    public static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    /** Encodes bytes as lowercase hex. */
    public static String hex(byte[] b) {
        return HEX.formatHex(b);
    }
}
