package dev.switchboard.relay.sfu.bwe;

/**
 * The rate at which the receiver got our packets, measured on its arrival clock: bytes acknowledged over tumbling
 * windows of {@link #WINDOW_US}, the estimate being the last two windows together (about half a second, short
 * enough to follow a step, long enough that one feedback batch or one frame does not swing it). This is what a
 * decrease is scaled from: after overuse we aim just below what actually got through, not below what we sent.
 *
 * <p>An arrival before the window began or a jump beyond {@link #MAX_GAP_US} starts measuring over: the receiver's
 * clock or the path changed. Unknown ({@code -1}) until a window is complete.
 */
final class AckedBitrate {

    static final long WINDOW_US = 250_000;
    static final long MAX_GAP_US = 2_000_000;

    private boolean started;
    private long windowStartUs;
    private long lastArrivalUs;
    private long windowBytes;
    private long previousBytes;
    private long previousSpanUs;
    private long bitrateBps = -1;

    void add(long arrivalUs, int sizeBytes) {
        if (!started || arrivalUs < windowStartUs || arrivalUs - lastArrivalUs > MAX_GAP_US) {
            started = true;
            windowStartUs = arrivalUs;
            lastArrivalUs = arrivalUs;
            windowBytes = sizeBytes;
            previousBytes = 0;
            previousSpanUs = 0;
            return;
        }
        lastArrivalUs = Math.max(lastArrivalUs, arrivalUs);
        long span = arrivalUs - windowStartUs;
        if (span >= WINDOW_US) {
            // this packet closes the window; its bytes arrived after the window's first, so they count in it
            windowBytes += sizeBytes;
            long bytes = windowBytes + previousBytes;
            long spanUs = span + previousSpanUs;
            if (spanUs > 0) { // a sum of garbage spans can overflow
                bitrateBps = (long) Math.min(Long.MAX_VALUE / 2, bytes * 8e6 / spanUs);
            }
            previousBytes = windowBytes;
            previousSpanUs = span;
            windowStartUs = arrivalUs;
            windowBytes = 0;
        } else {
            windowBytes += sizeBytes;
        }
    }

    /** Bits per second, or -1 while unknown. */
    long bitrateBps() {
        return bitrateBps;
    }
}
