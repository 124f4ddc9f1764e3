package dev.switchboard.relay.transport;

/**
 * What a packet is, told by its first byte alone (RFC 7983 as updated by RFC 8656 §18): every protocol that shares
 * a client-facing port keeps to its own range, so one lookup picks the handler.
 */
public enum PacketClass {
    /** 0–3: STUN, and TURN's STUN-format methods. */
    STUN,
    /** 16–19: ZRTP. */
    ZRTP,
    /** 20–63: DTLS records. */
    DTLS,
    /**
     * 64–127: TURN ChannelData. RFC 8656 narrowed channel numbers to 0x4000–0x4FFF (first byte 64–79), but RFC 5766
     * allowed up to 0x7FFF and coturn's clients still pick from that range; nothing else is assigned there that a
     * TURN/WebRTC port must carry (RFC 9443 gives 80–127 to QUIC, which this port does not speak).
     */
    CHANNEL_DATA,
    /** 128–191: RTP and RTCP (version 2). */
    RTP_RTCP,
    /** Anything else, including an empty packet: nobody's, dropped. */
    UNKNOWN;

    // A table rather than comparisons: one array load per packet, and the ranges are written down once.
    private static final PacketClass[] BY_FIRST_BYTE = new PacketClass[256];

    static {
        for (int b = 0; b < 256; b++) {
            BY_FIRST_BYTE[b] = b <= 3 ? STUN
                    : b >= 16 && b <= 19 ? ZRTP
                    : b >= 20 && b <= 63 ? DTLS
                    : b >= 64 && b <= 127 ? CHANNEL_DATA
                    : b >= 128 && b <= 191 ? RTP_RTCP
                    : UNKNOWN;
        }
    }

    /** Classifies by a first byte (only its low 8 bits count). */
    public static PacketClass ofFirstByte(int firstByte) {
        return BY_FIRST_BYTE[firstByte & 0xFF];
    }
}
