package dev.switchboard.relay.sfu.rtp;

/** The RTP header extensions the SFU understands, by the URI an SDP {@code a=extmap} line names them with. */
public enum HeaderExtension {
    /** RFC 8843 §15. */
    MID("urn:ietf:params:rtp-hdrext:sdes:mid"),
    /** RFC 8852 §3.1. */
    RID("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"),
    /** RFC 8852 §3.2. */
    REPAIRED_RID("urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"),
    ABS_SEND_TIME("http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"),
    TRANSPORT_CC("http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"),
    /** RFC 6464. */
    AUDIO_LEVEL("urn:ietf:params:rtp-hdrext:ssrc-audio-level");

    private static final HeaderExtension[] ALL = values();

    private final String uri;

    HeaderExtension(String uri) {
        this.uri = uri;
    }

    public String uri() {
        return uri;
    }

    /** The extension named by {@code uri} (exact match, as RFC 8285 §5 compares them), or null. */
    public static HeaderExtension ofUri(String uri) {
        for (HeaderExtension e : ALL) {
            if (e.uri.equals(uri)) {
                return e;
            }
        }
        return null;
    }
}
