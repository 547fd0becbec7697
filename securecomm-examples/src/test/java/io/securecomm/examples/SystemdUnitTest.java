package io.securecomm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.securecomm.relay.RelayOptions;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The relay's systemd unit ({@code src/main/dist/securecomm-relay.service}, docs/OPERATIONS.md): parsed here on
 * every machine, and checked by {@code systemd-analyze verify} where that is installed.
 */
@Timeout(120)
class SystemdUnitTest {
    static final Path UNIT = Path.of("src", "main", "dist", "securecomm-relay.service");

    /** A unit file's sections in order, each with its keys in order; a key given twice keeps every value. */
    private static Map<String, Map<String, List<String>>> parse(Path unit) throws IOException {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        int number = 0;
        for (String raw : Files.readAllLines(unit, StandardCharsets.UTF_8)) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            assertFalse(line.endsWith("\\"), "line " + number + ": keep each setting on one line");
            if (line.startsWith("[") && line.endsWith("]")) {
                current = new LinkedHashMap<>();
                assertTrue(sections.put(line.substring(1, line.length() - 1), current) == null,
                        "line " + number + ": section " + line + " twice");
                continue;
            }
            int equals = line.indexOf('=');
            assertTrue(current != null && equals > 0, "line " + number + " is neither a section nor Key=value: " + raw);
            current.computeIfAbsent(line.substring(0, equals).strip(), k -> new ArrayList<>())
                    .add(line.substring(equals + 1).strip());
        }
        return sections;
    }

    private static String single(Map<String, List<String>> section, String key) {
        List<String> values = section.get(key);
        assertTrue(values != null && values.size() == 1, key + " must be set exactly once, got " + values);
        return values.get(0);
    }

    /** The words of the unit's {@code ExecStart}: java, its options, {@code -jar}, the jar, the relay's arguments. */
    private static List<String> execStart() throws IOException {
        return Arrays.asList(single(parse(UNIT).get("Service"), "ExecStart").split("\\s+"));
    }

    /**
     * The command that runs the JVM of this build with the unit's JVM options (the words of {@code ExecStart} between
     * java and {@code -jar}), then these arguments.
     *
     * @param arguments what follows the options, such as {@code -version}
     * @return the command
     * @throws IOException if the unit cannot be read
     */
    private static List<String> thisJvmWithTheUnitsOptions(String... arguments) throws IOException {
        List<String> exec = execStart();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(exec.subList(1, exec.indexOf("-jar")));
        command.addAll(List.of(arguments));
        return command;
    }

    /**
     * Runs a program to its end (at most 60 s), its standard input closed.
     *
     * @param command the program and its arguments
     * @return its exit code, then its standard output and error together
     */
    private static Map.Entry<Integer, String> run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command + " did not finish in 60 s");
        return Map.entry(process.exitValue(), output);
    }

    @Test
    void unitHasItsSectionsAndRunsTheRelayFromTheExecutableJar() throws Exception {
        Map<String, Map<String, List<String>>> unit = parse(UNIT);
        assertEquals(List.of("Unit", "Service", "Install"), List.copyOf(unit.keySet()));
        assertEquals("multi-user.target", single(unit.get("Install"), "WantedBy"));

        List<String> exec = execStart();
        assertTrue(exec.get(0).startsWith("/") && exec.get(0).endsWith("/java"),
                "ExecStart must start with the absolute path of java: " + exec);
        int jar = exec.indexOf("-jar") + 1;
        assertTrue(jar > 0 && exec.get(jar).startsWith("/") && exec.get(jar).endsWith("/securecomm.jar"),
                "ExecStart must run the executable jar (securecomm-examples/target/securecomm.jar) by absolute path: "
                        + exec);
        assertEquals("server", exec.get(jar + 1), "ExecStart must run the relay: " + exec);

        // The arguments are ones the server command accepts, and make valid relay options.
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(exec.subList(jar + 2, exec.size()).toArray(String[]::new));
        RelayOptions options = command.relayOptions().build();
        assertEquals(RelayOptions.defaults().port(), options.port());
    }

    @Test
    void jvmOptionsAreOnesThisJvmAccepts() throws Exception {
        // A JVM refuses to start with an option it does not know (JDK 23 refuses JDK 17's
        // -XX:-G1UseAdaptiveConcRefinement, for one): the unit's options, the words between java and -jar, must
        // start the JVM that runs this build, without a warning.
        List<String> command = thisJvmWithTheUnitsOptions("-version");
        Map.Entry<Integer, String> ran = run(command);
        assertEquals(0, ran.getKey(), command + " failed:\n" + ran.getValue());
        assertFalse(ran.getValue().contains("warning"), command + " warned:\n" + ran.getValue());
    }

    @Test
    void jvmOptionsRunTheRelayOnParallelGc() throws Exception {
        // docs/OPERATIONS.md, "Garbage collector": the relay runs on Parallel GC (issue 18); the JVM itself says
        // which collector the unit's options select.
        List<String> command = thisJvmWithTheUnitsOptions("-XX:+PrintFlagsFinal", "-version");
        Map.Entry<Integer, String> ran = run(command);
        assertEquals(0, ran.getKey(), command + " failed:\n" + ran.getValue());
        assertTrue(ran.getValue().lines().anyMatch(l -> l.matches("\\s*bool UseParallelGC\\s*=\\s*true.*")),
                "the unit's options must select Parallel GC: " + command);
    }

    @Test
    void relayHomeIsThePrivateStateDirectory() throws Exception {
        Map<String, List<String>> service = parse(UNIT).get("Service");
        String state = single(service, "StateDirectory");
        assertEquals("0700", single(service, "StateDirectoryMode"));
        assertTrue(service.get("Environment").contains(Home.ENV_VAR + "=%S/" + state),
                "the relay's home must be its state directory, through " + Home.ENV_VAR + ": " + service);
        assertEquals("0077", single(service, "UMask"));
    }

    @Test
    void serviceIsHardened() throws Exception {
        Map<String, List<String>> service = parse(UNIT).get("Service");
        assertEquals("yes", single(service, "DynamicUser"), "the relay runs as its own unprivileged user");
        assertEquals("strict", single(service, "ProtectSystem"));
        for (String yes : List.of("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices",
                "ProtectKernelTunables", "ProtectKernelModules", "ProtectControlGroups", "RestrictNamespaces",
                "RestrictSUIDSGID", "LockPersonality")) {
            assertEquals("yes", single(service, yes), yes);
        }
        assertEquals("", single(service, "CapabilityBoundingSet"), "no capabilities: the port is above 1024");
        assertEquals("@system-service", single(service, "SystemCallFilter"));
        // The JVM's JIT compiler needs memory that is written, then executed.
        assertFalse(service.containsKey("MemoryDenyWriteExecute"), "MemoryDenyWriteExecute breaks the JVM");
    }

    @Test
    void restartsOnFailureButNotOnWhatNeedsAnOperator() throws Exception {
        Map<String, List<String>> service = parse(UNIT).get("Service");
        assertEquals("on-failure", single(service, "Restart"));
        assertEquals(List.of(String.valueOf(ExitCodes.USAGE), String.valueOf(ExitCodes.CANNOT_LISTEN)),
                List.of(single(service, "RestartPreventExitStatus").split(" ")));
        assertEquals("SIGTERM", single(service, "KillSignal"), "SIGTERM runs the relay's orderly shutdown");
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnit() throws Exception {
        Optional<Path> analyze = onPath("systemd-analyze");
        assumeTrue(analyze.isPresent(), "systemd-analyze is not installed here; the unit was only parsed");
        String java = execStart().get(0);
        assumeTrue(Files.isExecutable(Path.of(java)),
                java + " does not exist here, and systemd-analyze verify requires ExecStart's program");
        Map.Entry<Integer, String> ran = run(List.of(analyze.get().toString(), "verify",
                UNIT.toAbsolutePath().toString()));
        assertEquals(0, ran.getKey(), ran.getValue());
        // It reports an unknown or misspelt key as a warning and still exits 0.
        assertEquals("", ran.getValue().strip(), "systemd-analyze verify warned");
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        return path == null ? Optional.empty() : Arrays.stream(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
    }
}
