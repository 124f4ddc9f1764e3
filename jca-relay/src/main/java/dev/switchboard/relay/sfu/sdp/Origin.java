package dev.switchboard.relay.sfu.sdp;

/** The {@code o=} line (RFC 8866 §5.2); the ids stay text as they may be any 64-bit unsigned number. */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
                     String address) {

    static Origin parse(Tokens t) throws SdpException {
        String user = t.next("username");
        String id = digits(t, t.next("sess-id"), "sess-id");
        String version = digits(t, t.next("sess-version"), "sess-version");
        Origin o = new Origin(user, id, version, t.next("nettype"), t.next("addrtype"), t.next("unicast-address"));
        t.end();
        return o;
    }

    private static String digits(Tokens t, String s, String field) throws SdpException {
        if (s.length() > 20 || !Text.allDigits(s)) {
            throw t.fail(field + " is not a number: \"" + Text.clip(s) + "\"");
        }
        return s;
    }

    String sdpValue() {
        return username + ' ' + sessionId + ' ' + sessionVersion + ' ' + netType + ' ' + addrType + ' ' + address;
    }
}
