package dev.switchboard.ejb.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Lets one node at a time change the schema of a database that several nodes share: on PostgreSQL the work runs while
 * this connection holds a transaction-scoped advisory lock, so nodes started at once against an empty database take
 * turns instead of racing to create the same tables (the first creates them, the others find them). Other databases
 * (the standalone server's H2 file, used by one server) run the work as it is. docs/cluster.md ("Database").
 */
public final class SchemaLock {

    private static final Logger LOG = Logger.getLogger(SchemaLock.class.getName());

    /** The advisory lock's key: any fixed number that nothing else in the database uses ("SWBD" "SCHM"). */
    public static final long KEY = 0x5357_4244_5343_484DL;
    /**
     * How long a node waits for another to finish; an update of the whole schema takes about a second, so a wait this
     * long means the holder hangs, and the waiting node's deployment fails with PostgreSQL's lock timeout instead.
     */
    static final Duration WAIT = Duration.ofMinutes(2);

    private SchemaLock() {
    }

    /** Runs {@code work} holding the lock when {@code c} is a PostgreSQL connection; {@code c} is only used to lock. */
    public static void around(Connection c, Runnable work) throws SQLException {
        if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
            work.run();
            return;
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            long start = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute("set local lock_timeout = '" + WAIT.toMillis() + "ms'");
                s.execute("select pg_advisory_xact_lock(" + KEY + ")");
            }
            LOG.info(() -> "Took the schema lock after " + (System.nanoTime() - start) / 1_000_000 + " ms; updating the"
                    + " schema");
            work.run();
        } finally {
            // ends the transaction, which releases the lock (nothing was written on this connection); a node that
            // dies holding it loses its session, and PostgreSQL releases the lock with it
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }
}
