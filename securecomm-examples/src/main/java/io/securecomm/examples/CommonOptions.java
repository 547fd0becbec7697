package io.securecomm.examples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every subcommand takes. */
final class CommonOptions {
    @Option(names = "--home", paramLabel = "DIR",
            description = "Folder for keys and known_relays (default: $SECURECOMM_HOME, else ~/.securecomm).")
    Path home;

    @Option(names = "--debug", description = "Print stack traces of failures.")
    boolean debug;
}
