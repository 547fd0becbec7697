package io.securecomm.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's quick start identical to {@link QuickStart}, which {@link QuickStartTest} runs: the
 * {@code java} code block after the marker line {@value #MARKER} must consist of QuickStart.java's lines,
 * in order (the README may leave out lines such as the package declaration and comments).
 */
class QuickStartReadmeTest {
    static final String MARKER = "<!-- quick-start: QuickStart.java -->";

    @Test
    void readmeQuickStartIsTheTestedProgram() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.exists(readme) ? Files.readString(readme) : "";
        assumeTrue(text.contains(MARKER), "README.md has no quick start marker " + MARKER + " yet");
        String afterMarker = text.substring(text.indexOf(MARKER));
        int open = afterMarker.indexOf("```java");
        assertTrue(open >= 0, "a ```java block must follow " + MARKER);
        int start = afterMarker.indexOf('\n', open) + 1;
        List<String> snippet = afterMarker.substring(start, afterMarker.indexOf("```", start)).lines()
                .map(String::strip).filter(l -> !l.isEmpty()).toList();
        List<String> source = Files.readAllLines(
                Path.of("src", "main", "java", "io", "securecomm", "examples", "QuickStart.java")).stream()
                .map(String::strip).toList();
        int at = 0;
        for (String line : snippet) {
            while (at < source.size() && !source.get(at).equals(line)) {
                at++;
            }
            assertTrue(at < source.size(), "README quick start line not in QuickStart.java (in order): " + line);
            at++;
        }
    }
}
