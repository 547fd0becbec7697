package io.securecomm.examples;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * Entry point of the securecomm executable jar: {@code server [port]}, {@code client <host:port>}
 * and {@code demo}.
 */
@Command(name = "securecomm", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {ServerCommand.class, ClientCommand.class, DemoCommand.class, AttackCommand.class,
                CommandLine.HelpCommand.class},
        description = "Encrypted chat through a relay: every connection runs a Noise handshake"
                + " (Noise_XX_25519_ChaChaPoly_SHA256, or AESGCM where both ends have AES instructions) and every"
                + " message after it is authenticated and encrypted.",
        footer = ExitCodes.FOOTER)
public final class Main implements Callable<Integer> {
    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final Logger NETTY_LOGGER = Logger.getLogger("io.netty");

    final InputStream in;
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;

    private Main(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /**
     * Runs the program and exits with its exit code.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err, System.getenv()));
    }

    /**
     * Runs the program without exiting, with the given streams and environment (for tests and embedding).
     *
     * @param args command-line arguments
     * @param in standard input
     * @param out standard output
     * @param err standard error
     * @param env the environment variables
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        // Netty logs through java.util.logging, whose console handler prints stack traces; the terminal
        // gets one line per failure unless --debug asks for more.
        NETTY_LOGGER.setLevel(Arrays.asList(args).contains("--debug")
                ? Level.INFO : Level.OFF);
        CommandLine cl = new CommandLine(new Main(in, out, err, env));
        cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = DebugOption.requested(commandLine);
            int code = e instanceof CliFailure f ? f.exitCode() : ExitCodes.FAILURE;
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            err.println("securecomm: " + message);
            if (debug) {
                e.printStackTrace(err);
            } else if (code == ExitCodes.FAILURE) {
                err.println("(run again with --debug for details)");
            }
            err.flush();
            return code;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        err.println("securecomm: a subcommand is required: server, client, demo or attack");
        CommandLine.usage(this, err);
        return ExitCodes.USAGE;
    }

    /** Reads the version from the jar manifest ({@code Implementation-Version}). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"securecomm " + version(), "Java " + System.getProperty("java.version")};
        }

        static String version() {
            String v = Main.class.getPackage().getImplementationVersion();
            return v == null ? "(development build)" : v;
        }
    }
}
