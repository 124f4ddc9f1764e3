package dev.switchboard.relay.sfu.rtp;

/**
 * Why an RTP packet was refused (or {@link #NONE}): returned rather than thrown, since malformed packets arrive at
 * line rate from anyone, and an enum so that the caller can count drops by reason without allocating.
 */
public enum RtpProblem {
    NONE("valid"),
    TOO_SHORT("shorter than the 12-byte fixed header (RFC 3550 §5.1)"),
    BAD_VERSION("version is not 2 (RFC 3550 §5.1)"),
    CSRC_OVERRUN("the CSRC count runs past the end of the packet (RFC 3550 §5.1)"),
    EXTENSION_HEADER_OVERRUN("the X bit is set but the 4-byte extension header does not fit (RFC 3550 §5.3.1)"),
    EXTENSION_OVERRUN("the header extension's length runs past the end of the packet (RFC 3550 §5.3.1)"),
    BAD_EXTENSION_ELEMENT("a header extension element runs past its block (RFC 8285 §4.2, §4.3)"),
    BAD_PADDING("the padding count is 0 or larger than the payload (RFC 3550 §5.1, A.1)"),
    NO_ORIGINAL_SEQUENCE("an RTX packet without the 2-byte original sequence number (RFC 4588 §4), e.g. a probe");

    private final String reason;

    RtpProblem(String reason) {
        this.reason = reason;
    }

    /** A sentence for logs and for the tests' failure messages. */
    public String reason() {
        return reason;
    }
}
