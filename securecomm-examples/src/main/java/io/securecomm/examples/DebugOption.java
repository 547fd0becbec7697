package io.securecomm.examples;

import picocli.CommandLine.Option;

/**
 * The {@code --debug} flag, as a mixin: the error handler in {@link Main} finds it on whichever command failed.
 * Commands that take files mix in {@link CommonOptions}, which includes it; the others mix in this alone.
 */
class DebugOption {
    @Option(names = "--debug", description = "Print stack traces of failures.")
    boolean debug;

    /** Whether the command that failed was run with {@code --debug}. */
    static boolean requested(picocli.CommandLine commandLine) {
        return commandLine.getCommandSpec().mixins().values().stream()
                .anyMatch(m -> m.userObject() instanceof DebugOption d && d.debug);
    }
}
