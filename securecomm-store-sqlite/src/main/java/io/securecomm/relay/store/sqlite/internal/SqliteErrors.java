package io.securecomm.relay.store.sqlite.internal;

import io.securecomm.relay.store.StoreException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteException;

/** Maps SQLite's result codes to the store's failure reasons, with one clear line for an operator. */
public final class SqliteErrors {
    // SQLite's primary result codes (https://sqlite.org/rescode.html); extended codes keep them in the low byte.
    private static final int SQLITE_PERM = 3;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_NOTADB = 26;

    private SqliteErrors() {}

    /**
     * The primary result code of a failure.
     *
     * @param e what the driver threw
     * @return SQLite's primary result code, or -1 if the driver gave none
     */
    static int primaryCode(SQLException e) {
        if (e instanceof SQLiteException s) {
            return s.getResultCode().code & 0xff;
        }
        return e.getErrorCode() > 0 ? e.getErrorCode() & 0xff : -1;
    }

    /**
     * Maps a failure.
     *
     * @param file the database file, named in the message
     * @param doing what the store was doing, such as "open" or "write"
     * @param e what the driver threw
     * @return the store exception
     */
    public static StoreException map(Path file, String doing, SQLException e) {
        String sqlite = e instanceof SQLiteException s ? s.getResultCode().message : e.getMessage();
        return switch (primaryCode(e)) {
            case SQLITE_FULL -> new StoreException(StoreException.Reason.FULL, "cannot " + doing + " relay store "
                    + file + ": the disk or the store's size limit is full (" + sqlite + "); free space", e);
            case SQLITE_BUSY, SQLITE_LOCKED -> new StoreException(StoreException.Reason.LOCKED, "cannot " + doing
                    + " relay store " + file + ": another process holds its lock (" + sqlite
                    + "); stop the other relay or tool using it", e);
            case SQLITE_CORRUPT, SQLITE_NOTADB -> new StoreException(StoreException.Reason.CORRUPT, "cannot "
                    + doing + " relay store " + file + ": the file is damaged or is not a database (" + sqlite
                    + "); restore it from a backup, or move it away to start with an empty store", e);
            case SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN -> new StoreException(StoreException.Reason.IO_ERROR,
                    "cannot " + doing + " relay store " + file + ": the file cannot be opened for writing ("
                            + sqlite + "); check that its folder exists and its permissions", e);
            case SQLITE_IOERR -> new StoreException(StoreException.Reason.IO_ERROR, "cannot " + doing
                    + " relay store " + file + ": the operating system reported an I/O error (" + sqlite + ")", e);
            default -> new StoreException(StoreException.Reason.IO_ERROR, "cannot " + doing + " relay store "
                    + file + ": " + sqlite, e);
        };
    }
}
