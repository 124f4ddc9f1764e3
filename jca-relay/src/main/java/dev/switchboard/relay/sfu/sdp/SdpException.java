package dev.switchboard.relay.sfu.sdp;

/**
 * The only exception parsing throws, whatever the input, and the one the answerer throws for an offer the SFU
 * cannot take. It names the line (1-based, as sent; 0 when the problem is not one line's) and the reason, so a
 * signaling or WHIP endpoint can answer a clear 400.
 */
public class SdpException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final String reason;

    public SdpException(int line, String reason) {
        super(line > 0 ? "SDP line " + line + ": " + reason : "SDP: " + reason);
        this.line = line;
        this.reason = reason;
    }

    /** The 1-based line number, or 0 when the error is about the description as a whole. */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
