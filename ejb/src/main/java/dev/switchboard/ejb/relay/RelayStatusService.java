package dev.switchboard.ejb.relay;

import dev.switchboard.connector.EventLoopStatus;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.connector.SfuCounters;
import dev.switchboard.connector.TcpRelayCounters;
import dev.switchboard.connector.TurnAlternate;
import dev.switchboard.connector.TurnCounters;
import dev.switchboard.connector.TurnRestCredential;
import dev.switchboard.connector.outbound.RelayConnection;
import dev.switchboard.connector.outbound.RelayConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The application's view of the relay, through the adapter's outbound connection. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // the relay is not transactional
public class RelayStatusService {

    @Resource(lookup = RelayConnectionFactory.JNDI_NAME)
    private RelayConnectionFactory relay;

    public List<ListenerStatus> listeners() throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            return connection.listeners();
        }
    }

    public EventLoopStatus eventLoop() throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            return connection.eventLoop();
        }
    }

    public Optional<TurnCounters> turnCounters() throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            return connection.turnCounters();
        }
    }

    public Optional<TcpRelayCounters> tcpRelayCounters() throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            return connection.tcpRelayCounters();
        }
    }

    public Optional<SfuCounters> sfuCounters() throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            return connection.sfuCounters();
        }
    }

    public String software() throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            return connection.software();
        }
    }

    /** A tag of the relay's REST-API secret: nodes with equal tags accept each other's credentials. */
    /** True when the relay's total TURN allocation quota is reached (counting the other nodes'); false when off. */
    public boolean turnFull() throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            return connection.turnFull();
        }
    }

    /** The TURN servers the relay names in 300 Try Alternate when full, best first ({@link RelayConnection}). */
    public void setTurnAlternates(List<TurnAlternate> alternates) throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            connection.setTurnAlternates(alternates);
        }
    }

    public String turnSecretTag() throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            return connection.turnSecretTag();
        }
    }

    /**
     * A TURN REST-API credential the relay mints for {@code userId}; empty when TURN is off (STUN only).
     */
    public Optional<TurnRestCredential> issueRestCredential(String userId, Duration ttl) throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            if (connection.turnCounters().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(connection.issueRestCredential(userId, ttl));
        }
    }
}
