package dev.switchboard.relay.ra;

import dev.switchboard.connector.outbound.RelayConnection;
import dev.switchboard.connector.outbound.RelayConnectionFactory;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;

import javax.naming.NamingException;
import javax.naming.Reference;

/** The object bound in JNDI; hands out connections through the container's pool. */
public class RelayConnectionFactoryImpl implements RelayConnectionFactory {

    private static final long serialVersionUID = 1L;

    private final transient RelayManagedConnectionFactory mcf;
    private final transient ConnectionManager connectionManager;
    private Reference reference;

    RelayConnectionFactoryImpl(RelayManagedConnectionFactory mcf, ConnectionManager connectionManager) {
        this.mcf = mcf;
        this.connectionManager = connectionManager;
    }

    @Override
    public RelayConnection getConnection() throws ResourceException {
        return (RelayConnection) connectionManager.allocateConnection(mcf, null);
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() throws NamingException {
        return reference;
    }
}
