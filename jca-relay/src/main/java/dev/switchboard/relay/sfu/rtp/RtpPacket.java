package dev.switchboard.relay.sfu.rtp;

import java.nio.ByteBuffer;

/**
 * A reusable view of one RTP packet (RFC 3550 §5.1) in a buffer: {@link #wrap} checks the framing once, then the
 * getters read and the setters write the header in place. Nothing is copied and nothing allocated, so one view per
 * event loop serves every packet; the SFU rewrites SSRC, sequence number and timestamp per subscriber with it.
 *
 * <p>Buffer convention, as the transport hands packets to a {@code PacketHandler}: the packet is the bytes between
 * the buffer's position and limit. The view reads and writes at absolute indexes and moves neither (except
 * {@link #stripPadding} and {@link Rtx#unwrapInPlace}, which say so); offsets it hands out ({@link #payloadOffset},
 * {@link #extensionOffset}) are indexes into that buffer. The view holds the buffer until the next {@code wrap}: do
 * not use it once the buffer has gone back to its owner.
 *
 * <p>Header extensions (RFC 8285): the one-byte ({@code 0xBEDE}) and two-byte ({@code 0x100x}) forms are checked
 * element by element at {@code wrap} and found by id on demand (a packet carries a handful, so a scan beats an
 * index to clear); another profile is kept as opaque bytes. The typed extensions ({@link AbsSendTime},
 * {@link TransportSequence}, {@link AudioLevel}, {@link SdesId}) read and write through {@link #extensionOffset}.
 * Not thread-safe.
 */
public final class RtpPacket {

    public static final int VERSION = 2;
    public static final int FIXED_HEADER_LENGTH = 12;
    /** RFC 8285 §4.2. */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** RFC 8285 §4.3: {@code 0x100} followed by 4 application bits. */
    public static final int TWO_BYTE_PROFILE = 0x1000;
    /** One-byte ids run 1..14 (15 stops the parse); two-byte ids 1..255. */
    public static final int MAX_ONE_BYTE_ID = 14;
    public static final int MAX_ONE_BYTE_LENGTH = 16;
    public static final int MAX_TWO_BYTE_ID = 255;

    private static final int NO_FORM = 0;
    private static final int ONE_BYTE = 1;
    private static final int TWO_BYTE = 2;

    private ByteBuffer buf;
    private int start;
    private int length;
    private int extensionStart = -1; // index of the profile word, -1 without X
    private int elementsStart;
    private int elementsEnd;
    private int form;
    private int payloadOffset;
    private int paddingLength;

    /**
     * Views the packet between {@code packet}'s position and limit, after checking version, CSRC count, extension
     * and padding lengths against its size (RFC 3550 A.1; RFC 8285 for the extension elements). Moves nothing.
     *
     * @return {@link RtpProblem#NONE}, or why the packet is refused (then the view holds no packet)
     */
    public RtpProblem wrap(ByteBuffer packet) {
        buf = null;
        int at = packet.position();
        int len = packet.limit() - at;
        if (len < FIXED_HEADER_LENGTH) {
            return RtpProblem.TOO_SHORT;
        }
        int first = Wire.u8(packet, at);
        if (first >>> 6 != VERSION) {
            return RtpProblem.BAD_VERSION;
        }
        int header = FIXED_HEADER_LENGTH + 4 * (first & 0x0F);
        if (header > len) {
            return RtpProblem.CSRC_OVERRUN;
        }
        int extStart = -1;
        int elements = 0;
        int elementsEndAt = 0;
        int extForm = NO_FORM;
        if ((first & 0x10) != 0) {
            if (header + 4 > len) {
                return RtpProblem.EXTENSION_HEADER_OVERRUN;
            }
            extStart = at + header;
            int words = Wire.u16(packet, extStart + 2);
            header += 4 + 4 * words;
            if (header > len) {
                return RtpProblem.EXTENSION_OVERRUN;
            }
            int profile = Wire.u16(packet, extStart);
            extForm = profile == ONE_BYTE_PROFILE ? ONE_BYTE
                    : (profile & 0xFFF0) == TWO_BYTE_PROFILE ? TWO_BYTE : NO_FORM;
            elements = extStart + 4;
            elementsEndAt = at + header;
            if (extForm != NO_FORM && !elementsFit(packet, elements, elementsEndAt, extForm)) {
                return RtpProblem.BAD_EXTENSION_ELEMENT;
            }
        }
        int padding = 0;
        if ((first & 0x20) != 0) {
            padding = Wire.u8(packet, at + len - 1);
            if (padding == 0 || padding > len - header) {
                return RtpProblem.BAD_PADDING;
            }
        }
        buf = packet;
        start = at;
        length = len;
        extensionStart = extStart;
        elementsStart = elements;
        elementsEnd = elementsEndAt;
        form = extForm;
        payloadOffset = at + header;
        paddingLength = padding;
        return RtpProblem.NONE;
    }

    private static boolean elementsFit(ByteBuffer b, int p, int end, int form) {
        while (p < end) {
            int id = Wire.u8(b, p);
            if (id == 0) {
                p++; // padding between elements
                continue;
            }
            int data;
            int len;
            if (form == ONE_BYTE) {
                if (id >>> 4 == 15) {
                    return true; // RFC 8285 §4.2: id 15 ends the parse, whatever follows
                }
                data = p + 1;
                len = (id & 0x0F) + 1;
            } else {
                if (p + 2 > end) {
                    return false;
                }
                data = p + 2;
                len = Wire.u8(b, p + 1);
            }
            if (data + len > end) {
                return false;
            }
            p = data + len;
        }
        return true;
    }

    /** True while the view holds a packet (the last {@link #wrap} succeeded). */
    public boolean isWrapped() {
        return buf != null;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    /** Index of the packet's first byte in {@link #buffer()}. */
    public int offset() {
        return start;
    }

    /** Bytes in the packet, header and padding included. */
    public int length() {
        return length;
    }

    // ---------------------------------------------------------------- fixed header

    public boolean hasPadding() {
        return (Wire.u8(buf, start) & 0x20) != 0;
    }

    public boolean hasExtension() {
        return extensionStart >= 0;
    }

    public int csrcCount() {
        return Wire.u8(buf, start) & 0x0F;
    }

    public int csrc(int index) {
        if (index < 0 || index >= csrcCount()) {
            throw new IndexOutOfBoundsException(index);
        }
        return Wire.i32(buf, start + FIXED_HEADER_LENGTH + 4 * index);
    }

    public boolean marker() {
        return (Wire.u8(buf, start + 1) & 0x80) != 0;
    }

    public void setMarker(boolean marker) {
        int b = Wire.u8(buf, start + 1);
        Wire.put8(buf, start + 1, marker ? b | 0x80 : b & 0x7F);
    }

    public int payloadType() {
        return Wire.u8(buf, start + 1) & 0x7F;
    }

    public void setPayloadType(int payloadType) {
        Wire.put8(buf, start + 1, (Wire.u8(buf, start + 1) & 0x80) | (payloadType & 0x7F));
    }

    /** 0..65535. */
    public int sequenceNumber() {
        return Wire.u16(buf, start + 2);
    }

    public void setSequenceNumber(int sequenceNumber) {
        Wire.put16(buf, start + 2, sequenceNumber);
    }

    /** The 32-bit timestamp as an int; see {@link SequenceNumbers} and {@link Unwrapper} for arithmetic. */
    public int timestamp() {
        return Wire.i32(buf, start + 4);
    }

    public void setTimestamp(int timestamp) {
        Wire.put32(buf, start + 4, timestamp);
    }

    public int ssrc() {
        return Wire.i32(buf, start + 8);
    }

    public void setSsrc(int ssrc) {
        Wire.put32(buf, start + 8, ssrc);
    }

    // ---------------------------------------------------------------- payload and padding

    /** Bytes before the payload: fixed header, CSRCs and the header extension. */
    public int headerLength() {
        return payloadOffset - start;
    }

    /** Index of the payload's first byte in {@link #buffer()}. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Payload bytes, padding excluded (0 for a padding-only packet). */
    public int payloadLength() {
        return length - (payloadOffset - start) - paddingLength;
    }

    /** Padding bytes at the end, the count byte included; 0 without the P bit. */
    public int paddingLength() {
        return paddingLength;
    }

    /**
     * Drops the padding: clears the P bit and moves the buffer's limit (and this view's length) back over it, so the
     * packet forwarded or cached is its header and payload only.
     */
    public void stripPadding() {
        if (paddingLength == 0) {
            return;
        }
        Wire.put8(buf, start, Wire.u8(buf, start) & ~0x20);
        length -= paddingLength;
        paddingLength = 0;
        buf.limit(start + length);
    }

    // ---------------------------------------------------------------- header extensions (RFC 8285)

    /** The extension block's 16-bit profile ({@code 0xBEDE}, {@code 0x100x} or another), or -1 without one. */
    public int extensionProfile() {
        return extensionStart < 0 ? -1 : Wire.u16(buf, extensionStart);
    }

    /** True when the extension block is in the one-byte form ({@code 0xBEDE}). */
    public boolean hasOneByteExtensions() {
        return form == ONE_BYTE;
    }

    /** True when the extension block is in the two-byte form ({@code 0x100x}). */
    public boolean hasTwoByteExtensions() {
        return form == TWO_BYTE;
    }

    /** Index in {@link #buffer()} of the value of extension {@code id}, or -1 when the packet does not carry it. */
    public int extensionOffset(int id) {
        int element = findElement(id);
        return element < 0 ? -1 : element + (form == ONE_BYTE ? 1 : 2);
    }

    /** Length of the value of extension {@code id} (0 is possible in the two-byte form), or -1 when absent. */
    public int extensionLength(int id) {
        int element = findElement(id);
        if (element < 0) {
            return -1;
        }
        return form == ONE_BYTE ? (Wire.u8(buf, element) & 0x0F) + 1 : Wire.u8(buf, element + 1);
    }

    /**
     * Removes extension {@code id} in place by overwriting its element with padding bytes (zeros, which both forms
     * skip): for a subscriber that did not negotiate it. Nothing moves.
     *
     * @return false when the packet did not carry it
     */
    public boolean clearExtension(int id) {
        int element = findElement(id);
        if (element < 0) {
            return false;
        }
        int end = extensionOffset(id) + extensionLength(id);
        for (int i = element; i < end; i++) {
            buf.put(i, (byte) 0);
        }
        return true;
    }

    /**
     * Renumbers extension {@code id} in place, when the subscriber's session negotiated the same extension under
     * another id than the publisher's.
     *
     * @return false when the packet does not carry {@code id}, or {@code newId} does not fit the block's form
     *         (1..14 one-byte, 1..255 two-byte)
     */
    public boolean setExtensionId(int id, int newId) {
        int max = form == ONE_BYTE ? MAX_ONE_BYTE_ID : MAX_TWO_BYTE_ID;
        if (newId < 1 || newId > max) {
            return false;
        }
        int element = findElement(id);
        if (element < 0) {
            return false;
        }
        if (form == ONE_BYTE) {
            Wire.put8(buf, element, newId << 4 | (Wire.u8(buf, element) & 0x0F));
        } else {
            Wire.put8(buf, element, newId);
        }
        return true;
    }

    /**
     * Renumbers every extension element in one pass, for a subscriber whose session uses other ids than the
     * publisher's: the element with id {@code i} gets id {@code newIds[i] & 0xFF}, or becomes padding (its bytes
     * zeroed, nothing moves) when that is 0, when {@code i} lies beyond the array, or when the new id does not fit
     * the block's form (1..14 one-byte). One pass, because renumbering id by id would renumber a swapped pair
     * (3→4, 4→3) twice. In the one-byte form, id 15 and what follows it are left as they are (RFC 8285 §4.2 ends
     * the parse there). No effect on a packet without RFC 8285 extensions.
     */
    public void remapExtensions(byte[] newIds) {
        int p = nextElement(elementsStart);
        while (p >= 0) {
            int b = Wire.u8(buf, p);
            int id = form == ONE_BYTE ? b >>> 4 : b;
            int end = elementEnd(p);
            int newId = id < newIds.length ? newIds[id] & 0xFF : 0;
            if (newId == 0 || (form == ONE_BYTE && newId > MAX_ONE_BYTE_ID)) {
                for (int i = p; i < end; i++) {
                    buf.put(i, (byte) 0);
                }
            } else if (form == ONE_BYTE) {
                Wire.put8(buf, p, newId << 4 | (b & 0x0F));
            } else {
                Wire.put8(buf, p, newId);
            }
            p = nextElement(end);
        }
    }

    /** Index of the element header (its id byte) of extension {@code id}, or -1. */
    private int findElement(int id) {
        if (id <= 0) {
            return -1;
        }
        for (int p = nextElement(elementsStart); p >= 0; p = nextElement(elementEnd(p))) {
            int b = Wire.u8(buf, p);
            if ((form == ONE_BYTE ? b >>> 4 : b) == id) {
                return p;
            }
        }
        return -1;
    }

    /**
     * The first element header at or after {@code p}, padding skipped, or -1 at the block's end, at a one-byte id 15
     * (RFC 8285 §4.2 ends the parse there) or without RFC 8285 elements. wrap() checked that every element fits, so
     * the walk stays within the block.
     */
    private int nextElement(int p) {
        if (form == NO_FORM) {
            return -1;
        }
        while (p < elementsEnd && Wire.u8(buf, p) == 0) {
            p++;
        }
        return p >= elementsEnd || (form == ONE_BYTE && Wire.u8(buf, p) >>> 4 == 15) ? -1 : p;
    }

    /** The index just past the element whose header is at {@code p}. */
    private int elementEnd(int p) {
        return form == ONE_BYTE ? p + 2 + (Wire.u8(buf, p) & 0x0F) : p + 2 + Wire.u8(buf, p + 1);
    }

    @Override
    public String toString() {
        if (buf == null) {
            return "RtpPacket[empty]";
        }
        return "RtpPacket[pt=" + payloadType() + " seq=" + sequenceNumber() + " ts=" + Integer.toUnsignedString(timestamp())
                + " ssrc=" + Integer.toUnsignedString(ssrc()) + (marker() ? " M" : "") + " header=" + headerLength()
                + " payload=" + payloadLength() + " padding=" + paddingLength + "]";
    }
}
