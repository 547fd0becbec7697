package io.securecomm.examples;

import io.securecomm.relay.store.InMemoryRelayStore;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.StoreException;
import io.securecomm.relay.store.sqlite.SqliteRelayStore;
import io.securecomm.relay.store.StoreMeter;
import io.securecomm.relay.store.sqlite.SqliteStoreOptions;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the {@code server} command keeps its store: {@value #DEFAULT_FILE} in the home by default, another file with
 * {@code --store PATH}, or memory only with {@code --store memory} (the behaviour before accounts: nothing survives a
 * restart). A file that cannot be opened (corrupt, locked, of a newer version) is one line and exit code
 * {@link ExitCodes#STORE_UNUSABLE}, never an empty start over it.
 */
final class RelayStores {
    /** The store's file in the relay's home. */
    static final String DEFAULT_FILE = "relay.db";
    /** The {@code --store} value that keeps everything in memory. */
    static final String MEMORY = "memory";

    private RelayStores() {}

    /** The file the options name, or empty for memory. */
    static Optional<Path> file(String option, Home home) {
        if (MEMORY.equals(option)) {
            return Optional.empty();
        }
        return Optional.of(option == null ? home.dir().resolve(DEFAULT_FILE) : Path.of(option));
    }

    /**
     * Opens the store the options name.
     *
     * @throws CliFailure with {@link ExitCodes#STORE_UNUSABLE} if the file cannot be opened
     */
    static RelayStore open(String option, Home home) {
        return open(option, home, StoreMeter.NONE);
    }

    /**
     * Opens the store the options name, telling a durable store's commit times and failures to a meter.
     *
     * @throws CliFailure with {@link ExitCodes#STORE_UNUSABLE} if the file cannot be opened
     */
    static RelayStore open(String option, Home home, StoreMeter meter) {
        Optional<Path> file = file(option, home);
        if (file.isEmpty()) {
            return new InMemoryRelayStore();
        }
        try {
            return SqliteRelayStore.open(file.get(), SqliteStoreOptions.builder().meter(meter).build());
        } catch (StoreException e) {
            throw new CliFailure(ExitCodes.STORE_UNUSABLE, e.getMessage(), e);
        }
    }
}
