package io.securecomm.examples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every subcommand that keeps keys takes: {@code --home}, and {@code --debug} from {@link DebugOption}. */
final class CommonOptions extends DebugOption {
    @Option(names = "--home", paramLabel = "DIR",
            description = "Folder for keys and known_relays (default: $SECURECOMM_HOME, else ~/.securecomm).")
    Path home;
}
