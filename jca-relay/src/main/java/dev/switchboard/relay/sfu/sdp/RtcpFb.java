package dev.switchboard.relay.sfu.sdp;

/**
 * {@code a=rtcp-fb:<pt|*> <type> [<parameter>]} (RFC 4585 §4.2), e.g. {@code 96 nack pli}, {@code 96 ccm fir},
 * {@code 96 transport-cc}. The payload type is {@link #ANY} for {@code *}; the parameter is null when absent.
 */
public record RtcpFb(int payloadType, String type, String parameter) {

    public static final int ANY = -1;

    static RtcpFb parse(Tokens t) throws SdpException {
        String pt = t.next("payload type");
        int payloadType = pt.equals("*") ? ANY : (int) t.number(pt, "payload type", 0, 127);
        String type = t.next("feedback type");
        if (!Text.isToken(type)) {
            throw t.fail("feedback type is not a token");
        }
        return new RtcpFb(payloadType, type, t.hasMore() ? t.rest("parameter") : null);
    }

    /** {@code nack pli} for ("nack", "pli"); {@code nack} for ("nack", null). */
    public String feedback() {
        return parameter == null ? type : type + ' ' + parameter;
    }

    public boolean appliesTo(int pt) {
        return payloadType == ANY || payloadType == pt;
    }

    String sdpValue() {
        return (payloadType == ANY ? "*" : Integer.toString(payloadType)) + ' ' + feedback();
    }
}
