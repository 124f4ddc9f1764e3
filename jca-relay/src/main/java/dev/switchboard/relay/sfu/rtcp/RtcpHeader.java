package dev.switchboard.relay.sfu.rtcp;

import dev.switchboard.relay.sfu.rtp.Wire;

import java.nio.ByteBuffer;

/**
 * The 4-byte header every RTCP packet starts with (RFC 3550 §6.4.1): version, padding bit, a 5-bit count (report
 * count, source count, or a feedback message's FMT), packet type and length in 32-bit words minus one; plus the
 * constants of the types the SFU speaks and the RTP/RTCP demultiplexing check of RFC 5761 §4. Reads take the
 * index {@code at} of the packet's first byte and are absolute.
 */
public final class RtcpHeader {

    public static final int LENGTH = 4;
    public static final int VERSION = 2;

    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    /** RFC 4585 §6.1: transport-layer feedback (NACK, transport-cc). */
    public static final int RTPFB = 205;
    /** RFC 4585 §6.1: payload-specific feedback (PLI, FIR, REMB). */
    public static final int PSFB = 206;
    public static final int XR = 207;

    /** RTPFB FMT: generic NACK (RFC 4585 §6.2.1). */
    public static final int FMT_NACK = 1;
    /** RTPFB FMT: transport-wide congestion control feedback. */
    public static final int FMT_TWCC = 15;
    /** PSFB FMT: picture loss indication (RFC 4585 §6.3.1). */
    public static final int FMT_PLI = 1;
    /** PSFB FMT: full intra request (RFC 5104 §4.3.1). */
    public static final int FMT_FIR = 4;
    /** PSFB FMT: application layer feedback, where REMB lives. */
    public static final int FMT_AFB = 15;

    /** Sender SSRC and media source SSRC after the header of a feedback message (RFC 4585 §6.1). */
    public static final int FEEDBACK_HEADER_LENGTH = 12;

    private RtcpHeader() {
    }

    /**
     * RFC 5761 §4: on a port that carries both (rtcp-mux), a packet whose second byte is 192..223 is RTCP (RTP
     * payload types 64..95 are kept free for this). Looks at the buffer's position; needs 2 bytes.
     */
    public static boolean isRtcp(ByteBuffer packet) {
        if (packet.remaining() < 2) {
            return false;
        }
        int type = Wire.u8(packet, packet.position() + 1);
        return type >= 192 && type <= 223;
    }

    public static int version(ByteBuffer b, int at) {
        return Wire.u8(b, at) >>> 6;
    }

    public static boolean padding(ByteBuffer b, int at) {
        return (Wire.u8(b, at) & 0x20) != 0;
    }

    /** Report count, source count or FMT: the low 5 bits of the first byte. */
    public static int count(ByteBuffer b, int at) {
        return Wire.u8(b, at) & 0x1F;
    }

    public static int type(ByteBuffer b, int at) {
        return Wire.u8(b, at + 1);
    }

    /** The packet's size in bytes from its length field, header and padding included. */
    public static int size(ByteBuffer b, int at) {
        return (Wire.u16(b, at + 2) + 1) * 4;
    }

    /** The first SSRC after the header: the sender's, in every type the SFU handles except BYE and SDES. */
    public static int senderSsrc(ByteBuffer b, int at) {
        return Wire.i32(b, at + 4);
    }

    /** A feedback message's media source SSRC (RFC 4585 §6.1). */
    public static int mediaSsrc(ByteBuffer b, int at) {
        return Wire.i32(b, at + 8);
    }

    /** Writes a header without padding at {@code at} for a packet of {@code size} bytes (a multiple of 4). */
    static void write(ByteBuffer b, int at, int count, int type, int size) {
        Wire.put8(b, at, VERSION << 6 | (count & 0x1F));
        Wire.put8(b, at + 1, type);
        Wire.put16(b, at + 2, size / 4 - 1);
    }

    /** Writes a feedback message's common part: header, sender SSRC, media source SSRC. */
    static void writeFeedback(ByteBuffer b, int at, int fmt, int type, int size, int senderSsrc, int mediaSsrc) {
        write(b, at, fmt, type, size);
        Wire.put32(b, at + 4, senderSsrc);
        Wire.put32(b, at + 8, mediaSsrc);
    }

    /** True when {@code out} has {@code size} bytes between its position and limit. */
    static boolean room(ByteBuffer out, int size) {
        return out.remaining() >= size;
    }
}
