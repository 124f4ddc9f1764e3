package dev.switchboard.ejb.user;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A database from before names were unique per tenant, as Hibernate's update mode leaves it, in H2 (the default). */
class UserKeyMigrationTest {

    private static Connection database(String oldKey) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:h2:mem:" + System.nanoTime());
        try (Statement s = c.createStatement()) {
            s.execute("create table sb_user (id bigint primary key, tenant varchar(128) not null,"
                    + " username varchar(128) not null" + oldKey + ")");
            s.execute("alter table sb_user add constraint uq_user_tenant_username unique (tenant, username)");
        }
        return c;
    }

    private static void insert(Connection c, long id, String tenant, String name) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("insert into sb_user values (" + id + ", '" + tenant + "', '" + name + "')");
        }
    }

    @Test
    void theOldKeyOnTheNameAloneGoesAndTheKeyPerTenantStays() throws SQLException {
        try (Connection c = database(" unique")) {
            insert(c, 1, "t1", "alice");
            assertThrows(SQLException.class, () -> insert(c, 2, "t2", "alice"), "the old key refuses it");
            assertEquals(1, UserKeyMigration.dropUsernameOnlyKeys(c).size());
            insert(c, 2, "t2", "alice");
            assertThrows(SQLException.class, () -> insert(c, 3, "t2", "alice"), "unique per tenant");
            assertEquals(List.of(), UserKeyMigration.dropUsernameOnlyKeys(c), "idempotent");
        }
    }

    @Test
    void aNamedKeyGoesAsWellAndAFreshDatabaseIsLeftAlone() throws SQLException {
        try (Connection c = database("")) {
            try (Statement s = c.createStatement()) {
                s.execute("alter table sb_user add constraint \"UKmixedCase\" unique (username)");
            }
            assertEquals(List.of("UKmixedCase"), UserKeyMigration.dropUsernameOnlyKeys(c));
            insert(c, 1, "t1", "alice");
            insert(c, 2, "t2", "alice");
        }
        try (Connection c = database("")) {
            assertEquals(List.of(), UserKeyMigration.dropUsernameOnlyKeys(c));
        }
    }
}
