package io.securecomm.examples.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the library examples as a program would (their {@code main}, bounded in time) and checks what they print:
 * the examples are tests, so the Javadoc they follow cannot drift from the API.
 */
class LibraryExamplesTest {
    private static List<String> run(ThrowingMain main) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> main.run(new String[0]));
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private interface ThrowingMain {
        void run(String[] args) throws Exception;
    }

    @Test
    void theEchoBotEchoesAndIsShort() throws Exception {
        assertEquals(List.of("echo: hello, bot"), run(EchoBot::main));
        long lines = Files.readAllLines(Path.of("src/main/java/io/securecomm/examples/library/EchoBot.java")).size();
        assertTrue(lines <= 50, "a new user's echo bot stays under about 50 lines with its imports: " + lines);
    }

    @Test
    void aSharedSecretBecomesAnAeadKey() {
        assertEquals(List.of("opened: meet at noon", "tampered: refused"), run(SharedSecretToAead::main));
    }

    @Test
    void errorsAreHandledByTypeAndReason() {
        assertEquals(List.of(
                "mistake: invalid nickname: the nickname may contain only letters a-z and A-Z, digits, '_', '-'"
                        + " and '.'",
                "registered: ALICE belongs to another identity key",
                "full: try again later",
                "unknown: dave is not online and has no account",
                "closed: the relay shut down; reconnect later"), run(ErrorHandling::main));
    }
}
