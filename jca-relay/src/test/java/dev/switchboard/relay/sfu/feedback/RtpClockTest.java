package dev.switchboard.relay.sfu.feedback;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Nanoseconds to RTP clock units: rounded down, before zero too, without overflow at the ends of a long. */
class RtpClockTest {

    @Test
    void unitsOfTheClockRate() {
        assertEquals(90_000, RtpClock.units(1_000_000_000L, 90_000));
        assertEquals(960, RtpClock.units(20_000_000L, 48_000), "20 ms of Opus");
        assertEquals(98_304, RtpClock.units(1_500_000_000L, 65_536), "1.5 s in a DLSR's 1/65536 s");
        assertEquals(2, RtpClock.units(33_333, 90_000), "2.99997 rounded down");
        assertEquals(-3, RtpClock.units(-33_333, 90_000), "rounded down below zero, too");
        for (long nanos : new long[]{Long.MAX_VALUE, Long.MIN_VALUE, 1_765_000_000_123_456_789L}) {
            BigInteger exact = BigInteger.valueOf(nanos).multiply(BigInteger.valueOf(90_000));
            BigInteger[] qr = exact.divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
            long floor = qr[1].signum() < 0 ? qr[0].longValueExact() - 1 : qr[0].longValueExact();
            assertEquals(floor, RtpClock.units(nanos, 90_000), "no overflow at " + nanos);
        }
    }

    @Test
    void clockRateChecked() {
        assertEquals(48_000, RtpClock.checkRate(48_000));
        assertThrows(IllegalArgumentException.class, () -> RtpClock.checkRate(0));
        assertThrows(IllegalArgumentException.class, () -> new ReceiveStatistics(1, -90_000));
        assertThrows(IllegalArgumentException.class, () -> new SenderStatistics(1, 2_000_000));
    }
}
