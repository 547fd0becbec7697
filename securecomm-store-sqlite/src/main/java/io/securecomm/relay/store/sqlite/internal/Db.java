package io.securecomm.relay.store.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The writer thread's connection with its prepared statements, each prepared once. Confined to the writer
 * thread: not thread-safe.
 */
public final class Db implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    /**
     * Wraps a connection.
     *
     * @param connection the open connection, in auto-commit mode (transactions are begun explicitly)
     */
    public Db(Connection connection) {
        this.connection = connection;
    }

    /**
     * The prepared statement for some SQL, prepared on first use; its parameters are cleared.
     *
     * @param sql the statement
     * @return the prepared statement, owned by this object (do not close it)
     * @throws SQLException if it cannot be prepared
     */
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement p = statements.get(sql);
        if (p == null || p.isClosed()) {
            p = connection.prepareStatement(sql);
            statements.put(sql, p);
        } else {
            p.clearParameters();
        }
        return p;
    }

    /**
     * Runs one statement without parameters.
     *
     * @param sql the statement
     * @throws SQLException if it fails
     */
    public void execute(String sql) throws SQLException {
        prepare(sql).execute();
    }

    /**
     * The connection itself.
     *
     * @return the connection
     */
    public Connection connection() {
        return connection;
    }

    /**
     * Forgets every prepared statement (they are prepared again on use): after a failed statement the driver
     * may have closed it, or left it mid-step.
     */
    public void forgetStatements() {
        closeStatements();
    }

    /** Closes the statements and the connection, ignoring failures (the data is committed or rolled back). */
    @Override
    public void close() {
        closeStatements();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing: a failure leaves nothing to recover.
        }
    }

    private void closeStatements() {
        for (PreparedStatement p : statements.values()) {
            try {
                p.close();
            } catch (SQLException ignored) {
                // Closing: nothing more to do with it.
            }
        }
        statements.clear();
    }
}
