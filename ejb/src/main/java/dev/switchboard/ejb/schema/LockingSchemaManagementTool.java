package dev.switchboard.ejb.schema;

import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.tool.schema.internal.HibernateSchemaManagementTool;
import org.hibernate.tool.schema.spi.SchemaManagementException;
import org.hibernate.tool.schema.spi.SchemaMigrator;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * Hibernate's schema tool, whose schema update ({@code hibernate.hbm2ddl.auto=update}) runs under {@link SchemaLock}:
 * named by {@code hibernate.schema_management_tool} in persistence.xml. The lock is taken on a connection of its own
 * from the persistence unit's datasource, held while Hibernate reads the schema and applies what is missing.
 */
public class LockingSchemaManagementTool extends HibernateSchemaManagementTool {

    @Override
    public SchemaMigrator getSchemaMigrator(Map<String, Object> options) {
        SchemaMigrator migrator = super.getSchemaMigrator(options);
        return (metadata, execution, filter, target) -> {
            ConnectionProvider connections = getServiceRegistry().requireService(ConnectionProvider.class);
            try {
                Connection c = connections.getConnection();
                try {
                    SchemaLock.around(c, () -> migrator.doMigration(metadata, execution, filter, target));
                } finally {
                    connections.closeConnection(c);
                }
            } catch (SQLException e) {
                throw new SchemaManagementException("Could not take the schema lock (docs/cluster.md, Database): "
                        + e.getMessage(), e);
            }
        };
    }
}
