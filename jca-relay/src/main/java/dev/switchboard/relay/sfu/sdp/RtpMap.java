package dev.switchboard.relay.sfu.sdp;

/** {@code a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]} (RFC 8866 §6.6); channels is 0 when absent. */
public record RtpMap(int payloadType, String encodingName, int clockRate, int channels) {

    static RtpMap parse(Tokens t) throws SdpException {
        int pt = t.nextInt("payload type", 0, 127);
        String encoding = t.next("encoding");
        t.end();
        String[] parts = encoding.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || !Text.isToken(parts[0])) {
            throw t.fail("expected <encoding name>/<clock rate>[/<channels>]");
        }
        int clock = (int) t.number(parts[1], "clock rate", 1, Integer.MAX_VALUE);
        int channels = parts.length == 3 ? (int) t.number(parts[2], "channels", 1, 255) : 0;
        return new RtpMap(pt, parts[0], clock, channels);
    }

    /** True when the encoding names match, ignoring case (RFC 4855 §3: "VP8" and "vp8" are one codec). */
    public boolean is(String name) {
        return encodingName.equalsIgnoreCase(name);
    }

    /** Channels as negotiated: absent means 1 (RFC 8866 §6.6). */
    public int channelCount() {
        return channels == 0 ? 1 : channels;
    }

    String sdpValue() {
        return payloadType + " " + encodingName + '/' + clockRate + (channels == 0 ? "" : "/" + channels);
    }
}
