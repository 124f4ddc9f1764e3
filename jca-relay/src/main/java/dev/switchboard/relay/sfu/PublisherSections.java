package dev.switchboard.relay.sfu;

import dev.switchboard.relay.sfu.sdp.Extmap;
import dev.switchboard.relay.sfu.sdp.MediaDescription;
import dev.switchboard.relay.sfu.sdp.Msid;
import dev.switchboard.relay.sfu.sdp.Rid;
import dev.switchboard.relay.sfu.sdp.RtcpFb;
import dev.switchboard.relay.sfu.sdp.RtpMap;
import dev.switchboard.relay.sfu.sdp.SessionDescription;
import dev.switchboard.relay.sfu.sdp.SsrcAttribute;
import dev.switchboard.relay.sfu.sdp.SsrcGroup;

import java.util.ArrayList;
import java.util.List;

/** The tracks a publisher's answered offer sets up: one per accepted section the SFU receives. */
final class PublisherSections {

    private PublisherSections() {
    }

    static List<PublishedTrack> tracks(Peer peer, SessionDescription offer, SessionDescription answer) {
        List<PublishedTrack> tracks = new ArrayList<>();
        for (MediaDescription a : answer.media()) {
            if (a.isRejected() || a.mid() == null || !a.effectiveDirection(answer).receives()) {
                continue;
            }
            MediaDescription o = offer.media(a.mid());
            List<String> rids = new ArrayList<>();
            for (Rid r : a.rids()) {
                rids.add(r.id()); // the answer's rids are those we receive, in the offer's order
            }
            boolean pli = false;
            boolean fir = false;
            for (RtcpFb fb : a.rtcpFbs()) {
                pli |= fb.feedback().equals("nack pli");
                fir |= fb.feedback().equals("ccm fir");
            }
            PublishedTrack t = new PublishedTrack(peer, a.mid(), MediaDescription.VIDEO.equals(a.type()), rids,
                    fir && !pli);
            for (RtpMap m : a.rtpMaps()) {
                if (m.payloadType() >= 0 && m.payloadType() < 128) {
                    t.codecByPt[m.payloadType()] = m.is("rtx") ? "rtx" : m.encodingName();
                    t.clockRateByPt[m.payloadType()] = m.clockRate();
                }
            }
            for (Extmap e : a.extmaps()) {
                switch (e.uri()) {
                    case Extmap.MID -> t.midExtension = e.id();
                    case Extmap.RID -> t.ridExtension = e.id();
                    case Extmap.REPAIRED_RID -> t.repairedRidExtension = e.id();
                    case Extmap.TRANSPORT_WIDE_CC -> peer.twccExtension = e.id(); // one id per BUNDLE (RFC 8843)
                    default -> { }
                }
            }
            if (o != null) {
                if (!o.msids().isEmpty()) {
                    Msid msid = o.msids().get(0);
                    t.streamId = msid.streamId();
                    t.trackId = msid.trackId();
                }
                if (t.rids[0] == null) {
                    t.ssrcs[0] = (int) announcedMediaSsrc(o);
                }
            }
            tracks.add(t);
        }
        return tracks;
    }

    /** The offer's media SSRC: the first of a FID group, else the first a=ssrc; 0 when none. */
    private static long announcedMediaSsrc(MediaDescription m) {
        for (SsrcGroup g : m.ssrcGroups()) {
            if (SsrcGroup.FID.equals(g.semantics()) && !g.ssrcs().isEmpty()) {
                return g.ssrcs().get(0);
            }
        }
        for (SsrcAttribute s : m.ssrcs()) {
            return s.ssrc();
        }
        return 0;
    }
}
