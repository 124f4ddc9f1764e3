package dev.switchboard.ejb.relay;

import dev.switchboard.connector.outbound.RelayConnection;
import dev.switchboard.connector.outbound.RelayConnectionFactory;
import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuIceRestart;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuOffer;
import dev.switchboard.connector.sfu.SfuRoomStatus;
import dev.switchboard.connector.sfu.SfuServerOffer;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;

import java.util.Optional;

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

    /** A publisher's renegotiation (a screen share added or removed). */
    public SfuAnswer update(String roomId, String sessionId, String sdp) throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            return connection.updateSfuPublisher(roomId, sessionId, sdp);
        }
    }

    /** A call participant's receiving session: the relay offers the room's tracks. */
    public SfuServerOffer subscribe(String roomId, String participant, SfuLimits limits) throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            return connection.openSfuSubscriber(roomId, participant, limits);
        }
    }

    public void answer(String roomId, String sessionId, String sdp) throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            connection.answerSfuSubscriber(roomId, sessionId, sdp);
        }
    }

    public Optional<String> refresh(String roomId, String sessionId) throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            return connection.refreshSfuSubscriber(roomId, sessionId);
        }
    }

    public void videoSize(String roomId, String sessionId, String trackId, int maxHeight) throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            connection.setSfuVideoSize(roomId, sessionId, trackId, maxHeight);
        }
    }

    /** The room as the relay serves it now, for {@code GET /api/rooms/{id}}. */
    public Optional<SfuRoomStatus> status(String roomId) throws ResourceException {
        try (RelayConnection connection = relay.getConnection()) {
            return connection.sfuRoom(roomId);
        }
    }
}
