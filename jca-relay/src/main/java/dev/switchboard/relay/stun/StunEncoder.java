package dev.switchboard.relay.stun;

import java.net.InetSocketAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes a STUN message (RFC 8489) into a caller-supplied buffer: {@link #begin} writes the header at the buffer's
 * position, each {@code add...} appends an attribute (padding zeroed, header length kept current, which
 * MESSAGE-INTEGRITY and FINGERPRINT rely on), {@link #finish} flips the buffer around the message. Writes are
 * absolute and byte by byte, so the buffer's byte order does not matter, and nothing is allocated except by the
 * methods that say so. Reusable, not thread-safe: one per thread.
 *
 * <p>Misuse (values the RFC forbids, no room left in the buffer, attributes after FINGERPRINT) is a programming
 * error and throws unchecked exceptions: {@link IllegalArgumentException}, {@link BufferOverflowException},
 * {@link IllegalStateException}.
 */
public final class StunEncoder {

    /** §14.3: USERNAME must be fewer than 509 bytes when sent. */
    static final int MAX_USERNAME_BYTES = 508;
    /** §14.8–§14.10, §14.14: fewer than 128 characters. */
    static final int MAX_TEXT_CHARS = 127;

    private final StunIntegrity integrity = new StunIntegrity();
    private final byte[] mac = new byte[StunIntegrity.SHA256_MAX_LENGTH];
    private final byte[] transactionId = new byte[StunHeader.TRANSACTION_ID_LENGTH];
    private final StunAddress address = new StunAddress();

    private ByteBuffer out;
    private int start;
    private int end;
    private boolean fingerprinted;

    /**
     * Starts a message at {@code out}'s position.
     *
     * @param transactionId 12 bytes at {@code offset}
     */
    public StunEncoder begin(ByteBuffer out, int method, StunClass messageClass, byte[] transactionId, int offset) {
        int type = StunHeader.type(method, messageClass);
        if (offset < 0 || transactionId.length - offset < StunHeader.TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("a transaction id is 12 bytes");
        }
        int at = out.position();
        if (out.limit() - at < StunHeader.LENGTH) {
            throw new BufferOverflowException();
        }
        this.out = out;
        this.start = at;
        this.end = at + StunHeader.LENGTH;
        this.fingerprinted = false;
        put16(at, type);
        put16(at + 2, 0);
        put32(at + 4, StunHeader.MAGIC_COOKIE);
        out.put(at + 8, transactionId, offset, StunHeader.TRANSACTION_ID_LENGTH);
        return this;
    }

    public StunEncoder begin(ByteBuffer out, int method, StunClass messageClass, byte[] transactionId) {
        if (transactionId.length != StunHeader.TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("a transaction id is 12 bytes");
        }
        return begin(out, method, messageClass, transactionId, 0);
    }

    /** Starts a response ({@code messageClass} success or error) to {@code request}: same method and id. */
    public StunEncoder beginResponse(ByteBuffer out, StunMessage request, StunClass messageClass) {
        if (!request.hasHeader()) {
            throw new IllegalStateException("no decoded request to answer");
        }
        request.copyTransactionId(transactionId, 0);
        return begin(out, request.method(), messageClass, transactionId, 0);
    }

    /** Bytes written so far (header included). */
    public int length() {
        checkOpen();
        return end - start;
    }

    /**
     * Ends the message: the buffer's position is set to the message's first byte and its limit after the last,
     * ready to send. The encoder can then {@link #begin} again.
     */
    public ByteBuffer finish() {
        checkOpen();
        ByteBuffer b = out;
        out = null;
        b.limit(end).position(start);
        return b;
    }

    // ---------------------------------------------------------------- raw

    /** Appends an attribute with the given value. */
    public StunEncoder add(int type, byte[] value, int offset, int length) {
        int at = attribute(type, length);
        out.put(at, value, offset, length);
        return this;
    }

    public StunEncoder add(int type, byte[] value) {
        return add(type, value, 0, value.length);
    }

    /**
     * Appends an attribute whose value is the bytes between {@code value}'s position and limit (e.g. a relayed
     * packet straight from a receive buffer), without moving them and without allocating.
     */
    public StunEncoder add(int type, ByteBuffer value) {
        int length = value.remaining();
        int at = attribute(type, length);
        out.put(at, value, value.position(), length);
        return this;
    }

    /** Appends an attribute with an empty value (a flag). */
    public StunEncoder addEmpty(int type) {
        attribute(type, 0);
        return this;
    }

    /** A 32-bit unsigned value; {@link NumberAttribute}s are written with it. */
    public StunEncoder addUnsigned32(int type, long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("not an unsigned 32-bit value: " + value);
        }
        put32(attribute(type, 4), (int) value);
        return this;
    }

    /** A 64-bit value. */
    public StunEncoder addUnsigned64(int type, long value) {
        int at = attribute(type, 8);
        put32(at, (int) (value >>> 32));
        put32(at + 4, (int) value);
        return this;
    }

    // ---------------------------------------------------------------- typed

    /** An XOR-MAPPED-ADDRESS-style attribute (§14.2; other protocols' XOR'ed addresses too). */
    public StunEncoder addXorAddress(int type, StunAddress a) {
        writeAddress(type, a, true);
        return this;
    }

    /** As {@link #addXorAddress(int, StunAddress)}; IPv4-mapped IPv6 addresses are sent as IPv4. */
    public StunEncoder addXorAddress(int type, InetSocketAddress a) {
        return addXorAddress(type, address.set(a));
    }

    /** A MAPPED-ADDRESS-style attribute (MAPPED-ADDRESS, ALTERNATE-SERVER, other protocols' plain addresses). */
    public StunEncoder addAddress(int type, StunAddress a) {
        writeAddress(type, a, false);
        return this;
    }

    public StunEncoder addAddress(int type, InetSocketAddress a) {
        return addAddress(type, address.set(a));
    }

    private void writeAddress(int type, StunAddress a, boolean xor) {
        int family = a.family();
        int length = StunAddress.lengthOf(family);
        int at = attribute(type, 4 + length);
        out.put(at, (byte) 0);
        out.put(at + 1, (byte) family);
        int port = a.port();
        byte[] raw = a.rawAddress();
        if (xor) {
            put16(at + 2, port ^ (StunHeader.MAGIC_COOKIE >>> 16));
            // The header already holds the mask: magic cookie then transaction id (bytes 4..19).
            for (int k = 0; k < length; k++) {
                out.put(at + 4 + k, (byte) (raw[k] ^ out.get(start + 4 + k)));
            }
        } else {
            put16(at + 2, port);
            out.put(at + 4, raw, 0, length);
        }
    }

    /**
     * A text attribute (USERNAME, REALM, NONCE, SOFTWARE, ALTERNATE-DOMAIN) already in UTF-8, checked against
     * the sending limits of §14.3, §14.9, §14.10, §14.14, §14.16 without allocating.
     */
    public StunEncoder addText(int type, byte[] utf8) {
        checkText(type, utf8);
        return add(type, utf8);
    }

    /** {@link #addText(int, byte[])} from a String; allocates its UTF-8 form. */
    public StunEncoder addText(int type, String text) {
        return addText(type, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks {@code utf8} against the RFC's limits for sending a text attribute of this type.
     *
     * @throws IllegalArgumentException when it breaks them
     */
    public static void checkText(int type, byte[] utf8) {
        int chars = Utf8.codePoints(utf8, 0, utf8.length);
        if (chars < 0) {
            throw new IllegalArgumentException(StunAttribute.name(type) + " is not well-formed UTF-8");
        }
        switch (type) {
            case StunAttribute.USERNAME -> {
                if (utf8.length > MAX_USERNAME_BYTES) {
                    throw new IllegalArgumentException("USERNAME must be fewer than 509 bytes");
                }
            }
            case StunAttribute.REALM, StunAttribute.NONCE, StunAttribute.SOFTWARE -> {
                if (chars > MAX_TEXT_CHARS) {
                    throw new IllegalArgumentException(StunAttribute.name(type)
                            + " must be fewer than 128 characters");
                }
            }
            case StunAttribute.ALTERNATE_DOMAIN -> {
                if (utf8.length > StunMessage.MAX_DOMAIN_BYTES || chars != utf8.length) {
                    throw new IllegalArgumentException("ALTERNATE-DOMAIN must be at most 255 ASCII characters");
                }
            }
            default -> throw new IllegalArgumentException(StunAttribute.name(type) + " is not a text attribute");
        }
    }

    /** ERROR-CODE with the recommended reason phrase of {@link ErrorCode} (empty for a code without one). */
    public StunEncoder addErrorCode(int code) {
        return addErrorCode(code, ErrorCode.reasonUtf8(code));
    }

    /** ERROR-CODE with a reason phrase of fewer than 128 characters; allocates its UTF-8 form. */
    public StunEncoder addErrorCode(int code, String reason) {
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        if (reason.codePointCount(0, reason.length()) > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("reason phrase must be fewer than 128 characters");
        }
        return addErrorCode(code, utf8);
    }

    /**
     * ERROR-CODE with a reason phrase already in UTF-8 (fewer than 128 characters, not checked here): for codes
     * other protocols define, whose phrases they keep, without allocating.
     */
    public StunEncoder addErrorCode(int code, byte[] reasonUtf8) {
        return addCodeAndReason(StunAttribute.ERROR_CODE, 0, code, reasonUtf8);
    }

    /**
     * An attribute laid out as ERROR-CODE (§14.8) under another type, its first 16 bits {@code leading} (which
     * ERROR-CODE reserves and which another protocol's attribute may use, e.g. for an address family).
     */
    public StunEncoder addCodeAndReason(int type, int leading, int code, byte[] reasonUtf8) {
        if (!ErrorCode.isValid(code)) {
            throw new IllegalArgumentException("error code must be 300..699: " + code);
        }
        checkU16(leading);
        int at = attribute(type, 4 + reasonUtf8.length);
        put16(at, leading);
        out.put(at + 2, (byte) (code / 100));
        out.put(at + 3, (byte) (code % 100));
        out.put(at + 4, reasonUtf8, 0, reasonUtf8.length);
        return this;
    }

    /** UNKNOWN-ATTRIBUTES listing {@code types[0, count)} (§14.13). */
    public StunEncoder addUnknownAttributes(int[] types, int count) {
        int at = attribute(StunAttribute.UNKNOWN_ATTRIBUTES, 2 * count);
        for (int i = 0; i < count; i++) {
            put16(at + 2 * i, types[i]);
        }
        return this;
    }

    /**
     * Another protocol's numeric attribute (a lifetime, a priority...), laid out by {@code attribute}:
     * how they are written in a chain without this class knowing them.
     */
    public StunEncoder add(NumberAttribute attribute, long value) {
        attribute.write(this, value);
        return this;
    }

    /** PASSWORD-ALGORITHM without parameters (§14.12; MD5 and SHA-256 take none). */
    public StunEncoder addPasswordAlgorithm(int algorithm) {
        checkU16(algorithm);
        put32(attribute(StunAttribute.PASSWORD_ALGORITHM, 4), algorithm << 16);
        return this;
    }

    /** USERHASH (§14.4): 32 bytes, see {@link StunKeys#userHash}. */
    public StunEncoder addUserHash(byte[] userHash) {
        if (userHash.length != 32) {
            throw new IllegalArgumentException("USERHASH is 32 bytes");
        }
        return add(StunAttribute.USERHASH, userHash);
    }

    // ---------------------------------------------------------------- integrity

    /** MESSAGE-INTEGRITY (§14.5): HMAC-SHA1 under {@code key} of everything written so far. */
    public StunEncoder addMessageIntegrity(byte[] key) {
        int at = attribute(StunAttribute.MESSAGE_INTEGRITY, StunIntegrity.SHA1_LENGTH);
        // attribute() already set the header length to end after this attribute, as §14.5 requires.
        integrity.hmacSha1(key, out, start, at - 4, end - start - StunHeader.LENGTH, mac);
        out.put(at, mac, 0, StunIntegrity.SHA1_LENGTH);
        return this;
    }

    /** MESSAGE-INTEGRITY-SHA256 (§14.6) with the full 32-byte HMAC. */
    public StunEncoder addMessageIntegritySha256(byte[] key) {
        return addMessageIntegritySha256(key, StunIntegrity.SHA256_MAX_LENGTH);
    }

    /** MESSAGE-INTEGRITY-SHA256 truncated to {@code length} bytes: 16 to 32, a multiple of 4 (§14.6). */
    public StunEncoder addMessageIntegritySha256(byte[] key, int length) {
        if (length < StunIntegrity.SHA256_MIN_LENGTH || length > StunIntegrity.SHA256_MAX_LENGTH
                || (length & 3) != 0) {
            throw new IllegalArgumentException("MESSAGE-INTEGRITY-SHA256 is 16..32 bytes, a multiple of 4");
        }
        int at = attribute(StunAttribute.MESSAGE_INTEGRITY_SHA256, length);
        integrity.hmacSha256(key, out, start, at - 4, end - start - StunHeader.LENGTH, mac);
        out.put(at, mac, 0, length);
        return this;
    }

    /** FINGERPRINT (§14.7); must be the last attribute. */
    public StunEncoder addFingerprint() {
        int at = attribute(StunAttribute.FINGERPRINT, 4);
        put32(at, integrity.fingerprint(out, start, at - 4));
        fingerprinted = true;
        return this;
    }

    // ---------------------------------------------------------------- helpers

    /** Writes an attribute header and zeroed padding; returns where the value goes. */
    private int attribute(int type, int length) {
        checkOpen();
        if (fingerprinted) {
            throw new IllegalStateException("FINGERPRINT must be the last attribute");
        }
        checkU16(type);
        checkU16(length);
        int next = end + 4 + ((length + 3) & ~3);
        if (next - start - StunHeader.LENGTH > StunHeader.MAX_BODY_LENGTH || next > out.limit()) {
            throw new BufferOverflowException();
        }
        put16(end, type);
        put16(end + 2, length);
        for (int p = end + 4 + length; p < next; p++) {
            out.put(p, (byte) 0);
        }
        int value = end + 4;
        end = next;
        put16(start + 2, end - start - StunHeader.LENGTH);
        return value;
    }

    private void checkOpen() {
        if (out == null) {
            throw new IllegalStateException("begin() first");
        }
    }

    private static void checkU16(int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException("not a 16-bit value: " + v);
        }
    }

    private void put16(int at, int v) {
        out.put(at, (byte) (v >>> 8));
        out.put(at + 1, (byte) v);
    }

    private void put32(int at, int v) {
        put16(at, v >>> 16);
        put16(at + 2, v);
    }
}
