package dev.switchboard.connector.sfu;

import java.io.Serializable;
import java.util.List;

/**
 * An SFU room as the relay serves it now, for {@code GET /api/rooms/{id}} and the call page.
 *
 * @param roomId        the room
 * @param activeSpeaker the participant speaking now (from the audio-level extension), or null
 * @param sessions      its sessions: publishers, viewers and subscribers
 */
public record SfuRoomStatus(String roomId, String activeSpeaker, List<Session> sessions) implements Serializable {

    public SfuRoomStatus {
        sessions = List.copyOf(sessions);
    }

    /**
     * @param sessionId            the session's id: the last segment of a WHIP/WHEP session URL, so an operator can
     *                             end it ({@code DELETE} on that URL, as the room's manager)
     * @param participant          the label the session was opened with
     * @param role                 PUBLISHER, VIEWER or SUBSCRIBER
     * @param state                new, checking, connected (ICE and DTLS done), or closed
     * @param estimatedBitrate     the bandwidth estimate towards a receiving session (bits/s), 0 if none yet
     * @param tracks               what it publishes, or receives
     */
    public record Session(String sessionId, String participant, String role, String state, long estimatedBitrate,
                          List<Track> tracks)
            implements Serializable {

        public Session {
            tracks = List.copyOf(tracks);
        }
    }

    /**
     * @param trackId the track id subscribers see ({@code <participant>-<mid>})
     * @param kind    audio or video
     * @param layers  a publisher's simulcast rids (one empty string without simulcast), or the one a receiver gets
     * @param packets RTP packets received (publisher) or sent (receiver)
     */
    public record Track(String trackId, String kind, List<String> layers, long packets) implements Serializable {

        public Track {
            layers = List.copyOf(layers);
        }
    }
}
