package dev.switchboard.relay.sfu.feedback;

/** Conversions between the loop's nanosecond clock and a stream's RTP clock. */
final class RtpClock {

    static final long NANOS = 1_000_000_000L;

    private RtpClock() {
    }

    /** Checks a codec clock rate (RFC 3550 §5.1: Opus 48 000, video 90 000). */
    static int checkRate(int clockRate) {
        if (clockRate <= 0 || clockRate > 1_000_000) {
            throw new IllegalArgumentException("clock rate " + clockRate + " outside 1..1000000 Hz");
        }
        return clockRate;
    }

    /** {@code nanos} in units of {@code clockRate}, rounded down, exact without overflow for any long. */
    static long units(long nanos, int clockRate) {
        return Math.floorDiv(nanos, NANOS) * clockRate + Math.floorMod(nanos, NANOS) * clockRate / NANOS;
    }
}
