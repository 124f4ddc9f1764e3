package dev.switchboard.relay.sfu;

import dev.switchboard.connector.sfu.SfuRoomStatus;
import dev.switchboard.relay.sfu.dtls.DtlsSession;
import dev.switchboard.relay.sfu.ice.IceSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A room's state as the application shows it ({@link SfuRoomStatus}); made on the room's loop. */
final class RoomStatus {

    private RoomStatus() {
    }

    static SfuRoomStatus of(Room room) {
        List<SfuRoomStatus.Session> sessions = new ArrayList<>();
        for (Peer p : room.publishers) {
            List<SfuRoomStatus.Track> tracks = new ArrayList<>();
            for (PublishedTrack t : p.published) {
                List<String> layers = new ArrayList<>();
                for (String rid : t.rids) {
                    layers.add(rid == null ? "" : rid);
                }
                tracks.add(new SfuRoomStatus.Track(t.trackId, t.media.kind(), layers, t.packets));
            }
            sessions.add(new SfuRoomStatus.Session(p.id, p.label, p.role.name(), state(p), 0, tracks));
        }
        for (Peer p : room.viewers) {
            List<SfuRoomStatus.Track> tracks = new ArrayList<>();
            for (Subscription s : p.subscriptions) {
                String layer = s.currentLayer < 0 ? "" : s.track.rids[s.currentLayer] == null ? ""
                        : s.track.rids[s.currentLayer];
                tracks.add(new SfuRoomStatus.Track(s.track.trackId, s.track.media.kind(), List.of(layer),
                        s.stream.forwarded()));
            }
            long estimate = p.estimator == null ? 0 : p.estimator.targetBitrateBps();
            sessions.add(new SfuRoomStatus.Session(p.id, p.label, p.role.name(), state(p), estimate, tracks));
        }
        return new SfuRoomStatus(room.id, room.labelOf(room.speaker.dominant()), sessions);
    }

    private static String state(Peer p) {
        if (p.ended) {
            return "closed";
        }
        if (p.srtp != null) {
            return "connected";
        }
        IceSession ice = p.ice;
        if (ice == null || ice.state() == IceSession.State.NEW) {
            return "new";
        }
        DtlsSession dtls = p.dtls;
        return dtls == null ? ice.state().name().toLowerCase(Locale.ROOT) : "dtls-" + dtls.state().name()
                .toLowerCase(Locale.ROOT);
    }
}
