package dev.switchboard.relay.sfu.forward;

import java.util.Arrays;

/**
 * Which payload type a subscriber's session gives each codec the publisher sends, as negotiated in the two SDPs:
 * publisher PT → subscriber PT, and for a codec with RTX on both sides, publisher PT → the subscriber's RTX PT.
 * Immutable, so signaling builds it and the loop reads it. A publisher PT with no entry is not forwarded (the
 * subscriber did not accept that codec).
 */
public final class PayloadTypeMap {

    /** No payload type. */
    public static final int NONE = -1;

    private final byte[] media;
    private final byte[] rtx;

    private PayloadTypeMap(byte[] media, byte[] rtx) {
        this.media = media;
        this.rtx = rtx;
    }

    /** The subscriber's payload type for the publisher's {@code publisherPt}, or {@link #NONE}. */
    public int subscriberPt(int publisherPt) {
        return publisherPt < 0 || publisherPt > 127 ? NONE : media[publisherPt];
    }

    /** The subscriber's RTX payload type for the publisher's media {@code publisherPt}, or {@link #NONE}. */
    public int subscriberRtxPt(int publisherPt) {
        return publisherPt < 0 || publisherPt > 127 ? NONE : rtx[publisherPt];
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("PayloadTypeMap[");
        for (int pt = 0; pt < 128; pt++) {
            if (media[pt] != NONE) {
                s.append(' ').append(pt).append("->").append(media[pt]);
                if (rtx[pt] != NONE) {
                    s.append("/rtx ").append(rtx[pt]);
                }
            }
        }
        return s.append(" ]").toString();
    }

    /** Collects the pairs. Not thread-safe. */
    public static final class Builder {

        private final byte[] media = new byte[128];
        private final byte[] rtx = new byte[128];

        private Builder() {
            Arrays.fill(media, (byte) NONE);
            Arrays.fill(rtx, (byte) NONE);
        }

        /**
         * Maps the publisher's {@code publisherPt} to the subscriber's {@code subscriberPt}, with the subscriber's RTX
         * payload type for it ({@link #NONE}: no RTX to this subscriber for that codec).
         *
         * @throws IllegalArgumentException for a payload type outside 0..127 or a publisher PT mapped twice
         */
        public Builder add(int publisherPt, int subscriberPt, int subscriberRtxPt) {
            check(publisherPt);
            check(subscriberPt);
            if (subscriberRtxPt != NONE) {
                check(subscriberRtxPt);
            }
            if (media[publisherPt] != NONE) {
                throw new IllegalArgumentException("publisher payload type " + publisherPt + " is mapped twice");
            }
            media[publisherPt] = (byte) subscriberPt;
            rtx[publisherPt] = (byte) subscriberRtxPt;
            return this;
        }

        private static void check(int pt) {
            if (pt < 0 || pt > 127) {
                throw new IllegalArgumentException("payload type " + pt + " is outside 0..127");
            }
        }

        public PayloadTypeMap build() {
            return new PayloadTypeMap(media.clone(), rtx.clone());
        }
    }
}
