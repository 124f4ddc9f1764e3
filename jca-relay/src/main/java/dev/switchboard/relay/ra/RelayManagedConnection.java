package dev.switchboard.relay.ra;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;

import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pooled handle on the in-process relay. It holds no socket: the relay's listeners belong to the adapter, and
 * connections only read their state or (later) change configuration the relay reads.
 */
final class RelayManagedConnection implements ManagedConnection {

    private final RelayManagedConnectionFactory factory;
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<RelayConnectionImpl> handles = ConcurrentHashMap.newKeySet();
    private PrintWriter logWriter;

    RelayManagedConnection(RelayManagedConnectionFactory factory) {
        this.factory = factory;
    }

    RelayManagedConnectionFactory factory() {
        return factory;
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) {
        RelayConnectionImpl handle = new RelayConnectionImpl(this);
        handles.add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof RelayConnectionImpl handle)) {
            throw new ResourceException("Not a relay connection: " + connection);
        }
        handle.reassociate(this);
        handles.add(handle);
    }

    /** Called by a handle's close(): tells the pool this managed connection is free again. */
    void handleClosed(RelayConnectionImpl handle) {
        handles.remove(handle);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener l : listeners) {
            l.connectionClosed(event);
        }
    }

    void detach(RelayConnectionImpl handle) {
        handles.remove(handle);
    }

    RelayResourceAdapter adapter() throws ResourceException {
        return factory.relayAdapter();
    }

    @Override
    public void cleanup() {
        for (RelayConnectionImpl handle : handles) {
            handle.invalidate();
        }
        handles.clear();
    }

    @Override
    public void destroy() {
        cleanup();
        listeners.clear();
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("The relay connection is not transactional");
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("The relay connection is not transactional");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ManagedConnectionMetaData() {
            @Override
            public String getEISProductName() {
                return "Switchboard relay";
            }

            @Override
            public String getEISProductVersion() {
                String v = RelayManagedConnection.class.getPackage().getImplementationVersion();
                return v == null ? "dev" : v;
            }

            @Override
            public int getMaxConnections() {
                return 0; // no limit: handles cost nothing
            }

            @Override
            public String getUserName() {
                return null;
            }
        };
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }
}
