package dev.switchboard.relay.stun;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A decoded STUN message (RFC 8489), reused from packet to packet: {@link #decode} copies the bytes into an
 * array this object owns and indexes the attributes (type, value offset, value length) in int arrays, so the
 * packet path allocates nothing once the arrays have grown to the traffic's size. Getters read values in place.
 *
 * <p>Decoding and every getter throw only {@link StunException}, whatever the bytes. Not thread-safe: keep one
 * per thread (or per event loop).
 *
 * <p>Offsets handed out are from the first byte of the message, so they also locate the value in the packet the
 * message was decoded from.
 */
public final class StunMessage {

    /** RFC 8489 §14.3, §14.8–§14.10, §14.14: what a receiver must accept, in bytes and characters. */
    static final int MAX_TEXT_BYTES = 763;
    static final int MAX_TEXT_CHARS = 127;
    /** RFC 8489 §14.16. */
    static final int MAX_DOMAIN_BYTES = 255;

    private static final int INITIAL_CAPACITY = 1536;
    private static final int INITIAL_ATTRIBUTES = 16;

    // Shared failures: thrown for hostile input at line rate, so no stack traces and no allocation.
    private static final StunException NOT_STUN =
            StunException.shared("not a STUN message (size, leading bits, magic cookie or length)",
                    StunException.NOT_STUN);
    private static final StunException LENGTH_MISMATCH =
            StunException.shared("STUN length field does not match the message size", StunException.NOT_STUN);
    private static final StunException ATTRIBUTE_OVERRUN =
            StunException.shared("attribute runs past the end of the message", ErrorCode.BAD_REQUEST);
    private static final StunException AFTER_FINGERPRINT =
            StunException.shared("attribute after FINGERPRINT", ErrorCode.BAD_REQUEST);
    private static final StunException BAD_INTEGRITY =
            StunException.shared("MESSAGE-INTEGRITY must be 20 bytes", ErrorCode.BAD_REQUEST);
    private static final StunException BAD_INTEGRITY_SHA256 =
            StunException.shared("MESSAGE-INTEGRITY-SHA256 must be 16 to 32 bytes, a multiple of 4",
                    ErrorCode.BAD_REQUEST);
    private static final StunException BAD_FINGERPRINT =
            StunException.shared("FINGERPRINT must be 4 bytes", ErrorCode.BAD_REQUEST);
    private static final StunException BAD_ADDRESS =
            StunException.shared("address attribute with a bad family or length", ErrorCode.BAD_REQUEST);
    private static final StunException BAD_LENGTH =
            StunException.shared("attribute has the wrong length for its type", ErrorCode.BAD_REQUEST);
    private static final StunException BAD_TEXT =
            StunException.shared("text attribute is not UTF-8 or too long", ErrorCode.BAD_REQUEST);
    private static final StunException BAD_ERROR_CODE =
            StunException.shared("error code class or number out of range", ErrorCode.BAD_REQUEST);
    private static final StunException MISSING =
            StunException.shared("attribute missing", ErrorCode.BAD_REQUEST);

    private byte[] buf = new byte[INITIAL_CAPACITY];
    private ByteBuffer view = ByteBuffer.wrap(buf); // over buf, for the integrity code
    private int size;
    private boolean hasHeader;
    private int type;

    private int count;
    private int[] types = new int[INITIAL_ATTRIBUTES];
    private int[] offsets = new int[INITIAL_ATTRIBUTES];
    private int[] lengths = new int[INITIAL_ATTRIBUTES];
    private int integrityIndex = -1;
    private int integritySha256Index = -1;
    private int fingerprintIndex = -1;

    private final StunIntegrity integrity = new StunIntegrity();
    private final byte[] mac = new byte[StunIntegrity.SHA256_MAX_LENGTH];

    // ---------------------------------------------------------------- framing checks for the transport

    /** See {@link StunHeader#isStun(ByteBuffer)}: the demultiplexer's allocation-free check of a datagram. */
    public static boolean isStun(ByteBuffer packet) {
        return StunHeader.isStun(packet);
    }

    /** See {@link StunHeader#frameLength(ByteBuffer)}: total message length for stream framing, or -1. */
    public static int frameLength(ByteBuffer stream) {
        return StunHeader.frameLength(stream);
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes the bytes between the packet's position and limit, which must be exactly one message (a datagram,
     * or one frame of a stream). Moves nothing in {@code packet} and keeps no reference to it.
     *
     * @throws StunException with {@link StunException#NOT_STUN} when the header is not STUN (then nothing is
     *                       decoded and {@link #hasHeader()} is false), or {@link ErrorCode#BAD_REQUEST} when the
     *                       header is fine but the attributes are not: then the header accessors (class, method,
     *                       transaction id) stay usable so the caller can answer 400, and no attribute is indexed
     */
    public void decode(ByteBuffer packet) throws StunException {
        reset();
        int total = StunHeader.frameLength(packet);
        if (total < 0) {
            throw NOT_STUN;
        }
        if (total != packet.remaining()) {
            throw LENGTH_MISMATCH;
        }
        ensureCapacity(total);
        packet.get(packet.position(), buf, 0, total);
        size = total;
        type = u16(0);
        hasHeader = true;
        try {
            indexAttributes();
        } catch (StunException e) {
            forgetAttributes();
            throw e;
        }
    }

    /** Decodes {@code b[offset, offset+length)}; a convenience that wraps the array (off the packet path). */
    public void decode(byte[] b, int offset, int length) throws StunException {
        decode(ByteBuffer.wrap(b, offset, length));
    }

    /** Forgets the last message. */
    public void reset() {
        size = 0;
        hasHeader = false;
        type = 0;
        forgetAttributes();
    }

    private void forgetAttributes() {
        count = 0;
        integrityIndex = -1;
        integritySha256Index = -1;
        fingerprintIndex = -1;
    }

    private void indexAttributes() throws StunException {
        int offset = StunHeader.LENGTH;
        while (offset < size) {
            // Both offset and size are multiples of 4, so the 4-byte attribute header is always there.
            if (fingerprintIndex >= 0) {
                throw AFTER_FINGERPRINT; // §14.7: FINGERPRINT must be last
            }
            int attributeType = u16(offset);
            int length = u16(offset + 2);
            int value = offset + 4;
            int next = value + ((length + 3) & ~3);
            if (next > size) {
                throw ATTRIBUTE_OVERRUN;
            }
            boolean counted = true;
            if (attributeType == StunAttribute.FINGERPRINT) {
                if (length != 4) {
                    throw BAD_FINGERPRINT;
                }
                fingerprintIndex = count;
            } else if (integritySha256Index >= 0) {
                counted = false; // §14.6: only FINGERPRINT counts after MESSAGE-INTEGRITY-SHA256
            } else if (attributeType == StunAttribute.MESSAGE_INTEGRITY_SHA256) {
                if (length < StunIntegrity.SHA256_MIN_LENGTH || length > StunIntegrity.SHA256_MAX_LENGTH
                        || (length & 3) != 0) {
                    throw BAD_INTEGRITY_SHA256;
                }
                integritySha256Index = count;
            } else if (integrityIndex >= 0) {
                counted = false; // §14.5: only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count after it
            } else if (attributeType == StunAttribute.MESSAGE_INTEGRITY) {
                if (length != StunIntegrity.SHA1_LENGTH) {
                    throw BAD_INTEGRITY;
                }
                integrityIndex = count;
            }
            if (counted) {
                add(attributeType, value, length);
            }
            offset = next;
        }
    }

    private void add(int attributeType, int value, int length) {
        if (count == types.length) {
            // Rare: only messages with more attributes than seen so far; the arrays then stay this size.
            int grown = count * 2;
            types = Arrays.copyOf(types, grown);
            offsets = Arrays.copyOf(offsets, grown);
            lengths = Arrays.copyOf(lengths, grown);
        }
        types[count] = attributeType;
        offsets[count] = value;
        lengths[count] = length;
        count++;
    }

    private void ensureCapacity(int needed) {
        if (buf.length < needed) {
            buf = new byte[Math.max(needed, Math.min(buf.length * 2, StunHeader.MAX_MESSAGE_LENGTH))];
            view = ByteBuffer.wrap(buf);
        }
    }

    // ---------------------------------------------------------------- header

    /** True after a decode that got past the header (even if the attributes then failed). */
    public boolean hasHeader() {
        return hasHeader;
    }

    /** The 14-bit message type. */
    public int type() {
        return type;
    }

    public int method() {
        return StunHeader.method(type);
    }

    public StunClass messageClass() {
        return StunHeader.messageClass(type);
    }

    public boolean isRequest() {
        return hasHeader && messageClass() == StunClass.REQUEST;
    }

    public boolean isIndication() {
        return hasHeader && messageClass() == StunClass.INDICATION;
    }

    public boolean isResponse() {
        return hasHeader && messageClass().isResponse();
    }

    /** The whole message's size in bytes, header included (0 when nothing is decoded). */
    public int size() {
        return size;
    }

    /** The header's length field: the size of the attributes. */
    public int bodyLength() {
        return size == 0 ? 0 : size - StunHeader.LENGTH;
    }

    /** Copies the 12-byte transaction id to {@code dst[offset..]}. */
    public void copyTransactionId(byte[] dst, int offset) {
        System.arraycopy(buf, 8, dst, offset, StunHeader.TRANSACTION_ID_LENGTH);
    }

    /** The transaction id in a new array. */
    public byte[] transactionId() {
        return Arrays.copyOfRange(buf, 8, 8 + StunHeader.TRANSACTION_ID_LENGTH);
    }

    /** Transaction id byte {@code i} (0..11). */
    public byte transactionIdByte(int i) {
        if (i < 0 || i >= StunHeader.TRANSACTION_ID_LENGTH) {
            throw new IndexOutOfBoundsException(i);
        }
        return buf[8 + i];
    }

    /** True when {@code id[offset, offset+12)} is this message's transaction id. */
    public boolean hasTransactionId(byte[] id, int offset) {
        return Arrays.equals(buf, 8, 20, id, offset, offset + StunHeader.TRANSACTION_ID_LENGTH);
    }

    // ---------------------------------------------------------------- raw attributes

    /**
     * The attributes that count, in order of appearance. Per RFC 8489 §14.5–§14.6 the ones after
     * MESSAGE-INTEGRITY (other than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT) and after MESSAGE-INTEGRITY-SHA256
     * (other than FINGERPRINT) are ignored and not listed.
     */
    public int attributeCount() {
        return count;
    }

    public int attributeType(int index) {
        return types[checkIndex(index)];
    }

    /** Where the value of attribute {@code index} starts, counted from the first byte of the message. */
    public int attributeOffset(int index) {
        return offsets[checkIndex(index)];
    }

    /** The value length of attribute {@code index}, without padding. */
    public int attributeLength(int index) {
        return lengths[checkIndex(index)];
    }

    /** The index of the first attribute of this type (§14: only the first occurrence counts), or -1. */
    public int indexOf(int attributeType) {
        for (int i = 0; i < count; i++) {
            if (types[i] == attributeType) {
                return i;
            }
        }
        return -1;
    }

    public boolean contains(int attributeType) {
        return indexOf(attributeType) >= 0;
    }

    /** Byte {@code i} of the message. */
    public byte byteAt(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return buf[i];
    }

    /** Copies the value of attribute {@code index} to {@code dst[offset..]}; returns its length. */
    public int copyValue(int index, byte[] dst, int offset) {
        int length = lengths[checkIndex(index)];
        System.arraycopy(buf, offsets[index], dst, offset, length);
        return length;
    }

    /** The value of the first attribute of this type in a new array, or {@code null}. */
    public byte[] value(int attributeType) {
        int i = indexOf(attributeType);
        return i < 0 ? null : Arrays.copyOfRange(buf, offsets[i], offsets[i] + lengths[i]);
    }

    /** Copies the whole message (header included) to {@code dst} at its position, which advances. */
    public void copyTo(ByteBuffer dst) {
        dst.put(buf, 0, size);
    }

    /**
     * The comprehension-required attributes (type below 0x8000) not in {@code understood}, each listed once, in
     * order of appearance: what a 420 response's UNKNOWN-ATTRIBUTES names (RFC 8489 §6.3.1).
     *
     * @return how many were written to {@code out}; at most {@code out.length}
     */
    public int unknownComprehensionRequired(AttributeSet understood, int[] out) {
        int n = 0;
        for (int i = 0; i < count && n < out.length; i++) {
            int t = types[i];
            if (StunAttribute.isComprehensionRequired(t) && !understood.contains(t) && !listed(out, n, t)) {
                out[n++] = t;
            }
        }
        return n;
    }

    private static boolean listed(int[] list, int n, int t) {
        for (int i = 0; i < n; i++) {
            if (list[i] == t) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- typed attributes

    /**
     * Decodes a MAPPED-ADDRESS-style attribute (MAPPED-ADDRESS, ALTERNATE-SERVER, or another protocol's of the
     * same layout) into {@code out} without allocating.
     *
     * @return false when the message has no such attribute
     */
    public boolean getAddress(int attributeType, StunAddress out) throws StunException {
        int i = indexOf(attributeType);
        if (i < 0) {
            return false;
        }
        readAddress(i, out, false);
        return true;
    }

    /**
     * Decodes an XOR-MAPPED-ADDRESS-style attribute (XOR-MAPPED-ADDRESS or another protocol's of the same
     * layout) into {@code out}, undoing the XOR with the magic cookie (and, for IPv6, the transaction id; §14.2).
     *
     * @return false when the message has no such attribute
     */
    public boolean getXorAddress(int attributeType, StunAddress out) throws StunException {
        int i = indexOf(attributeType);
        if (i < 0) {
            return false;
        }
        readAddress(i, out, true);
        return true;
    }

    /**
     * Decodes attribute {@code index} (see {@link #attributeType}) as an XOR-MAPPED-ADDRESS-style value: for
     * attributes that may repeat, such as the peer address list of a TURN CreatePermission, of which
     * {@link #getXorAddress} reads only the first.
     */
    public void getXorAddressAt(int index, StunAddress out) throws StunException {
        readAddress(checkIndex(index), out, true);
    }

    /** {@link #getAddress} as an allocated {@link InetSocketAddress}, or {@code null}; off the packet path. */
    public InetSocketAddress address(int attributeType) throws StunException {
        StunAddress a = new StunAddress();
        return getAddress(attributeType, a) ? a.toInetSocketAddress() : null;
    }

    /** {@link #getXorAddress} as an allocated {@link InetSocketAddress}, or {@code null}; off the packet path. */
    public InetSocketAddress xorAddress(int attributeType) throws StunException {
        StunAddress a = new StunAddress();
        return getXorAddress(attributeType, a) ? a.toInetSocketAddress() : null;
    }

    /** XOR-MAPPED-ADDRESS, allocated, or {@code null}. */
    public InetSocketAddress xorMappedAddress() throws StunException {
        return xorAddress(StunAttribute.XOR_MAPPED_ADDRESS);
    }

    private void readAddress(int i, StunAddress out, boolean xor) throws StunException {
        int value = offsets[i];
        int family = checkAddress(i);
        int port = u16(value + 2);
        int length = family == StunAddress.FAMILY_IPV4 ? 4 : 16;
        byte[] a = out.rawAddress();
        if (xor) {
            port ^= StunHeader.MAGIC_COOKIE >>> 16;
            // Header bytes 4..19 are the magic cookie followed by the transaction id: exactly the XOR mask.
            for (int k = 0; k < length; k++) {
                a[k] = (byte) (buf[value + 4 + k] ^ buf[4 + k]);
            }
        } else {
            System.arraycopy(buf, value + 4, a, 0, length);
        }
        out.setDecoded(family, port);
    }

    /** Validates an address value's layout; returns its family. */
    private int checkAddress(int i) throws StunException {
        int length = lengths[i];
        if (length < 4) {
            throw BAD_ADDRESS;
        }
        int family = buf[offsets[i] + 1] & 0xFF;
        if (family == StunAddress.FAMILY_IPV4 ? length != 8 : family != StunAddress.FAMILY_IPV6 || length != 20) {
            throw BAD_ADDRESS;
        }
        return family;
    }

    /**
     * A text attribute (USERNAME, REALM, NONCE, SOFTWARE, ALTERNATE-DOMAIN) as a String, or {@code null} when
     * absent. Checks what a receiver must accept (§14.3, §14.9, §14.10, §14.14, §14.16): well-formed UTF-8 of at
     * most 763 bytes, and fewer than 128 characters for REALM, NONCE and SOFTWARE; ALTERNATE-DOMAIN is ASCII of
     * at most 255 bytes. Allocates the String.
     */
    public String getString(int attributeType) throws StunException {
        int i = indexOf(attributeType);
        if (i < 0) {
            return null;
        }
        checkText(i, attributeType);
        return new String(buf, offsets[i], lengths[i], StandardCharsets.UTF_8);
    }

    public String getUsername() throws StunException {
        return getString(StunAttribute.USERNAME);
    }

    public String getRealm() throws StunException {
        return getString(StunAttribute.REALM);
    }

    public String getNonce() throws StunException {
        return getString(StunAttribute.NONCE);
    }

    public String getSoftware() throws StunException {
        return getString(StunAttribute.SOFTWARE);
    }

    private void checkText(int i, int attributeType) throws StunException {
        int offset = offsets[i];
        int length = lengths[i];
        switch (attributeType) {
            case StunAttribute.USERNAME -> checkUtf8(offset, length, MAX_TEXT_BYTES, Integer.MAX_VALUE);
            case StunAttribute.REALM, StunAttribute.NONCE, StunAttribute.SOFTWARE ->
                    checkUtf8(offset, length, MAX_TEXT_BYTES, MAX_TEXT_CHARS);
            case StunAttribute.ALTERNATE_DOMAIN -> {
                if (length > MAX_DOMAIN_BYTES) {
                    throw BAD_TEXT;
                }
                for (int k = 0; k < length; k++) {
                    if (buf[offset + k] < 0x21) { // non-ASCII (negative as a byte), controls and space
                        throw BAD_TEXT;
                    }
                }
            }
            default -> throw new IllegalArgumentException(StunAttribute.name(attributeType) + " is not text");
        }
    }

    private void checkUtf8(int offset, int length, int maxBytes, int maxChars) throws StunException {
        if (length > maxBytes) {
            throw BAD_TEXT;
        }
        int chars = Utf8.codePoints(buf, offset, length);
        if (chars < 0 || chars > maxChars) {
            throw BAD_TEXT;
        }
    }

    /** The ERROR-CODE as a number 300..699 (§14.8), or -1 when absent. */
    public int getErrorCode() throws StunException {
        int i = indexOf(StunAttribute.ERROR_CODE);
        return i < 0 ? -1 : checkErrorCode(i);
    }

    /** The ERROR-CODE reason phrase, or {@code null} when absent. Allocates the String. */
    public String getErrorReason() throws StunException {
        int i = indexOf(StunAttribute.ERROR_CODE);
        if (i < 0) {
            return null;
        }
        checkErrorCode(i);
        return new String(buf, offsets[i] + 4, lengths[i] - 4, StandardCharsets.UTF_8);
    }

    /** Checks an ERROR-CODE-shaped value (class and number in bytes 2 and 3, then the reason); returns the code. */
    private int checkErrorCode(int i) throws StunException {
        int offset = offsets[i];
        int length = lengths[i];
        if (length < 4) {
            throw BAD_LENGTH;
        }
        int errorClass = buf[offset + 2] & 0x07;
        int number = buf[offset + 3] & 0xFF;
        if (errorClass < 3 || errorClass > 6 || number > 99) {
            throw BAD_ERROR_CODE;
        }
        checkUtf8(offset + 4, length - 4, MAX_TEXT_BYTES, MAX_TEXT_CHARS);
        return errorClass * 100 + number;
    }

    /**
     * The types listed in UNKNOWN-ATTRIBUTES (§14.13).
     *
     * @return how many types the attribute lists (the first {@code out.length} of them are copied), or -1 when
     *         absent
     */
    public int getUnknownAttributes(int[] out) throws StunException {
        int i = indexOf(StunAttribute.UNKNOWN_ATTRIBUTES);
        if (i < 0) {
            return -1;
        }
        int length = lengths[i];
        if ((length & 1) != 0) {
            throw BAD_LENGTH;
        }
        int n = length / 2;
        for (int k = 0; k < n && k < out.length; k++) {
            out[k] = u16(offsets[i] + 2 * k);
        }
        return n;
    }

    /**
     * The value of the first attribute of this type read as a 32-bit unsigned number, or -1 when absent: the
     * reader beneath the 4-byte attributes of other protocols ({@link NumberAttribute}).
     *
     * @throws StunException when the value is not 4 bytes long
     */
    public long getUnsigned32(int attributeType) throws StunException {
        int i = indexOf(attributeType);
        if (i < 0) {
            return -1;
        }
        if (lengths[i] != 4) {
            throw BAD_LENGTH;
        }
        return u32(offsets[i]) & 0xFFFFFFFFL;
    }

    /**
     * The value of the first attribute of this type read as a 64-bit number; check {@link #contains} first, as
     * every long is a valid value.
     *
     * @throws StunException when absent or not 8 bytes long
     */
    public long getUnsigned64(int attributeType) throws StunException {
        int i = indexOf(attributeType);
        if (i < 0) {
            throw MISSING;
        }
        if (lengths[i] != 8) {
            throw BAD_LENGTH;
        }
        return (long) u32(offsets[i]) << 32 | (u32(offsets[i] + 4) & 0xFFFFFFFFL);
    }

    /** The algorithm number of PASSWORD-ALGORITHM (§14.12), or -1 when absent. */
    public int getPasswordAlgorithm() throws StunException {
        int i = indexOf(StunAttribute.PASSWORD_ALGORITHM);
        if (i < 0) {
            return -1;
        }
        checkAlgorithms(i, true);
        return u16(offsets[i]);
    }

    /** Copies the 32-byte USERHASH (§14.4) to {@code out[offset..]}; false when absent. */
    public boolean getUserHash(byte[] out, int offset) throws StunException {
        int i = fixed(StunAttribute.USERHASH, 32);
        if (i < 0) {
            return false;
        }
        System.arraycopy(buf, offsets[i], out, offset, 32);
        return true;
    }

    private int fixed(int attributeType, int length) throws StunException {
        int i = indexOf(attributeType);
        if (i >= 0 && lengths[i] != length) {
            throw BAD_LENGTH;
        }
        return i;
    }

    /** PASSWORD-ALGORITHM (one entry) or PASSWORD-ALGORITHMS (a list): algorithm, length, padded params. */
    void checkAlgorithms(int i, boolean single) throws StunException {
        int at = offsets[i];
        int end = at + lengths[i];
        int entries = 0;
        while (at < end) {
            if (end - at < 4) {
                throw BAD_LENGTH;
            }
            int params = u16(at + 2);
            // The last entry may end exactly at the value's end, its padding being the attribute's.
            int next = at + 4 + ((params + 3) & ~3);
            if (at + 4 + params > end) {
                throw BAD_LENGTH;
            }
            at = Math.min(next, end);
            entries++;
        }
        if (single ? entries != 1 : entries == 0) {
            throw BAD_LENGTH;
        }
    }

    /**
     * Checks the layout of every attribute whose type {@code known} registers (address families and lengths, text
     * encodings and limits, error codes, fixed sizes), throwing {@link ErrorCode#BAD_REQUEST} for the first bad
     * one; see {@link StunRegistry#validate}. Unknown types pass: whether they matter is the caller's business
     * ({@link #unknownComprehensionRequired}).
     */
    public void validateKnownAttributes(StunRegistry known) throws StunException {
        known.validate(this);
    }

    // ---------------------------------------------------------------- checks for attribute types (AttributeType)

    /** Throws {@link ErrorCode#BAD_REQUEST} unless attribute {@code index}'s value is {@code length} bytes. */
    public void checkLength(int index, int length) throws StunException {
        if (lengths[checkIndex(index)] != length) {
            throw BAD_LENGTH;
        }
    }

    /** Throws {@link ErrorCode#BAD_REQUEST} unless attribute {@code index} is a well-formed (XOR-)MAPPED-ADDRESS. */
    public void checkAddressAt(int index) throws StunException {
        checkAddress(checkIndex(index));
    }

    /**
     * Checks attribute {@code index} as an ERROR-CODE-shaped value (§14.8: 16 bits the attribute's own, class,
     * number, a reason phrase of fewer than 128 characters) and returns its code, 300..699.
     */
    public int checkErrorCodeAt(int index) throws StunException {
        return checkErrorCode(checkIndex(index));
    }

    void checkTextAt(int index) throws StunException {
        checkText(index, types[index]);
    }

    void checkLengthEven(int index) throws StunException {
        if ((lengths[index] & 1) != 0) {
            throw BAD_LENGTH;
        }
    }

    // ---------------------------------------------------------------- integrity

    public boolean hasMessageIntegrity() {
        return integrityIndex >= 0;
    }

    public boolean hasMessageIntegritySha256() {
        return integritySha256Index >= 0;
    }

    public boolean hasFingerprint() {
        return fingerprintIndex >= 0;
    }

    /**
     * True when MESSAGE-INTEGRITY is present and is the HMAC-SHA1 under {@code key} of the message up to it, with
     * the length field adjusted to end at it (§14.5). Compares in constant time.
     *
     * @param key see {@link StunKeys}
     */
    public boolean checkMessageIntegrity(byte[] key) {
        if (integrityIndex < 0) {
            return false;
        }
        int value = offsets[integrityIndex];
        int end = value + StunIntegrity.SHA1_LENGTH;
        integrity.hmacSha1(key, view, 0, value - 4, end - StunHeader.LENGTH, mac);
        return StunIntegrity.constantTimeEquals(mac, view, value, StunIntegrity.SHA1_LENGTH);
    }

    /**
     * True when MESSAGE-INTEGRITY-SHA256 is present and equals the leading bytes (16 to 32, as many as the
     * attribute carries; §14.6) of the HMAC-SHA256 under {@code key}. Compares in constant time.
     */
    public boolean checkMessageIntegritySha256(byte[] key) {
        if (integritySha256Index < 0) {
            return false;
        }
        int value = offsets[integritySha256Index];
        int length = lengths[integritySha256Index];
        integrity.hmacSha256(key, view, 0, value - 4, value + length - StunHeader.LENGTH, mac);
        return StunIntegrity.constantTimeEquals(mac, view, value, length);
    }

    /** True when FINGERPRINT is present (it is last, §14.7) and matches CRC-32 of the message before it. */
    public boolean checkFingerprint() {
        if (fingerprintIndex < 0) {
            return false;
        }
        int value = offsets[fingerprintIndex];
        return u32(value) == integrity.fingerprint(view, 0, value - 4);
    }

    // ---------------------------------------------------------------- helpers

    private int checkIndex(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(index);
        }
        return index;
    }

    private int u16(int at) {
        return (buf[at] & 0xFF) << 8 | (buf[at + 1] & 0xFF);
    }

    private int u32(int at) {
        return u16(at) << 16 | u16(at + 2);
    }

    /** For logs, with RFC 8489's names (see {@link StunRegistry#describe} for a protocol's); allocates. */
    @Override
    public String toString() {
        return StunRegistry.RFC_8489.describe(this);
    }
}
