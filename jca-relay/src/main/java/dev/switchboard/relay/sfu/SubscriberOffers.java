package dev.switchboard.relay.sfu;

import java.util.ArrayList;
import java.util.List;

/**
 * The server-offer side of a subscriber's session (a call participant's receiving connection): the sections offered
 * so far in mid order, the local ICE credentials those offers carry, and whether an offer awaits its answer.
 * Sections are never removed: a track that goes leaves its section stopped (JSEP §5.2.2), so the others' mids stay.
 */
final class SubscriberOffers {

    /** One offered section: a track (null for the placeholder and once stopped), its SSRCs for this subscriber. */
    static final class Section {
        final String mid;
        final String kind;
        PublishedTrack track;
        final int ssrc;
        final int rtxSsrc;
        boolean stopped;
        /** Made when the answer accepted the section. */
        Subscription subscription;

        Section(String mid, String kind, PublishedTrack track, int ssrc, int rtxSsrc) {
            this.mid = mid;
            this.kind = kind;
            this.track = track;
            this.ssrc = ssrc;
            this.rtxSsrc = rtxSsrc;
        }

        boolean isPlaceholder() {
            return track == null && !stopped;
        }
    }

    final String localUfrag;
    final String localPwd;
    final long sdpSessionId;
    final List<Section> sections = new ArrayList<>();
    long version;
    boolean pending;
    private int nextMid;

    SubscriberOffers(String localUfrag, String localPwd, long sdpSessionId) {
        this.localUfrag = localUfrag;
        this.localPwd = localPwd;
        this.sdpSessionId = sdpSessionId;
    }

    String nextMid() {
        return Integer.toString(nextMid++);
    }

    /** Whether {@code tracks} (what the subscriber should receive now) differ from the sections' live tracks. */
    boolean differsFrom(List<PublishedTrack> tracks) {
        int live = 0;
        for (Section s : sections) {
            if (s.track != null) {
                if (!tracks.contains(s.track)) {
                    return true;
                }
                live++;
            }
        }
        return live != tracks.size();
    }
}
