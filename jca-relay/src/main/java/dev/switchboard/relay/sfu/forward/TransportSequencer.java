package dev.switchboard.relay.sfu.forward;

/**
 * The transport-wide sequence counter of one subscriber's transport (draft-holmer-rmcat-transport-wide-cc-
 * extensions-01 §2): one 16-bit count over every packet sent on it, whatever the stream. Shared by the subscriber's
 * {@link OutboundStream}s and {@link RtxWriter}, which draw a number only for a packet that carries the extension,
 * so the subscriber's feedback shows no gap the SFU did not send. One per subscriber transport, on its loop.
 */
public final class TransportSequencer {

    private int next;

    /** Starts at 1, as libwebrtc does. */
    public TransportSequencer() {
        this(1);
    }

    public TransportSequencer(int first) {
        this.next = first & 0xFFFF;
    }

    /** The next number, 0..65535, wrapping. */
    public int next() {
        int n = next;
        next = (n + 1) & 0xFFFF;
        return n;
    }
}
