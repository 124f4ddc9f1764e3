package dev.switchboard.relay.sfu.bwe;

/**
 * A subscriber's available bandwidth as the forwarding pipeline reads it: from transport-wide-cc feedback
 * ({@link SendSideEstimator}) or, where TWCC is not negotiated, from REMB ({@link RembEstimator}).
 */
public interface BandwidthEstimator {

    /** The bitrate we may send this subscriber now, in bits per second, always within the configured bounds. */
    long targetBitrateBps();
}
