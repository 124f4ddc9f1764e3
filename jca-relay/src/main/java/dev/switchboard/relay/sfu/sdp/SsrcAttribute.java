package dev.switchboard.relay.sfu.sdp;

/** {@code a=ssrc:<ssrc> <attribute>[:<value>]} (RFC 5576 §4.1), e.g. {@code cname:x} or {@code msid:s t}. */
public record SsrcAttribute(long ssrc, String attribute, String value) {

    static SsrcAttribute parse(Tokens t) throws SdpException {
        long ssrc = t.nextLong("ssrc", 0, 0xFFFF_FFFFL);
        String rest = t.rest("source attribute");
        int colon = rest.indexOf(':');
        String name = colon < 0 ? rest : rest.substring(0, colon);
        if (!Text.isToken(name)) {
            throw t.fail("source attribute name is not a token");
        }
        return new SsrcAttribute(ssrc, name, colon < 0 ? null : rest.substring(colon + 1));
    }

    String sdpValue() {
        return ssrc + " " + attribute + (value == null ? "" : ":" + value);
    }
}
