package dev.switchboard.relay.sfu.sdp;

/**
 * {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]} (RFC 8285 §7). Direction and attributes are null when
 * absent; ids 1-14 fit the one-byte header, 15-255 need the two-byte one, 4096-4351 are offer-only placeholders.
 */
public record Extmap(int id, Direction direction, String uri, String attributes) {

    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String TRANSPORT_WIDE_CC =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public static final String SSRC_AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    static Extmap parse(Tokens t) throws SdpException {
        String first = t.next("id");
        int slash = first.indexOf('/');
        Direction direction = null;
        if (slash >= 0) {
            direction = Direction.of(first.substring(slash + 1));
            if (direction == null) {
                throw t.fail("unknown direction \"" + Text.clip(first.substring(slash + 1)) + "\"");
            }
            first = first.substring(0, slash);
        }
        int id = (int) t.number(first, "id", 1, 4351);
        if (id > 255 && id < 4096) {
            throw t.fail("id " + id + " is neither 1-255 nor 4096-4351 (RFC 8285 §7)");
        }
        String uri = t.next("uri");
        return new Extmap(id, direction, uri, t.hasMore() ? t.rest("extension attributes") : null);
    }

    String sdpValue() {
        return id + (direction == null ? "" : "/" + direction.sdp()) + ' ' + uri
                + (attributes == null ? "" : " " + attributes);
    }
}
