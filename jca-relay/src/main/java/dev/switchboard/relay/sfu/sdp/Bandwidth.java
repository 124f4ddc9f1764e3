package dev.switchboard.relay.sfu.sdp;

/** A {@code b=} line (RFC 8866 §5.8), e.g. {@code AS:300} or {@code TIAS:300000}. */
public record Bandwidth(String type, long value) {

    static Bandwidth parse(String text, int line) throws SdpException {
        int colon = text.indexOf(':');
        if (colon <= 0 || !Text.isToken(text.substring(0, colon))) {
            throw new SdpException(line, "bad b=: expected <type>:<bandwidth>");
        }
        return new Bandwidth(text.substring(0, colon),
                Tokens.number(text.substring(colon + 1), "bandwidth", 0, Long.MAX_VALUE, line, "b="));
    }

    String sdpValue() {
        return type + ':' + value;
    }
}
