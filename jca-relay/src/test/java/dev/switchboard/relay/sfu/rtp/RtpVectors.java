package dev.switchboard.relay.sfu.rtp;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * RTP packets assembled by hand from RFC 3550 §5.1 (fixed header), RFC 8285 §4.2/§4.3 (extension forms) and the
 * extensions' own specs, each byte's meaning in the comments; shared by the codec tests and the fuzz properties.
 */
public final class RtpVectors {

    private RtpVectors() {
    }

    /** Bytes from hex, ignoring spaces, line breaks and '|' separators. */
    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[\\s|]", ""));
    }

    public static ByteBuffer buffer(byte[] bytes) {
        return ByteBuffer.wrap(bytes.clone());
    }

    /**
     * RFC 3550 §5.1 fixed header, no CSRC/extension/padding: V=2 P=0 X=0 CC=0 (0x80), M=1 PT=111 (0x80|0x6F =
     * 0xEF), seq 0x1234, timestamp 0x0001E240 (123456), SSRC 0xDEADBEEF, then the 4 payload bytes 01 02 03 04.
     */
    public static final byte[] OPUS = hex("80 EF 1234 | 0001E240 | DEADBEEF | 01020304");

    /**
     * A VP8 packet with one-byte extensions, as Chromium sends them: V=2 X=1 (0x90), PT=96 (0x60), seq 0xFFFF,
     * ts 0x11223344, SSRC 0x01020304; extension profile 0xBEDE with 3 words (RFC 8285 §4.2):
     * <ul>
     * <li>0x22 = id 2, len-1 = 2: abs-send-time 0x0A8000, which is 2.625 s (2 × 2^18 = 0x080000 plus
     * 0.625 × 2^18 = 0x028000);</li>
     * <li>0x31 = id 3, len-1 = 1: transport-wide seq 0x0102 (258);</li>
     * <li>0x40 = id 4, len-1 = 0: mid "0" (0x30);</li>
     * <li>then 3 padding zeros: 4 + 3 + 2 = 9 bytes of elements, padded to 12;</li>
     * </ul>
     * then a 3-byte payload AA BB CC.
     */
    public static final byte[] VP8_ONE_BYTE = hex("90 60 FFFF | 11223344 | 01020304 | BEDE 0003 |"
            + " 22 0A8000 | 31 0102 | 40 30 | 000000 | AABBCC");

    /**
     * Two-byte form (RFC 8285 §4.3): V=2 X=1 (0x90), PT=100 (0x64), seq 7, ts 0, SSRC 9; profile 0x1000 (appbits 0),
     * 2 words: element id 10 with length 0 (allowed only here), element id 200 length 3 "h", "i", "g" (a rid beyond
     * the one-byte ids), one padding zero: 2 + 5 + 1 = 8 bytes; payload 55.
     */
    public static final byte[] TWO_BYTE = hex("90 64 0007 | 00000000 | 00000009 | 1000 0002 |"
            + " 0A 00 | C8 03 686967 | 00 | 55");

    /**
     * CSRCs and padding: V=2 P=1 CC=2 (0xA2), PT=0 (0x00), seq 1, ts 2, SSRC 3, CSRCs 0x0A and 0x0B, payload 77 77,
     * then 4 padding bytes whose last is the count (RFC 3550 §5.1: "the last octet of the padding contains a count
     * of how many padding octets should be ignored, including itself").
     */
    public static final byte[] CSRC_PADDING = hex("A2 00 0001 | 00000002 | 00000003 | 0000000A | 0000000B |"
            + " 7777 | 000000 04");

    /**
     * The one-byte form's id 15 ends the parse (RFC 8285 §4.2): id 1 (len 1, value 0x11) is found, then 0xF0, after
     * which the bytes (here 0x2F, which read as an element would claim 16 bytes) are not looked at. V=2 X=1, PT=96,
     * seq 1, ts 1, SSRC 1, 1 word of elements; no payload.
     */
    public static final byte[] ID_15_STOPS = hex("90 60 0001 | 00000001 | 00000001 | BEDE 0001 | 10 11 F0 2F");
}
