package dev.switchboard.ejb.schema;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standalone server's H2 database (one server, nothing to take turns with): the update runs as it is, and the
 * connection is left as it was. The lock itself needs PostgreSQL: ClusterDatabaseIT.
 */
class SchemaLockTest {

    @Test
    void onH2TheWorkRunsOnceWithoutTouchingTheConnection() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + System.nanoTime())) {
            AtomicInteger runs = new AtomicInteger();
            SchemaLock.around(c, () -> {
                runs.incrementAndGet();
                try (Statement s = c.createStatement()) {
                    s.execute("create table t (id int)"); // what the migrator does, here on the same connection
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(1, runs.get());
            assertTrue(c.getAutoCommit());
        }
    }

    @Test
    void aFailedUpdateFailsTheCall() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + System.nanoTime())) {
            assertThrows(IllegalStateException.class, () -> SchemaLock.around(c, () -> {
                throw new IllegalStateException("update failed");
            }));
        }
    }
}
