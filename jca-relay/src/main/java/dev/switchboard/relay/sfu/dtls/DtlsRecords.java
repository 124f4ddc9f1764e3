package dev.switchboard.relay.sfu.dtls;

import java.nio.ByteBuffer;

/**
 * The few facts read from a datagram before any DTLS state exists (RFC 6347 §4.1 record and §4.2.2 handshake
 * headers): whether it is DTLS at all (RFC 7983 §7: first byte 20..63), and whether it is a whole ClientHello that
 * could start a handshake. Absolute reads only: the buffer's position and limit are left as they are.
 */
public final class DtlsRecords {

    /** type(1) version(2) epoch(2) sequence_number(6) length(2). */
    public static final int RECORD_HEADER_LENGTH = 13;
    /** msg_type(1) length(3) message_seq(2) fragment_offset(3) fragment_length(3). */
    public static final int HANDSHAKE_HEADER_LENGTH = 12;
    static final int CONTENT_TYPE_HANDSHAKE = 22;
    static final int HANDSHAKE_CLIENT_HELLO = 1;
    /** client_version(2) random(32) session_id length(1) cookie length(1): the least a ClientHello body holds. */
    private static final int MIN_CLIENT_HELLO_BODY = 36;

    private DtlsRecords() {
    }

    /** RFC 7983's demultiplexing range for DTLS; STUN is 0..3, RTP/RTCP 128..191. */
    public static boolean isDtls(ByteBuffer datagram) {
        if (!datagram.hasRemaining()) {
            return false;
        }
        int first = datagram.get(datagram.position()) & 0xFF;
        return first >= 20 && first <= 63;
    }

    /**
     * Whether the datagram starts with a handshake record of epoch 0 carrying a whole, unfragmented ClientHello
     * (a DTLS version, lengths that fit the datagram). Only such a datagram is worth a cookie check.
     */
    public static boolean isClientHello(ByteBuffer datagram) {
        int p = datagram.position();
        int available = datagram.limit() - p;
        if (available < RECORD_HEADER_LENGTH + HANDSHAKE_HEADER_LENGTH + MIN_CLIENT_HELLO_BODY) {
            return false;
        }
        if ((datagram.get(p) & 0xFF) != CONTENT_TYPE_HANDSHAKE || (datagram.get(p + 1) & 0xFF) != 0xFE
                || datagram.getShort(p + 3) != 0) {
            return false;
        }
        int recordLength = datagram.getShort(p + 11) & 0xFFFF;
        if (recordLength > available - RECORD_HEADER_LENGTH) {
            return false;
        }
        int h = p + RECORD_HEADER_LENGTH;
        if ((datagram.get(h) & 0xFF) != HANDSHAKE_CLIENT_HELLO) {
            return false;
        }
        int messageLength = uint24(datagram, h + 1);
        int fragmentOffset = uint24(datagram, h + 6);
        int fragmentLength = uint24(datagram, h + 9);
        return fragmentOffset == 0 && fragmentLength == messageLength && messageLength >= MIN_CLIENT_HELLO_BODY
                && HANDSHAKE_HEADER_LENGTH + messageLength <= recordLength;
    }

    /**
     * Whether the datagram starts with a handshake record of epoch 0 carrying the first fragment (offset 0) of a
     * ClientHello, whole or not: what may start a handshake whose address was verified otherwise (ICE).
     */
    public static boolean startsClientHello(ByteBuffer datagram) {
        int p = datagram.position();
        int available = datagram.limit() - p;
        if (available < RECORD_HEADER_LENGTH + HANDSHAKE_HEADER_LENGTH) {
            return false;
        }
        if ((datagram.get(p) & 0xFF) != CONTENT_TYPE_HANDSHAKE || (datagram.get(p + 1) & 0xFF) != 0xFE
                || datagram.getShort(p + 3) != 0) {
            return false;
        }
        int recordLength = datagram.getShort(p + 11) & 0xFFFF;
        int h = p + RECORD_HEADER_LENGTH;
        return recordLength <= available - RECORD_HEADER_LENGTH && recordLength >= HANDSHAKE_HEADER_LENGTH
                && (datagram.get(h) & 0xFF) == HANDSHAKE_CLIENT_HELLO && uint24(datagram, h + 6) == 0
                && uint24(datagram, h + 9) > 0;
    }

    private static int uint24(ByteBuffer b, int at) {
        return (b.get(at) & 0xFF) << 16 | (b.get(at + 1) & 0xFF) << 8 | (b.get(at + 2) & 0xFF);
    }
}
