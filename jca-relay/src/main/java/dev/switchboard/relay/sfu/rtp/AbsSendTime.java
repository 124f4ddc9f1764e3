package dev.switchboard.relay.sfu.rtp;

/**
 * The abs-send-time header extension ({@code http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time}): 3 bytes,
 * the send time in seconds as a 24-bit 6.18 fixed-point number, so it wraps every 64 s. REMB-based estimation reads
 * it; an SFU that forwards it rewrites it with its own send time.
 */
public final class AbsSendTime {

    public static final int LENGTH = 3;
    /** One unit of the 18-bit fraction is 2^-18 s. */
    public static final int FRACTION_BITS = 18;
    /** 2^24 units: the value wraps after 64 s. */
    public static final int MODULUS = 1 << 24;

    private AbsSendTime() {
    }

    /** The 24-bit value carried as extension {@code id}, or -1 when absent or not 3 bytes long. */
    public static int read(RtpPacket packet, int id) {
        int at = packet.extensionOffset(id);
        if (at < 0 || packet.extensionLength(id) != LENGTH) {
            return -1;
        }
        return Wire.u24(packet.buffer(), at);
    }

    /** Overwrites extension {@code id}'s value in place; false when absent or not 3 bytes long. */
    public static boolean write(RtpPacket packet, int id, int value) {
        int at = packet.extensionOffset(id);
        if (at < 0 || packet.extensionLength(id) != LENGTH) {
            return false;
        }
        Wire.put24(packet.buffer(), at, value);
        return true;
    }

    /** A monotonic clock reading in nanoseconds ({@code System.nanoTime()}) as the 24-bit value. */
    public static int fromNanos(long nanos) {
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        long fraction = Math.floorMod(nanos, 1_000_000_000L); // < 2^30, so shifting by 18 stays within a long
        return (int) ((seconds << FRACTION_BITS | (fraction << FRACTION_BITS) / 1_000_000_000L) & (MODULUS - 1));
    }

    /** A 24-bit value as microseconds within its 64 s cycle (truncated). */
    public static long toMicros(int value) {
        return ((value & (MODULUS - 1L)) * 1_000_000L) >>> FRACTION_BITS;
    }
}
