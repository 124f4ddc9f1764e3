package dev.switchboard.relay.sfu.sdp;

import java.util.List;
import java.util.Locale;

/**
 * A codec the SFU forwards: what it matches in an offer, the fmtp and feedback it answers with, and the payload
 * types it uses in its own offers to subscribers ({@code rtxPayloadType} 0 when the codec has no RTX).
 */
public record CodecCapability(String kind, String name, int clockRate, int channels, String fmtp,
                              List<String> feedback, int payloadType, int rtxPayloadType) {

    public static final String OPUS = "opus";
    public static final String VP8 = "VP8";
    public static final String VP9 = "VP9";
    public static final String H264 = "H264";
    public static final String RTX = "rtx";

    public CodecCapability {
        feedback = List.copyOf(feedback);
    }

    /**
     * Whether the offered codec ({@code rtpMap}, its {@code fmtp} or null) is this one: name (any case), clock
     * rate and channels, and for H.264 packetization-mode 1 (absent means 0, RFC 6184 §8.1) and the same profile
     * ({@link H264Profile}); for VP9 the same profile-id (absent means 0).
     */
    public boolean matches(RtpMap rtpMap, Fmtp offered) {
        if (!rtpMap.is(name) || rtpMap.clockRate() != clockRate
                || (channels > 0 && rtpMap.channelCount() != channels)) {
            return false;
        }
        switch (name.toUpperCase(Locale.ROOT)) {
            case "H264": {
                String mode = offered == null ? null : offered.parameter("packetization-mode");
                String ours = new Fmtp(0, fmtp).parameter("packetization-mode");
                H264Profile profile = H264Profile.of(offered == null ? null : offered.parameter("profile-level-id"));
                return (mode == null ? "0" : mode).equals(ours)
                        && profile != null && profile == H264Profile.of(new Fmtp(0, fmtp).parameter("profile-level-id"));
            }
            case "VP9": {
                String id = offered == null ? null : offered.parameter("profile-id");
                String ours = new Fmtp(0, fmtp).parameter("profile-id");
                return (id == null ? "0" : id).equals(ours == null ? "0" : ours);
            }
            default:
                return true;
        }
    }
}
