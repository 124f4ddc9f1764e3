package dev.switchboard.relay.sfu.rtcp;

/**
 * Why an RTCP packet (or a compound of them) was refused, or {@link #NONE}: returned rather than thrown, since
 * malformed packets arrive at line rate from anyone, and an enum so that drops are counted by reason without
 * allocating.
 */
public enum RtcpProblem {
    NONE("valid"),
    EMPTY("no bytes"),
    TOO_SHORT("fewer than the 4 bytes of an RTCP header (RFC 3550 §6.4.1)"),
    BAD_VERSION("version is not 2 (RFC 3550 §6.4.1, A.2)"),
    LENGTH_OVERRUN("a header's length field runs past the end of the compound packet (RFC 3550 §6.4.1, A.2)"),
    BAD_PADDING("the padding count is 0, not a multiple of 4 or larger than the packet (RFC 3550 §6.4.1)"),
    REPORT_OVERRUN("SR/RR: the report blocks its count announces do not fit (RFC 3550 §6.4.1, §6.4.2)"),
    SDES_OVERRUN("SDES: a chunk or item runs past the packet, or a chunk has no terminating null (RFC 3550 §6.5)"),
    BYE_OVERRUN("BYE: the SSRCs or the reason run past the packet (RFC 3550 §6.6)"),
    FEEDBACK_TOO_SHORT("feedback message shorter than its 12-byte common part (RFC 4585 §6.1)"),
    FIR_BAD_LENGTH("FIR: the FCI is not a whole number of 8-byte entries (RFC 5104 §4.3.1)"),
    REMB_OVERRUN("REMB: the SSRC list runs past the packet (draft-alvestrand-rmcat-remb §2.2)"),
    TWCC_TOO_SHORT("transport-cc feedback shorter than its 20-byte fixed part (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1)"),
    TWCC_CHUNKS_OVERRUN("transport-cc feedback: the status chunks end before the status count is reached (§3.1.1)"),
    TWCC_RESERVED_SYMBOL("transport-cc feedback: status symbol 11, which is reserved (§3.1.1)"),
    TWCC_DELTAS_OVERRUN("transport-cc feedback: the receive deltas run past the packet (§3.1.5)"),
    NOT_TWCC("not a transport-cc feedback packet (RTPFB FMT 15)");

    private final String reason;

    RtcpProblem(String reason) {
        this.reason = reason;
    }

    /** A sentence for logs and for the tests' failure messages. */
    public String reason() {
        return reason;
    }
}
