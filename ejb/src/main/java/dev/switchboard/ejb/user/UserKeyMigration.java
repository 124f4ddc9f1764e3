package dev.switchboard.ejb.user;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drops the unique key on {@code sb_user.username} alone that databases created before names became unique per
 * tenant still have: Hibernate's schema update adds the key on (tenant, username) but never drops a key, and the old
 * one would keep refusing a name another tenant has. Runs at start, after the schema update; idempotent.
 */
@Startup
@Singleton
@TransactionManagement(TransactionManagementType.BEAN) // DDL outside a JTA transaction
public class UserKeyMigration {

    private static final Logger LOG = Logger.getLogger(UserKeyMigration.class.getName());

    @Resource(lookup = "java:jboss/datasources/SwitchboardDS")
    private DataSource dataSource;

    @PostConstruct
    void atStart() {
        try (Connection c = dataSource.getConnection()) {
            for (String key : dropUsernameOnlyKeys(c)) {
                LOG.info(() -> "Dropped the unique key " + key + " on sb_user(username): names are unique per tenant");
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "Could not look for a unique key on sb_user(username) alone; while one is there, a"
                    + " name another tenant has is refused (drop it by hand, see docs/abuse.md)", e);
        }
    }

    /** Drops every unique constraint of {@code sb_user} in the connection's schema whose only column is username. */
    static List<String> dropUsernameOnlyKeys(Connection c) throws SQLException {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select tc.constraint_name, k.column_name"
                + " from information_schema.table_constraints tc join information_schema.key_column_usage k"
                + " on k.constraint_schema = tc.constraint_schema and k.constraint_name = tc.constraint_name"
                + " where tc.constraint_type = 'UNIQUE' and upper(tc.table_name) = 'SB_USER' and tc.table_schema = ?")) {
            ps.setString(1, c.getSchema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(rs.getString(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        List<String> dropped = new ArrayList<>();
        for (Map.Entry<String, List<String>> key : columns.entrySet()) {
            if (key.getValue().equals(List.of("username"))) {
                try (Statement s = c.createStatement()) {
                    s.execute("alter table sb_user drop constraint \"" + key.getKey().replace("\"", "\"\"") + "\"");
                }
                dropped.add(key.getKey());
            }
        }
        return dropped;
    }
}
