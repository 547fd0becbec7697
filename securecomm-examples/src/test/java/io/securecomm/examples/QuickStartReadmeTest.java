package io.securecomm.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's quick start, and the one on the Javadoc's overview page (securecomm-core's module
 * documentation), identical to {@link QuickStart}, which {@link QuickStartTest} runs: each must consist of
 * QuickStart.java's lines, in order (they may leave out lines such as the package declaration and comments).
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
        assertLinesOfQuickStartInOrder("README quick start",
                afterMarker.substring(start, afterMarker.indexOf("```", start)).lines().toList());
    }

    @Test
    void readmeEchoBotIsTheTestedProgram() throws Exception {
        String marker = "<!-- echo-bot: library/EchoBot.java -->";
        String text = Files.readString(Path.of("..", "README.md"));
        assertTrue(text.contains(marker), "README.md shows the echo bot after " + marker);
        String afterMarker = text.substring(text.indexOf(marker));
        int open = afterMarker.indexOf("```java");
        int start = afterMarker.indexOf('\n', open) + 1;
        assertLinesInOrder("README echo bot", afterMarker.substring(start, afterMarker.indexOf("```", start)).lines()
                .toList(), Path.of("src", "main", "java", "io", "securecomm", "examples", "library", "EchoBot.java"));
    }

    @Test
    void javadocOverviewQuickStartIsTheTestedProgram() throws Exception {
        String moduleInfo = Files.readString(
                Path.of("..", "securecomm-core", "src", "main", "java", "module-info.java"));
        int call = moduleInfo.indexOf("RelayServer.create(");
        assertTrue(call >= 0, "the module documentation must show the quick start");
        int open = moduleInfo.lastIndexOf("<pre>{@code", call);
        int close = moduleInfo.indexOf("}</pre>", call);
        assertTrue(open >= 0 && close > call, "the quick start must be one <pre>{@code ...}</pre> block");
        List<String> snippet = moduleInfo.substring(open + "<pre>{@code".length(), close).lines()
                .map(line -> line.replaceFirst("^\\s*\\*", ""))
                .toList();
        assertLinesOfQuickStartInOrder("module documentation quick start", snippet);
    }

    private static void assertLinesOfQuickStartInOrder(String what, List<String> snippetLines) throws IOException {
        assertLinesInOrder(what, snippetLines, Path.of("src", "main", "java", "io", "securecomm", "examples",
                "QuickStart.java"));
    }

    private static void assertLinesInOrder(String what, List<String> snippetLines, Path program) throws IOException {
        List<String> snippet = snippetLines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertTrue(snippet.size() >= 10, what + " is too short to be the program: " + snippet);
        List<String> source = Files.readAllLines(program).stream().map(String::strip).toList();
        int at = 0;
        for (String line : snippet) {
            while (at < source.size() && !source.get(at).equals(line)) {
                at++;
            }
            assertTrue(at < source.size(), what + " line not in " + program.getFileName() + " (in order): " + line);
            at++;
        }
    }
}
