package dev.switchboard.relay.stun;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Computes MESSAGE-INTEGRITY (RFC 8489 §14.5), MESSAGE-INTEGRITY-SHA256 (§14.6) and FINGERPRINT (§14.7) over a
 * message held in a buffer, for both the decoder (to verify) and the encoder (to fill in). Owns the reusable
 * CRC/HMAC state, so one instance serves one thread; the HMACs are created on first use because a plain
 * Binding server never needs them.
 */
final class StunIntegrity {

    /** RFC 8489 §14.7: keeps FINGERPRINT apart from a CRC-32 some other protocol carries. */
    static final int FINGERPRINT_XOR = 0x5354554E;
    static final int SHA1_LENGTH = 20;
    static final int SHA256_MAX_LENGTH = 32;
    static final int SHA256_MIN_LENGTH = 16;

    private final CRC32 crc = new CRC32();
    private Hmac sha1;
    private Hmac sha256;

    /** The FINGERPRINT value for the message bytes {@code [start, end)} (everything before the attribute). */
    int fingerprint(ByteBuffer message, int start, int end) {
        crc.reset();
        int position = message.position();
        int limit = message.limit();
        message.limit(end).position(start);
        crc.update(message);
        message.limit(limit).position(position);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    /**
     * Writes the 20-byte HMAC-SHA1 of the message from {@code start} up to {@code attributeStart} (where the
     * MESSAGE-INTEGRITY attribute begins) to {@code out}, with the header's length field taken as {@code
     * bodyLength}: the length the message has up to the end of MESSAGE-INTEGRITY (§14.5).
     */
    void hmacSha1(byte[] key, ByteBuffer message, int start, int attributeStart, int bodyLength, byte[] out) {
        if (sha1 == null) {
            sha1 = Hmac.sha1();
        }
        mac(sha1, key, message, start, attributeStart, bodyLength, out);
    }

    /** As {@link #hmacSha1} with HMAC-SHA256 (32 bytes; the attribute may carry a prefix of it, §14.6). */
    void hmacSha256(byte[] key, ByteBuffer message, int start, int attributeStart, int bodyLength, byte[] out) {
        if (sha256 == null) {
            sha256 = Hmac.sha256();
        }
        mac(sha256, key, message, start, attributeStart, bodyLength, out);
    }

    private static void mac(Hmac hmac, byte[] key, ByteBuffer message, int start, int attributeStart,
                            int bodyLength, byte[] out) {
        hmac.init(key);
        int position = message.position();
        int limit = message.limit();
        message.limit(start + 2).position(start);
        hmac.update(message);
        hmac.update((byte) (bodyLength >>> 8));
        hmac.update((byte) bodyLength);
        message.limit(attributeStart).position(start + 4);
        hmac.update(message);
        message.limit(limit).position(position);
        hmac.doFinal(out, 0);
    }

    /** Compares without an early exit, so the time taken says nothing about where a forged MAC goes wrong. */
    static boolean constantTimeEquals(byte[] expected, ByteBuffer actual, int actualOffset, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= expected[i] ^ actual.get(actualOffset + i);
        }
        return diff == 0;
    }
}
