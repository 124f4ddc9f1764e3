package dev.switchboard.relay.sfu.rtcp;

import static dev.switchboard.relay.sfu.rtp.RtpVectors.hex;

/**
 * RTCP packets assembled by hand from the RFCs' figures, each field's derivation in the comments; shared by the
 * codec tests and the fuzz properties. The first byte is V=2 (0x80) | P << 5 | count; the length is in 32-bit
 * words minus one (RFC 3550 §6.4.1).
 */
public final class RtcpVectors {

    private RtcpVectors() {
    }

    /**
     * A compound SR + SDES as a sender opens with (RFC 3550 §6.1). SR (§6.4.1): 0x81 (RC=1), PT 200 (0xC8),
     * 52 bytes = 28 + 24 → length 12; SSRC 0x11111111; NTP 0xE7A1B2C3.80000000 (the middle 32 bits, B2C3 8000, are
     * what an LSR echoes); RTP ts 0x00015F90 (90 000); 1000 packets (0x3E8), 123 456 octets (0x0001E240); one block:
     * SSRC 0x22222222, fraction 0x40 (1/4), cumulative lost 0xFFFFFE (-2: the field is signed), highest 0x0001FFFF
     * (one cycle, seq 0xFFFF), jitter 0x20, LSR 0x12345678, DLSR 0x00010000 (1 s).
     * SDES (§6.5): 0x81 (SC=1), PT 202 (0xCA), SSRC 0x11111111, CNAME item 01, length 0x10, "abcdefghijklmnop",
     * the null item 00: 4 + 4 + 2 + 16 + 1 = 27 bytes, one more zero pads it to 28 → length 6.
     */
    public static final byte[] SR_SDES = hex("81 C8 000C | 11111111 | E7A1B2C3 80000000 | 00015F90 | 000003E8 | 0001E240 |"
            + " 22222222 | 40 FFFFFE | 0001FFFF | 00000020 | 12345678 | 00010000 |"
            + " 81 CA 0006 | 11111111 | 01 10 6162636465666768696A6B6C6D6E6F70 | 00 00");

    /**
     * Reduced-size feedback (RFC 5506: no leading report) as Chromium sends it, several in one datagram:
     * <ul>
     * <li>generic NACK (RFC 4585 §6.2.1): 0x81 (FMT 1), PT 205 (0xCD), length 3; sender 0x33333333, media
     * 0x44444444; PID 0x0010, BLP 0x0005 (bits 0 and 2: 17 and 19 also lost) → 16, 17, 19;</li>
     * <li>PLI (§6.3.1): 0x81 (FMT 1), PT 206 (0xCE), length 2, sender, media 0x44444444;</li>
     * <li>FIR (RFC 5104 §4.3.1): 0x84 (FMT 4), PT 206, length 4; sender; media 0 (unused); entry SSRC 0x44444444,
     * seq nr 7, 3 reserved zeros;</li>
     * <li>REMB (draft-alvestrand-rmcat-remb-03 §2.2): 0x8F (FMT 15), PT 206, length 5; sender; media 0; "REMB";
     * num SSRC 1; exponent and mantissa 0x0A1234: exponent = 0x0A1234 >> 18 = 2, mantissa = 0x0A1234 & 0x3FFFF =
     * 0x21234 = 135 732, so 135 732 × 2^2 = 542 928 bit/s; SSRC 0x44444444;</li>
     * <li>an APP packet (§6.7), which the SFU does not read: 0x80, PT 204 (0xCC), length 2, SSRC, name "ABCD".</li>
     * </ul>
     */
    public static final byte[] FEEDBACK = hex("81 CD 0003 | 33333333 | 44444444 | 0010 0005 |"
            + " 81 CE 0002 | 33333333 | 44444444 |"
            + " 84 CE 0004 | 33333333 | 00000000 | 44444444 | 07 000000 |"
            + " 8F CE 0005 | 33333333 | 00000000 | 52454D42 | 01 0A1234 | 44444444 |"
            + " 80 CC 0002 | 33333333 | 41424344");

    /**
     * Transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): 0x8F (FMT 15), PT 205; sender
     * 0x55555555, media 0x66666666; base seq 0x0100, status count 10; reference time 0x000010 (16 × 64 ms =
     * 1 024 000 µs), feedback count 5. Statuses: small ×3, lost ×2, large, small ×4:
     * <ul>
     * <li>a two-bit status vector chunk (§3.1.4) for the first 7: 1 1 | 01 01 01 00 00 10 01 = 0xD509;</li>
     * <li>a run-length chunk (§3.1.3) for the last 3: 0 | 01 | 0000000000011 = 0x2003;</li>
     * <li>receive deltas in 250 µs (§3.1.5): 04, 08, 00 (small, 1 byte), FFF0 (large, -16 = -4 ms), 01, 02, 03,
     * 04; arrivals 1 025 000, 1 027 000, 1 027 000, -, -, 1 023 000, 1 023 250, 1 023 750, 1 024 500, 1 025 500 µs;</li>
     * <li>20 + 4 + 9 = 33 bytes, zero padding to 36 → length 8.</li>
     * </ul>
     */
    public static final byte[] TWCC = hex("8F CD 0008 | 55555555 | 66666666 | 0100 000A | 000010 05 | D509 2003 |"
            + " 04 08 00 FFF0 01 02 03 04 | 000000");

    /** The same feedback as libwebrtc pads it: P bit set, the last padding byte counts the 3 padding bytes. */
    public static final byte[] TWCC_PADDED = hex("AF CD 0008 | 55555555 | 66666666 | 0100 000A | 000010 05 | D509 2003 |"
            + " 04 08 00 FFF0 01 02 03 04 | 0000 03");

    public static final long[] TWCC_ARRIVALS = {1_025_000, 1_027_000, 1_027_000, -1, -1, 1_023_000, 1_023_250, 1_023_750,
            1_024_500, 1_025_500};
}
