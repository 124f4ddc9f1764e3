package dev.switchboard.relay.sfu.sdp;

/** {@code a=msid:<stream id> [<track id>]} (RFC 8830 §2); the track id is null when absent. */
public record Msid(String streamId, String trackId) {

    static Msid parse(Tokens t) throws SdpException {
        String stream = id(t, t.next("msid-id"));
        String track = t.hasMore() ? id(t, t.next("msid-appdata")) : null;
        t.end();
        return new Msid(stream, track);
    }

    private static String id(Tokens t, String s) throws SdpException {
        if (s.length() > 64 || !Text.isToken(s)) {
            throw t.fail("an msid part is 1 to 64 token characters (RFC 8830 §2)");
        }
        return s;
    }

    String sdpValue() {
        return trackId == null ? streamId : streamId + ' ' + trackId;
    }
}
