package dev.switchboard.web.signal;

import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuRefusal;
import dev.switchboard.connector.sfu.SfuServerOffer;
import jakarta.resource.ResourceException;

import java.util.Optional;

/**
 * The media server as signaling uses it for a call participant of an {@code sfu} room: the relay's SFU in the
 * server, a fake in tests. Each method is one call of {@code RelayConnection}; failures are {@link SfuRefusal}s
 * (what the client did or the room's state) or other {@link ResourceException}s (the relay is not reachable).
 * The {@code participant} label is the signaling participant id: the relay never offers a participant its own
 * tracks, and names each track's stream after its publisher, which is how the page finds a track's tile.
 */
public interface SfuGateway {

    /** A participant's first publish offer: opens its publisher session. */
    SfuAnswer publish(String room, String participant, String sdp, SfuLimits limits) throws ResourceException;

    /** A later publish offer on the same session (a screen share added or removed, a track replaced). */
    SfuAnswer republish(String room, String session, String sdp) throws ResourceException;

    /** Opens the participant's receiving session; the relay offers the room's tracks. */
    SfuServerOffer subscribe(String room, String participant, SfuLimits limits) throws ResourceException;

    void answer(String room, String session, String sdp) throws ResourceException;

    /** A new offer when the room's tracks changed since the last one; empty while one awaits its answer. */
    Optional<String> refresh(String room, String session) throws ResourceException;

    void videoSize(String room, String session, String track, int height) throws ResourceException;

    void close(String room, String session) throws ResourceException;

    /**
     * The node whose relay serves the room's media. In a cluster ({@link RoutedSfuGateway}) a room's sessions live on
     * one node, and when that node leaves the room moves: a different answer than at a session's opening means its
     * sessions are gone. One server: always "" (the room never moves).
     */
    default String mediaNode(String room) {
        return "";
    }

    /** The room has nobody left: where its media lived may be forgotten. */
    default void released(String room) {
    }

    /** No media server: every call is refused as unavailable (a core built without one, as in the mesh tests). */
    SfuGateway NONE = new SfuGateway() {
        private SfuRefusal off() {
            return new SfuRefusal(SfuRefusal.Reason.UNAVAILABLE, "no media server here");
        }

        @Override
        public SfuAnswer publish(String room, String participant, String sdp, SfuLimits limits) throws ResourceException {
            throw off();
        }

        @Override
        public SfuAnswer republish(String room, String session, String sdp) throws ResourceException {
            throw off();
        }

        @Override
        public SfuServerOffer subscribe(String room, String participant, SfuLimits limits) throws ResourceException {
            throw off();
        }

        @Override
        public void answer(String room, String session, String sdp) throws ResourceException {
            throw off();
        }

        @Override
        public Optional<String> refresh(String room, String session) throws ResourceException {
            throw off();
        }

        @Override
        public void videoSize(String room, String session, String track, int height) throws ResourceException {
            throw off();
        }

        @Override
        public void close(String room, String session) throws ResourceException {
            throw off();
        }
    };
}
