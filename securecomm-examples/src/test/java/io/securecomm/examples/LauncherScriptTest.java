package io.securecomm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code securecomm} launcher at the project's root (README; docs/OPERATIONS.md, "Garbage collector"), run by
 * bash in a copy of the project's layout, with stand-ins for {@code java} and {@code mvn} first on the PATH that
 * record how they were called: which JVM options each command gets, and when the jar is built.
 */
@Timeout(60)
class LauncherScriptTest {
    private static final Path LAUNCHER = Path.of("..", "securecomm");
    /** What the launcher's {@code needs_build} compares the jar with: a file in each. */
    private static final List<String> SOURCES = List.of("pom.xml", "securecomm-core/pom.xml",
            "securecomm-core/src/main/java/A.java", "securecomm-store-sqlite/src/main/java/A.java",
            "securecomm-cluster-redis/src/main/java/A.java", "securecomm-metrics-prometheus/src/main/java/A.java",
            "securecomm-examples/pom.xml", "securecomm-examples/src/main/java/A.java");

    @TempDir
    Path root;
    private Path jar;
    private Path javaArgs;
    private Path mvnCalls;
    private Path bin;

    @BeforeEach
    void copyTheLayout() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
                "SKIPPED: the launcher is a bash script, and this machine has no bash");
        Path launcher = root.resolve("securecomm");
        Files.copy(LAUNCHER, launcher);
        assertTrue(launcher.toFile().setExecutable(true));
        Instant past = Instant.now().minusSeconds(3600);
        for (String source : SOURCES) {
            Path file = root.resolve(source);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "");
            Files.setLastModifiedTime(file, FileTime.from(past));
        }
        jar = root.resolve("securecomm-examples/target/securecomm.jar");
        javaArgs = root.resolve("java-args");
        mvnCalls = root.resolve("mvn-calls");
        bin = Files.createDirectories(root.resolve("bin"));
        stub("java", "printf '%s\\n' \"$@\" > \"$JAVA_ARGS\"\n");
        // The build the launcher asks for: records the call and makes the jar, as mvn package would.
        stub("mvn", "echo \"$PWD $*\" >> \"$MVN_CALLS\"\nmkdir -p securecomm-examples/target\n"
                + ": > securecomm-examples/target/securecomm.jar\n");
    }

    private void stub(String name, String body) throws IOException {
        Path script = bin.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        assertTrue(script.toFile().setExecutable(true));
    }

    private void buildTheJar() throws IOException {
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "");
    }

    /** Runs the launcher; returns the arguments it gave java, one per element. */
    private List<String> launch(Map<String, String> env, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("securecomm").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().remove("SECURECOMM_JAVA_OPTS");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("JAVA_ARGS", javaArgs.toString());
        pb.environment().put("MVN_CALLS", mvnCalls.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher did not finish");
        assertEquals(0, p.exitValue(), output);
        return Files.readAllLines(javaArgs, StandardCharsets.UTF_8);
    }

    private List<String> jarThen(String... arguments) {
        List<String> expected = new ArrayList<>(List.of("-jar", jar.toString()));
        expected.addAll(List.of(arguments));
        return expected;
    }

    private List<String> mvnCalls() throws IOException {
        return Files.exists(mvnCalls) ? Files.readAllLines(mvnCalls, StandardCharsets.UTF_8) : List.of();
    }

    @Test
    void theServerRunsOnParallelGcAndTheOtherCommandsOnTheJvmsDefaults() throws Exception {
        buildTheJar();
        List<String> server = new ArrayList<>(List.of("-XX:+UseParallelGC"));
        server.addAll(jarThen("server", "9000"));
        assertEquals(server, launch(Map.of(), "server", "9000"));
        assertEquals(jarThen("client", "127.0.0.1:9000"), launch(Map.of(), "client", "127.0.0.1:9000"));
        assertEquals(jarThen("demo"), launch(Map.of(), "demo"));
        assertEquals(jarThen(), launch(Map.of()));
        assertEquals(List.of(), mvnCalls(), "the jar is newer than every source: no build");
    }

    @Test
    void securecommJavaOptsReplaceTheLaunchersOptionsForEveryCommand() throws Exception {
        buildTheJar();
        Map<String, String> g1 = Map.of("SECURECOMM_JAVA_OPTS", "-XX:+UseG1GC -Xmx512m");
        List<String> server = new ArrayList<>(List.of("-XX:+UseG1GC", "-Xmx512m"));
        server.addAll(jarThen("server"));
        assertEquals(server, launch(g1, "server"), "G1 instead of Parallel GC, not both (the JVM would refuse)");
        List<String> client = new ArrayList<>(List.of("-XX:+UseG1GC", "-Xmx512m"));
        client.addAll(jarThen("client", "h:1"));
        assertEquals(client, launch(g1, "client", "h:1"));
        List<String> empty = new ArrayList<>(List.of("-XX:+UseParallelGC"));
        empty.addAll(jarThen("server"));
        assertEquals(empty, launch(Map.of("SECURECOMM_JAVA_OPTS", ""), "server"), "empty means unset");
    }

    @Test
    void argumentsReachTheJarWordForWord() throws Exception {
        buildTheJar();
        assertEquals(jarThen("client", "127.0.0.1:8080", "--nickname", "a b", "*", ""),
                launch(Map.of(), "client", "127.0.0.1:8080", "--nickname", "a b", "*", ""));
    }

    @Test
    void theJarIsBuiltWhenMissingOrOlderThanASourceAndOnlyThen() throws Exception {
        assertEquals(jarThen("demo"), launch(Map.of(), "demo"));
        assertEquals(1, mvnCalls().size(), "missing: built");
        String call = mvnCalls().get(0);
        assertTrue(call.startsWith(root.toRealPath() + " ") || call.startsWith(root + " "), call);
        assertTrue(call.contains("-DskipTests") && call.contains("-pl securecomm-examples -am package"), call);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        launch(Map.of(), "demo");
        assertEquals(1, mvnCalls().size(), "newer than every source: not built again");
        for (String source : SOURCES) {
            Files.setLastModifiedTime(root.resolve(source), FileTime.from(Instant.now()));
            launch(Map.of(), "demo");
            Files.setLastModifiedTime(root.resolve(source), FileTime.from(Instant.now().minusSeconds(3600)));
            Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        }
        assertEquals(1 + SOURCES.size(), mvnCalls().size(),
                "each source newer than the jar makes a build: " + mvnCalls());
    }
}
