package dev.switchboard.relay.sfu.rtp;

/**
 * The transport-wide sequence number extension
 * ({@code http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01}): 2 bytes, one counter for
 * every packet on the transport whatever its SSRC. The SFU reads the publisher's (for the feedback it owes the
 * publisher) and overwrites it in each forwarded copy with the subscriber transport's own counter, whose arrivals
 * that subscriber then reports.
 */
public final class TransportSequence {

    public static final int LENGTH = 2;

    private TransportSequence() {
    }

    /** The sequence number 0..65535 carried as extension {@code id}, or -1 when absent or not 2 bytes long. */
    public static int read(RtpPacket packet, int id) {
        int at = packet.extensionOffset(id);
        if (at < 0 || packet.extensionLength(id) != LENGTH) {
            return -1;
        }
        return Wire.u16(packet.buffer(), at);
    }

    /** Overwrites extension {@code id}'s value in place (low 16 bits); false when absent or not 2 bytes long. */
    public static boolean write(RtpPacket packet, int id, int sequenceNumber) {
        int at = packet.extensionOffset(id);
        if (at < 0 || packet.extensionLength(id) != LENGTH) {
            return false;
        }
        Wire.put16(packet.buffer(), at, sequenceNumber);
        return true;
    }
}
