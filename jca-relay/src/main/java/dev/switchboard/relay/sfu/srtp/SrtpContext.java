package dev.switchboard.relay.sfu.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * One direction of one DTLS-SRTP session: protects what we send (outbound) or unprotects what the peer sends
 * (inbound), RTP and RTCP alike (rtcp-mux), for any number of SSRCs up to a cap. Made by {@link SrtpSession}.
 *
 * <p>Buffers: every method works in place. The byte[] forms take {@code (array, offset, length)}; the ByteBuffer
 * forms take the packet between position and limit, as {@code PacketHandler} hands it, and on success move the
 * limit to the new end. Heap buffers are worked on directly; a direct buffer (the event loop's receive buffer is
 * one) is copied into a per-thread 64 KiB array and back, since Cipher and MessageDigest would otherwise copy it
 * themselves, in pieces or into new arrays.
 *
 * <p>Results: the new length, or a negative {@link SrtpResult} code, in which case the packet is left as it was.
 * Bad input never throws. Unprotect checks the index against the replay window and then the tag before it
 * decrypts, and records the index only for an authentic packet. An SSRC gets state only once a packet of it has
 * authenticated, so a stranger without the keys cannot make a context grow; beyond {@code maxSsrcs}, packets of
 * new SSRCs are refused ({@link SrtpResult#SSRC_LIMIT}) and counted. Protect refuses an index it has used already
 * ({@link SrtpResult#REPLAYED}): the same index twice would reuse keystream. {@link #protectRtpAgain} is the one
 * exception, for resending a packet as it was (a retransmission to a receiver without RTX): under AES-CM the same
 * index then encrypts the same payload with the same keystream, which reveals nothing new (the header, which may
 * differ, is authenticated by HMAC, not encrypted); under AES-GCM it would reuse the nonce with another header as
 * associated data, which gives away the authentication key, so there it is refused as any repeat.
 *
 * <p>No allocation per packet (a new SSRC allocates its state once). Not thread-safe: one event loop owns it;
 * the counters may be read from any thread.
 */
public final class SrtpContext {

    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;
    private static final ThreadLocal<byte[]> DIRECT_COPY = ThreadLocal.withInitial(() -> new byte[65_536 + 64]);

    private final SrtpProfile profile;
    private final int maxSsrcs;
    private final SsrcTable streams = new SsrcTable();
    private SrtpStream candidate = new SrtpStream(0); // state for a not yet admitted SSRC, kept if it authenticates

    private final AesCounterMode rtpCtr;
    private final AesCounterMode rtcpCtr;
    private final HmacSha1 rtpMac;
    private final HmacSha1 rtcpMac;
    private final AesGcm rtpGcm;
    private final AesGcm rtcpGcm;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final byte[] iv = new byte[16];
    private final byte[] word = new byte[4];
    private final long[] counts = new long[1 - SrtpResult.EXHAUSTED]; // [0] packets done, [-code] refusals

    SrtpContext(SrtpProfile profile, SrtpSessionKeys keys, int maxSsrcs) {
        if (maxSsrcs < 1) {
            throw new IllegalArgumentException("maxSsrcs must be at least 1, not " + maxSsrcs);
        }
        this.profile = profile;
        this.maxSsrcs = maxSsrcs;
        this.rtpSalt = keys.rtpSalt.clone();
        this.rtcpSalt = keys.rtcpSalt.clone();
        if (profile.isAead()) {
            rtpGcm = new AesGcm(keys.rtpKey);
            rtcpGcm = new AesGcm(keys.rtcpKey);
            rtpCtr = null;
            rtcpCtr = null;
            rtpMac = null;
            rtcpMac = null;
        } else {
            rtpCtr = new AesCounterMode(keys.rtpKey);
            rtcpCtr = new AesCounterMode(keys.rtcpKey);
            rtpMac = new HmacSha1(keys.rtpAuthKey);
            rtcpMac = new HmacSha1(keys.rtcpAuthKey);
            rtpGcm = null;
            rtcpGcm = null;
        }
    }

    public SrtpProfile profile() {
        return profile;
    }

    // ------------------------------------------------------------------ RTP

    /**
     * Encrypts and tags an RTP packet in place. {@code capacity} is how many bytes from {@code off} the caller may
     * have written: at least {@code length + profile().rtpTagLength()}.
     *
     * @return the SRTP packet's length, or {@link SrtpResult#MALFORMED}, {@link SrtpResult#NO_ROOM},
     *         {@link SrtpResult#SSRC_LIMIT}, {@link SrtpResult#REPLAYED} (this SSRC and sequence number were
     *         protected already) or {@link SrtpResult#EXHAUSTED}
     */
    public int protectRtp(byte[] packet, int off, int length, int capacity) {
        return protectRtp(packet, off, length, capacity, false);
    }

    private int protectRtp(byte[] packet, int off, int length, int capacity, boolean again) {
        int tagLength = profile.rtpTagLength();
        int header = off < 0 || length < 0 || off > packet.length - length ? -1 : rtpHeaderLength(packet, off, length);
        if (header < 0) {
            return refuse(SrtpResult.MALFORMED);
        }
        if (capacity < length + tagLength || packet.length - off < length + tagLength) {
            return refuse(SrtpResult.NO_ROOM);
        }
        int ssrc = readInt(packet, off + 8);
        SrtpStream stream = outboundStream(ssrc);
        if (stream == null) {
            return refuse(SrtpResult.SSRC_LIMIT);
        }
        long index = stream.estimateIndex(readShort(packet, off + 2));
        if (index > SrtpStream.MAX_RTP_INDEX) {
            return refuse(SrtpResult.EXHAUSTED);
        }
        boolean repeat = index >= 0 && !stream.rtp.isNew(index);
        if (index < 0 || repeat && (!again || rtpGcm != null)) {
            return refuse(SrtpResult.REPLAYED);
        }
        int payload = off + header;
        int payloadLength = length - header;
        if (rtpGcm != null) {
            rtpGcmIv(ssrc, index);
            rtpGcm.seal(iv, packet, off, header, null, 0, 0, payload, payloadLength);
        } else {
            rtpCmIv(ssrc, index);
            rtpCtr.apply(iv, packet, payload, payloadLength);
            byte[] tag = rtpTag(packet, off, length, index);
            System.arraycopy(tag, 0, packet, off + length, tagLength);
        }
        if (!repeat) {
            stream.acceptRtp(index); // a repeat is already in the window, or older than it reaches
        }
        return done(length + tagLength);
    }

    /**
     * Authenticates and decrypts an SRTP packet in place.
     *
     * @return the RTP packet's length, or {@link SrtpResult#MALFORMED}, {@link SrtpResult#SSRC_LIMIT},
     *         {@link SrtpResult#REPLAYED} or {@link SrtpResult#AUTH_FAILED}
     */
    public int unprotectRtp(byte[] packet, int off, int length) {
        int tagLength = profile.rtpTagLength();
        int header = off < 0 || length < 0 || off > packet.length - length
                ? -1 : rtpHeaderLength(packet, off, length - tagLength);
        if (header < 0) {
            return refuse(SrtpResult.MALFORMED);
        }
        int ssrc = readInt(packet, off + 8);
        SrtpStream stream = inboundStream(ssrc);
        if (stream == null) {
            return refuse(SrtpResult.SSRC_LIMIT);
        }
        long index = stream.estimateIndex(readShort(packet, off + 2));
        if (index < 0 || !stream.rtp.isNew(index)) {
            return refuse(SrtpResult.REPLAYED);
        }
        int payload = off + header;
        int payloadLength = length - tagLength - header;
        if (rtpGcm != null) {
            rtpGcmIv(ssrc, index);
            if (!rtpGcm.open(iv, packet, off, header, null, 0, 0, payload, payloadLength)) {
                return refuse(SrtpResult.AUTH_FAILED);
            }
        } else {
            byte[] tag = rtpTag(packet, off, length - tagLength, index);
            if (!matches(tag, packet, off + length - tagLength, tagLength)) {
                return refuse(SrtpResult.AUTH_FAILED);
            }
            rtpCmIv(ssrc, index);
            rtpCtr.apply(iv, packet, payload, payloadLength);
        }
        stream.acceptRtp(index);
        admit(stream);
        return done(length - tagLength);
    }

    // ------------------------------------------------------------------ RTCP

    /**
     * Encrypts and tags an RTCP (compound) packet in place, with the next SRTCP index of its sender SSRC and the E
     * flag set. {@code capacity} must be at least {@code length + profile().rtcpOverhead()}.
     *
     * @return the SRTCP packet's length, or {@link SrtpResult#MALFORMED}, {@link SrtpResult#NO_ROOM},
     *         {@link SrtpResult#SSRC_LIMIT} or {@link SrtpResult#EXHAUSTED}
     */
    public int protectRtcp(byte[] packet, int off, int length, int capacity) {
        if (off < 0 || length < RTCP_HEADER || off > packet.length - length || (packet[off] & 0xC0) != 0x80) {
            return refuse(SrtpResult.MALFORMED);
        }
        int overhead = profile.rtcpOverhead();
        if (capacity < length + overhead || packet.length - off < length + overhead) {
            return refuse(SrtpResult.NO_ROOM);
        }
        int ssrc = readInt(packet, off + 4);
        SrtpStream stream = outboundStream(ssrc);
        if (stream == null) {
            return refuse(SrtpResult.SSRC_LIMIT);
        }
        long index = stream.nextRtcpIndex;
        if (index > SrtpStream.MAX_RTCP_INDEX) {
            return refuse(SrtpResult.EXHAUSTED);
        }
        int body = off + RTCP_HEADER;
        int bodyLength = length - RTCP_HEADER;
        if (rtcpGcm != null) {
            int wordAt = off + length + AesGcm.TAG_LENGTH; // RFC 7714 §17: the E flag and index follow the tag
            writeInt(packet, wordAt, (int) (0x8000_0000L | index));
            rtcpGcmIv(ssrc, index);
            rtcpGcm.seal(iv, packet, off, RTCP_HEADER, packet, wordAt, 4, body, bodyLength);
        } else {
            rtcpCmIv(ssrc, index);
            rtcpCtr.apply(iv, packet, body, bodyLength);
            writeInt(packet, off + length, (int) (0x8000_0000L | index));
            rtcpMac.start();
            rtcpMac.update(packet, off, length + 4);
            System.arraycopy(rtcpMac.finish(), 0, packet, off + length + 4, profile.rtcpTagLength());
        }
        stream.nextRtcpIndex = index + 1;
        return done(length + overhead);
    }

    /**
     * Authenticates and, when its E flag says it is encrypted, decrypts an SRTCP packet in place.
     *
     * @return the RTCP packet's length, or {@link SrtpResult#MALFORMED}, {@link SrtpResult#SSRC_LIMIT},
     *         {@link SrtpResult#REPLAYED} or {@link SrtpResult#AUTH_FAILED}
     */
    public int unprotectRtcp(byte[] packet, int off, int length) {
        int tagLength = profile.rtcpTagLength();
        if (off < 0 || length < RTCP_HEADER + tagLength + 4 || off > packet.length - length
                || (packet[off] & 0xC0) != 0x80) {
            return refuse(SrtpResult.MALFORMED);
        }
        int rtcpLength = length - tagLength - 4;
        int wordAt = rtcpGcm != null ? off + length - 4 : off + rtcpLength; // behind the tag for GCM, before for CM
        boolean encrypted = packet[wordAt] < 0;
        long index = readInt(packet, wordAt) & 0x7FFF_FFFFL;
        int ssrc = readInt(packet, off + 4);
        SrtpStream stream = inboundStream(ssrc);
        if (stream == null) {
            return refuse(SrtpResult.SSRC_LIMIT);
        }
        if (!stream.rtcp.isNew(index)) {
            return refuse(SrtpResult.REPLAYED);
        }
        int body = off + RTCP_HEADER;
        if (rtcpGcm != null) {
            rtcpGcmIv(ssrc, index);
            boolean authentic = encrypted
                    ? rtcpGcm.open(iv, packet, off, RTCP_HEADER, packet, wordAt, 4, body, rtcpLength - RTCP_HEADER)
                    // not encrypted (RFC 7714 §17.1): the whole packet is associated data, the text empty
                    : rtcpGcm.open(iv, packet, off, rtcpLength, packet, wordAt, 4, off + rtcpLength, 0);
            if (!authentic) {
                return refuse(SrtpResult.AUTH_FAILED);
            }
        } else {
            rtcpMac.start();
            rtcpMac.update(packet, off, rtcpLength + 4);
            if (!matches(rtcpMac.finish(), packet, wordAt + 4, tagLength)) {
                return refuse(SrtpResult.AUTH_FAILED);
            }
            if (encrypted) {
                rtcpCmIv(ssrc, index);
                rtcpCtr.apply(iv, packet, body, rtcpLength - RTCP_HEADER);
            }
        }
        stream.rtcp.accept(index);
        admit(stream);
        return done(rtcpLength);
    }

    // ------------------------------------------------------------------ ByteBuffer forms

    /** {@link #protectRtp(byte[], int, int, int)} on the packet between position and limit; room up to capacity. */
    public int protectRtp(ByteBuffer packet) {
        return inBuffer(packet, PROTECT_RTP);
    }

    /**
     * {@link #protectRtp(ByteBuffer)} that also takes an index protected before, under AES-CM only (see the class
     * comment): for the same packet sent again, whose payload must be the one sent the first time.
     */
    public int protectRtpAgain(ByteBuffer packet) {
        return inBuffer(packet, PROTECT_RTP_AGAIN);
    }

    /** {@link #unprotectRtp(byte[], int, int)} on the packet between position and limit. */
    public int unprotectRtp(ByteBuffer packet) {
        return inBuffer(packet, UNPROTECT_RTP);
    }

    /** {@link #protectRtcp(byte[], int, int, int)} on the packet between position and limit; room up to capacity. */
    public int protectRtcp(ByteBuffer packet) {
        return inBuffer(packet, PROTECT_RTCP);
    }

    /** {@link #unprotectRtcp(byte[], int, int)} on the packet between position and limit. */
    public int unprotectRtcp(ByteBuffer packet) {
        return inBuffer(packet, UNPROTECT_RTCP);
    }

    private static final int PROTECT_RTP = 0;
    private static final int PROTECT_RTP_AGAIN = 1;
    private static final int UNPROTECT_RTP = 2;
    private static final int PROTECT_RTCP = 3;
    private static final int UNPROTECT_RTCP = 4;

    private int inBuffer(ByteBuffer buffer, int op) {
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("SRTP works in place: the buffer must be writable");
        }
        int position = buffer.position();
        int length = buffer.remaining();
        int room = buffer.capacity() - position;
        int result;
        if (buffer.hasArray()) {
            byte[] array = buffer.array();
            int off = buffer.arrayOffset() + position;
            result = apply(array, off, length, room, op);
            if (result >= 0) {
                buffer.limit(position + result);
            }
            return result;
        }
        byte[] copy = DIRECT_COPY.get();
        if (length > copy.length) {
            return refuse(SrtpResult.MALFORMED); // no RTP packet over UDP or RFC 4571 framing is this long
        }
        buffer.get(position, copy, 0, length);
        result = apply(copy, 0, length, Math.min(room, copy.length), op);
        if (result >= 0) {
            buffer.limit(position + result);
            buffer.put(position, copy, 0, result);
        }
        return result;
    }

    private int apply(byte[] array, int off, int length, int room, int op) {
        return switch (op) {
            case PROTECT_RTP -> protectRtp(array, off, length, room, false);
            case PROTECT_RTP_AGAIN -> protectRtp(array, off, length, room, true);
            case UNPROTECT_RTP -> unprotectRtp(array, off, length);
            case PROTECT_RTCP -> protectRtcp(array, off, length, room);
            default -> unprotectRtcp(array, off, length);
        };
    }

    // ------------------------------------------------------------------ streams and counts

    /** Forgets an SSRC's state (its track ended). Outbound, never reuse the SSRC afterwards: indexes would repeat. */
    public void forget(int ssrc) {
        streams.remove(ssrc);
    }

    /** SSRCs this context holds state for. */
    public int ssrcCount() {
        return streams.size();
    }

    /** Packets protected or unprotected. */
    public long packets() {
        return (long) COUNT.getOpaque(counts, 0);
    }

    /** Packets refused with {@code code} (one of {@link SrtpResult}'s). */
    public long refused(int code) {
        return code < 0 && -code < counts.length ? (long) COUNT.getOpaque(counts, -code) : 0;
    }

    private SrtpStream outboundStream(int ssrc) {
        SrtpStream stream = streams.get(ssrc);
        if (stream == null && streams.size() < maxSsrcs) {
            stream = new SrtpStream(ssrc); // our own SSRCs: admitted when first sent
            streams.add(stream);
        }
        return stream;
    }

    /** The SSRC's state, a fresh candidate for a new SSRC while there is room, or null at the cap. */
    private SrtpStream inboundStream(int ssrc) {
        SrtpStream stream = streams.get(ssrc);
        if (stream != null) {
            return stream;
        }
        if (streams.size() >= maxSsrcs) {
            return null;
        }
        candidate.ssrc = ssrc; // untouched until a packet authenticates, and then admitted and replaced
        return candidate;
    }

    /** Keeps the candidate once a packet of its SSRC authenticated. */
    private void admit(SrtpStream stream) {
        if (stream == candidate) {
            streams.add(stream);
            candidate = new SrtpStream(0);
        }
    }

    private int done(int length) {
        COUNT.setOpaque(counts, 0, (long) COUNT.getOpaque(counts, 0) + 1);
        return length;
    }

    private int refuse(int code) {
        COUNT.setOpaque(counts, -code, (long) COUNT.getOpaque(counts, -code) + 1);
        return code;
    }

    // ------------------------------------------------------------------ IVs, tags, fields

    /** RFC 3711 §4.1.1: (salt << 16) xor (SSRC << 64) xor (index << 16). */
    private void rtpCmIv(int ssrc, long index) {
        System.arraycopy(rtpSalt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        xorInt(iv, 4, ssrc);
        xorInt(iv, 8, (int) (index >>> 16));
        iv[12] ^= (byte) (index >>> 8);
        iv[13] ^= (byte) index;
    }

    private void rtcpCmIv(int ssrc, long index) {
        System.arraycopy(rtcpSalt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        xorInt(iv, 4, ssrc);
        xorInt(iv, 10, (int) index);
    }

    /** RFC 7714 §8.1: salt xor (00 00 || SSRC || ROC || SEQ). */
    private void rtpGcmIv(int ssrc, long index) {
        System.arraycopy(rtpSalt, 0, iv, 0, 12);
        xorInt(iv, 2, ssrc);
        xorInt(iv, 6, (int) (index >>> 16));
        iv[10] ^= (byte) (index >>> 8);
        iv[11] ^= (byte) index;
    }

    /** RFC 7714 §9.1: salt xor (00 00 || SSRC || 00 00 || 0 || SRTCP index). */
    private void rtcpGcmIv(int ssrc, long index) {
        System.arraycopy(rtcpSalt, 0, iv, 0, 12);
        xorInt(iv, 2, ssrc);
        xorInt(iv, 8, (int) index);
    }

    /** RFC 3711 §4.2: HMAC over the authenticated portion and the ROC. */
    private byte[] rtpTag(byte[] packet, int off, int length, long index) {
        writeInt(word, 0, (int) (index >>> 16));
        rtpMac.start();
        rtpMac.update(packet, off, length);
        rtpMac.update(word, 0, 4);
        return rtpMac.finish();
    }

    /** Constant time: how much of a tag matched must not show in the time a refusal takes. */
    private static boolean matches(byte[] expected, byte[] packet, int at, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= expected[i] ^ packet[at + i];
        }
        return diff == 0;
    }

    /** The fixed header, CSRCs and header extension of an RTP packet within {@code length}, or -1. */
    static int rtpHeaderLength(byte[] packet, int off, int length) {
        if (length < RTP_HEADER || (packet[off] & 0xC0) != 0x80) {
            return -1;
        }
        int header = RTP_HEADER + 4 * (packet[off] & 0x0F);
        if ((packet[off] & 0x10) != 0) {
            if (header + 4 > length) {
                return -1;
            }
            header += 4 + 4 * readShort(packet, off + header + 2);
        }
        return header <= length ? header : -1;
    }

    private static int readShort(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }

    private static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void xorInt(byte[] b, int at, int v) {
        b[at] ^= (byte) (v >>> 24);
        b[at + 1] ^= (byte) (v >>> 16);
        b[at + 2] ^= (byte) (v >>> 8);
        b[at + 3] ^= (byte) v;
    }
}
