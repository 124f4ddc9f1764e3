package dev.switchboard.ejb.relay;

import dev.switchboard.connector.outbound.RelayConnection;
import dev.switchboard.connector.outbound.RelayConnectionFactory;
import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuIceRestart;
import dev.switchboard.connector.sfu.SfuOffer;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;

/**
 * SFU sessions in the relay, through the adapter's outbound connection: the application has checked the caller and
 * the room; the relay serves the media. A refusal arrives as {@link dev.switchboard.connector.sfu.SfuRefusal} (a
 * checked exception, so it reaches the caller unwrapped).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // the relay is not transactional
public class SfuSessionService {

    @Resource(lookup = RelayConnectionFactory.JNDI_NAME)
    private RelayConnectionFactory relay;

    public SfuAnswer open(SfuOffer offer) throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            return connection.openSfuSession(offer);
        }
    }

    public void close(String roomId, String sessionId) throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            connection.closeSfuSession(roomId, sessionId);
        }
    }

    public SfuIceRestart restartIce(String roomId, String sessionId, String ufrag, String pwd)
            throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            return connection.restartSfuIce(roomId, sessionId, ufrag, pwd);
        }
    }
}
