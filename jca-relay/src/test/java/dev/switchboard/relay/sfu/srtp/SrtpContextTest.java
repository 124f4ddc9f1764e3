package dev.switchboard.relay.sfu.srtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SrtpContextTest {

    private static final byte[] MASTER_KEY = Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] MASTER_SALT = Hex.bytes("0EC675AD498AFEEBB6960B3AABE6");
    private static final int SSRC = 0xCAFEBABE;

    // ------------------------------------------------------------------ AES-CM against the RFC's formulas

    /**
     * AES-CM protection written out from RFC 3711 §3.1, §4.1.1 and §4.2 with the JDK's AES/CTR and HmacSHA1 and
     * the IV as a BigInteger: a reference that shares no code with the context's.
     */
    private static byte[] referenceSrtp(SrtpProfile profile, SrtpSessionKeys keys, byte[] rtp, int header, long index)
            throws Exception {
        BigInteger iv = new BigInteger(1, keys.rtpSalt).shiftLeft(16)
                .xor(BigInteger.valueOf(SSRC & 0xFFFFFFFFL).shiftLeft(64))
                .xor(BigInteger.valueOf(index).shiftLeft(16));
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.rtpKey, "AES"), new IvParameterSpec(block(iv)));
        byte[] out = Arrays.copyOf(rtp, rtp.length + profile.rtpTagLength());
        ctr.doFinal(rtp, header, rtp.length - header, out, header);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(keys.rtpAuthKey, "HmacSHA1"));
        mac.update(out, 0, rtp.length);
        mac.update(ByteBuffer.allocate(4).putInt((int) (index >>> 16)).array());
        System.arraycopy(mac.doFinal(), 0, out, rtp.length, profile.rtpTagLength());
        return out;
    }

    private static byte[] referenceSrtcp(SrtpSessionKeys keys, byte[] rtcp, long index) throws Exception {
        BigInteger iv = new BigInteger(1, keys.rtcpSalt).shiftLeft(16)
                .xor(BigInteger.valueOf(SSRC & 0xFFFFFFFFL).shiftLeft(64))
                .xor(BigInteger.valueOf(index).shiftLeft(16));
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.rtcpKey, "AES"), new IvParameterSpec(block(iv)));
        byte[] out = Arrays.copyOf(rtcp, rtcp.length + 14);
        ctr.doFinal(rtcp, 8, rtcp.length - 8, out, 8);
        ByteBuffer.wrap(out, rtcp.length, 4).putInt((int) (0x80000000L | index));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(keys.rtcpAuthKey, "HmacSHA1"));
        mac.update(out, 0, rtcp.length + 4);
        System.arraycopy(mac.doFinal(), 0, out, rtcp.length + 4, 10);
        return out;
    }

    private static byte[] block(BigInteger value) {
        byte[] b = value.toByteArray();
        byte[] out = new byte[16];
        int n = Math.min(16, b.length);
        System.arraycopy(b, b.length - n, out, 16 - n, n);
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AES128_CM_HMAC_SHA1_80", "AES128_CM_HMAC_SHA1_32"})
    void aesCmMatchesTheRfcFormulasAcrossARollover(SrtpProfile profile) throws Exception {
        SrtpSessionKeys keys = SrtpSessionKeys.derive(profile, MASTER_KEY, MASTER_SALT);
        SrtpContext sender = new SrtpContext(profile, keys, 4);
        SrtpContext receiver = new SrtpContext(profile, keys, 4);
        long index = 65_530;
        for (int i = 0; i < 12; i++, index++) { // 65530 .. 65535, then 0 .. 5 with ROC 1
            byte[] rtp = rtp((int) index & 0xFFFF, 4 + 37 * i, true);
            int header = SrtpContext.rtpHeaderLength(rtp, 0, rtp.length);
            byte[] expected = referenceSrtp(profile, keys, rtp, header, index);
            byte[] packet = Arrays.copyOf(rtp, rtp.length + profile.rtpTagLength());
            assertEquals(expected.length, sender.protectRtp(packet, 0, rtp.length, packet.length));
            assertArrayEquals(expected, packet, "index " + index);
            assertEquals(rtp.length, receiver.unprotectRtp(packet, 0, packet.length));
            assertArrayEquals(rtp, Arrays.copyOf(packet, rtp.length));
        }
    }

    @Test
    void srtcpMatchesTheRfcFormulas() throws Exception {
        SrtpProfile profile = SrtpProfile.AES128_CM_HMAC_SHA1_32; // RTCP keeps the 80-bit tag
        SrtpSessionKeys keys = SrtpSessionKeys.derive(profile, MASTER_KEY, MASTER_SALT);
        SrtpContext sender = new SrtpContext(profile, keys, 4);
        SrtpContext receiver = new SrtpContext(profile, keys, 4);
        for (int index = 0; index < 3; index++) {
            byte[] rtcp = rtcp(20 + 4 * index);
            byte[] packet = Arrays.copyOf(rtcp, rtcp.length + profile.rtcpOverhead());
            assertEquals(rtcp.length + 14, sender.protectRtcp(packet, 0, rtcp.length, packet.length));
            assertArrayEquals(referenceSrtcp(keys, rtcp, index), packet);
            assertEquals(rtcp.length, receiver.unprotectRtcp(packet, 0, packet.length));
            assertArrayEquals(rtcp, Arrays.copyOf(packet, rtcp.length));
        }
    }

    /** RFC 3711 §3.4: an SRTCP packet with the E flag clear is authenticated only; its body passes as it is. */
    @Test
    void unencryptedSrtcpIsAuthenticatedAndPassedThrough() throws Exception {
        SrtpProfile profile = SrtpProfile.AES128_CM_HMAC_SHA1_80;
        SrtpSessionKeys keys = SrtpSessionKeys.derive(profile, MASTER_KEY, MASTER_SALT);
        byte[] rtcp = rtcp(24);
        byte[] packet = Arrays.copyOf(rtcp, rtcp.length + 14);
        ByteBuffer.wrap(packet, rtcp.length, 4).putInt(5); // E = 0, index 5
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(keys.rtcpAuthKey, "HmacSHA1"));
        mac.update(packet, 0, rtcp.length + 4);
        System.arraycopy(mac.doFinal(), 0, packet, rtcp.length + 4, 10);
        SrtpContext in = new SrtpContext(profile, keys, 4);
        byte[] forged = packet.clone();
        forged[12] ^= 1;
        assertEquals(SrtpResult.AUTH_FAILED, in.unprotectRtcp(forged, 0, forged.length));
        assertEquals(rtcp.length, in.unprotectRtcp(packet, 0, packet.length));
        assertArrayEquals(rtcp, Arrays.copyOf(packet, rtcp.length));
    }

    /** RFC 7714 §17.1: with GCM and the E flag clear, the whole packet is associated data and the text is empty. */
    @Test
    void unencryptedSrtcpWithGcm() throws Exception {
        byte[] key = Hex.bytes("000102030405060708090a0b0c0d0e0f");
        byte[] salt = Hex.bytes("517569642070726f2071756f");
        byte[] rtcp = rtcp(24);
        byte[] word = {0, 0, 0, 9}; // E = 0, index 9
        byte[] iv = salt.clone();
        ByteBuffer ivView = ByteBuffer.wrap(iv);
        ivView.putInt(2, ivView.getInt(2) ^ SSRC).putInt(8, ivView.getInt(8) ^ 9);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new javax.crypto.spec.GCMParameterSpec(128, iv));
        gcm.updateAAD(rtcp);
        gcm.updateAAD(word);
        byte[] tag = gcm.doFinal();
        byte[] packet = ByteBuffer.allocate(rtcp.length + 20).put(rtcp).put(tag).put(word).array();
        SrtpContext in = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM,
                new SrtpSessionKeys(key, new byte[0], salt, key, new byte[0], salt), 4);
        byte[] forged = packet.clone();
        forged[12] ^= 1;
        assertEquals(SrtpResult.AUTH_FAILED, in.unprotectRtcp(forged, 0, forged.length));
        assertEquals(rtcp.length, in.unprotectRtcp(packet, 0, packet.length));
        assertArrayEquals(rtcp, Arrays.copyOf(packet, rtcp.length));
    }

    // ------------------------------------------------------------------ every profile

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void roundTripsRtpWithCsrcsAndExtensionAndRtcp(SrtpProfile profile) {
        SrtpSession[] pair = pair(profile);
        for (int seq = 100; seq < 110; seq++) {
            byte[] rtp = rtp(seq, 10 * seq % 1300, seq % 2 == 0);
            byte[] packet = Arrays.copyOf(rtp, rtp.length + profile.rtpTagLength());
            assertEquals(packet.length, pair[0].outbound().protectRtp(packet, 0, rtp.length, packet.length));
            assertEquals(rtp.length, pair[1].inbound().unprotectRtp(packet, 0, packet.length));
            assertArrayEquals(rtp, Arrays.copyOf(packet, rtp.length));
        }
        byte[] rtcp = rtcp(52);
        byte[] packet = Arrays.copyOf(rtcp, rtcp.length + profile.rtcpOverhead());
        assertEquals(packet.length, pair[1].outbound().protectRtcp(packet, 0, rtcp.length, packet.length));
        assertEquals(rtcp.length, pair[0].inbound().unprotectRtcp(packet, 0, packet.length));
        assertArrayEquals(rtcp, Arrays.copyOf(packet, rtcp.length));
        assertEquals(10, pair[0].outbound().packets());
        assertEquals(1, pair[0].inbound().packets());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rolloverReorderingReplayAndTooOld(SrtpProfile profile) {
        SrtpSession[] pair = pair(profile);
        SrtpContext out = pair[0].outbound();
        SrtpContext in = pair[1].inbound();
        byte[][] sent = new byte[400][];
        for (int i = 0; i < sent.length; i++) {
            int seq = (65_400 + i) & 0xFFFF; // wraps after 136 packets
            byte[] rtp = rtp(seq, 50, false);
            sent[i] = Arrays.copyOf(rtp, rtp.length + profile.rtpTagLength());
            assertEquals(sent[i].length, out.protectRtp(sent[i], 0, rtp.length, sent[i].length));
        }
        for (int i = 0; i < 300; i++) {
            if (i % 10 != 3) { // hold back every tenth
                assertEquals(62, in.unprotectRtp(sent[i].clone(), 0, sent[i].length), "packet " + i);
            }
        }
        assertEquals(62, in.unprotectRtp(sent[293].clone(), 0, sent[293].length), "late by 7: within the window");
        assertEquals(62, in.unprotectRtp(sent[183].clone(), 0, sent[183].length), "late by 117: within the window");
        assertEquals(SrtpResult.REPLAYED, in.unprotectRtp(sent[293].clone(), 0, sent[293].length), "again");
        assertEquals(SrtpResult.REPLAYED, in.unprotectRtp(sent[299].clone(), 0, sent[299].length), "replayed");
        assertEquals(SrtpResult.REPLAYED, in.unprotectRtp(sent[133].clone(), 0, sent[133].length), "too old");
        assertEquals(62, in.unprotectRtp(sent[399].clone(), 0, sent[399].length), "ahead by 100");
        assertEquals(3, in.refused(SrtpResult.REPLAYED));
        byte[] again = rtp((65_400 + 399) & 0xFFFF, 50, false);
        byte[] packet = Arrays.copyOf(again, again.length + profile.rtpTagLength());
        assertEquals(SrtpResult.REPLAYED, out.protectRtp(packet, 0, again.length, packet.length),
                "protecting an index twice would reuse keystream");
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aPacketResentAsItWasIsProtectedAgainUnderAesCmOnly(SrtpProfile profile) {
        SrtpSession[] pair = pair(profile);
        SrtpContext out = pair[0].outbound();
        SrtpContext in = pair[1].inbound();
        byte[][] plain = new byte[300][];
        byte[][] sent = new byte[300][];
        for (int i = 0; i < sent.length; i++) {
            plain[i] = rtp((65_500 + i) & 0xFFFF, 50, false); // wraps after 36 packets
            sent[i] = Arrays.copyOf(plain[i], plain[i].length + profile.rtpTagLength());
            assertEquals(sent[i].length, out.protectRtp(sent[i], 0, plain[i].length, sent[i].length));
        }
        boolean gcm = profile == SrtpProfile.AEAD_AES_128_GCM;
        for (int i : new int[]{10, 290, 299}) { // one older than the window reaches, one in it, the newest
            ByteBuffer again = ByteBuffer.allocate(200);
            again.put(plain[i]).flip();
            int n = out.protectRtpAgain(again);
            if (gcm) {
                assertEquals(SrtpResult.REPLAYED, n, "GCM: the same nonce with another header would give the key away");
                continue;
            }
            assertEquals(sent[i].length, n, "packet " + i);
            assertArrayEquals(sent[i], Arrays.copyOf(again.array(), n), "the same packet, the same bytes");
            // a receiver that lost the first copy takes this one
            assertEquals(plain[i].length, in.unprotectRtp(Arrays.copyOf(again.array(), n), 0, n), "packet " + i);
        }
        // the window is as it was: the next new packet goes out, and a plain protect still refuses a repeat
        byte[] next = rtp((65_500 + 300) & 0xFFFF, 50, false);
        byte[] packet = Arrays.copyOf(next, next.length + profile.rtpTagLength());
        assertEquals(packet.length, out.protectRtp(packet, 0, next.length, packet.length));
        byte[] repeat = Arrays.copyOf(plain[290], sent[290].length);
        assertEquals(SrtpResult.REPLAYED, out.protectRtp(repeat, 0, plain[290].length, repeat.length));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtcpReplayIsRefused(SrtpProfile profile) {
        SrtpSession[] pair = pair(profile);
        byte[] rtcp = rtcp(28);
        byte[][] sent = new byte[3][];
        for (int i = 0; i < 3; i++) {
            sent[i] = Arrays.copyOf(rtcp, rtcp.length + profile.rtcpOverhead());
            pair[0].outbound().protectRtcp(sent[i], 0, rtcp.length, sent[i].length);
        }
        SrtpContext in = pair[1].inbound();
        assertEquals(28, in.unprotectRtcp(sent[2].clone(), 0, sent[2].length));
        assertEquals(28, in.unprotectRtcp(sent[0].clone(), 0, sent[0].length));
        assertEquals(SrtpResult.REPLAYED, in.unprotectRtcp(sent[0].clone(), 0, sent[0].length));
        assertEquals(28, in.unprotectRtcp(sent[1].clone(), 0, sent[1].length));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperingAnywhereIsRefusedAndLeavesThePacketAsItCame(SrtpProfile profile) {
        SrtpSession[] pair = pair(profile);
        byte[] rtp = rtp(7, 80, true);
        byte[] packet = Arrays.copyOf(rtp, rtp.length + profile.rtpTagLength());
        pair[0].outbound().protectRtp(packet, 0, rtp.length, packet.length);
        SrtpContext in = pair[1].inbound();
        for (int at = 1; at < packet.length; at++) { // byte 0 would change the header's shape: see the fuzz tests
            if (at == 2 || at == 3 || at >= 8 && at < 12) {
                continue; // sequence number or SSRC: another index or stream, refused too but not the point here
            }
            byte[] forged = packet.clone();
            forged[at] ^= 0x40;
            byte[] before = forged.clone();
            // the extension's length word: the header no longer fits, refused before the tag is looked at
            int expected = at == 22 || at == 23 ? SrtpResult.MALFORMED : SrtpResult.AUTH_FAILED;
            assertEquals(expected, in.unprotectRtp(forged, 0, forged.length), "byte " + at);
            assertArrayEquals(before, forged);
        }
        assertEquals(0, in.ssrcCount(), "nothing authenticated, nothing kept");
        assertEquals(rtp.length, in.unprotectRtp(packet, 0, packet.length));
        assertEquals(1, in.ssrcCount());
    }

    @Test
    void randomSsrcsGrowNothingAndTheCapRefusesNewOnes() {
        SrtpProfile profile = SrtpProfile.AES128_CM_HMAC_SHA1_80;
        byte[] material = material(profile);
        SrtpSession client = SrtpSession.fromDtls(profile, material, SrtpSession.Role.CLIENT, 2, 8);
        SrtpSession server = SrtpSession.fromDtls(profile, material, SrtpSession.Role.SERVER, 2, 8);
        SrtpContext in = server.inbound();
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 1000; i++) {
            byte[] junk = rtp(i, 40, false);
            ByteBuffer.wrap(junk, 8, 4).putInt(random.nextInt());
            assertEquals(SrtpResult.AUTH_FAILED, in.unprotectRtp(junk, 0, junk.length));
        }
        assertEquals(0, in.ssrcCount());
        for (int ssrc = 1; ssrc <= 3; ssrc++) {
            byte[] rtp = rtp(1, 40, false);
            ByteBuffer.wrap(rtp, 8, 4).putInt(ssrc);
            byte[] packet = Arrays.copyOf(rtp, rtp.length + 10);
            client.outbound().protectRtp(packet, 0, rtp.length, packet.length);
            assertEquals(ssrc <= 2 ? rtp.length : SrtpResult.SSRC_LIMIT, in.unprotectRtp(packet, 0, packet.length));
        }
        assertEquals(2, in.ssrcCount());
        assertEquals(1, in.refused(SrtpResult.SSRC_LIMIT));
        in.forget(1);
        assertEquals(1, in.ssrcCount());
    }

    @Test
    void refusesWithoutRoomOrHeader() {
        SrtpContext out = pair(SrtpProfile.AES128_CM_HMAC_SHA1_80)[0].outbound();
        byte[] rtp = rtp(1, 20, true);
        assertEquals(SrtpResult.NO_ROOM, out.protectRtp(Arrays.copyOf(rtp, rtp.length + 9), 0, rtp.length, rtp.length + 9));
        assertEquals(SrtpResult.NO_ROOM, out.protectRtp(Arrays.copyOf(rtp, rtp.length + 10), 0, rtp.length, rtp.length));
        byte[] truncated = Arrays.copyOf(rtp, 12 + 4 * 2 + 2); // CSRCs and half an extension header
        assertEquals(SrtpResult.MALFORMED, out.protectRtp(Arrays.copyOf(truncated, 64), 0, truncated.length, 64));
        assertEquals(SrtpResult.MALFORMED, out.protectRtp(new byte[64], 0, 40, 64)); // version 0
        assertEquals(SrtpResult.MALFORMED, out.protectRtcp(new byte[64], 0, 7, 64));
        assertEquals(SrtpResult.MALFORMED, out.protectRtp(new byte[10], 5, 10, 64)); // beyond the array
        assertEquals(SrtpResult.MALFORMED, out.unprotectRtp(new byte[10], -1, 5));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void byteBuffersHeapAndDirectWithAnOffset(SrtpProfile profile) {
        SrtpSession[] pair = pair(profile);
        byte[] rtp = rtp(42, 300, true);
        for (boolean direct : new boolean[]{false, true}) {
            ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(2048) : ByteBuffer.allocate(2048);
            buffer.position(100);
            buffer.put(rtp).flip().position(100);
            int length = pair[0].outbound().protectRtp(buffer);
            assertEquals(rtp.length + profile.rtpTagLength(), length);
            assertEquals(100 + length, buffer.limit());
            assertEquals(100, buffer.position());
            assertEquals(rtp.length, pair[1].inbound().unprotectRtp(buffer));
            assertEquals(100 + rtp.length, buffer.limit());
            byte[] back = new byte[rtp.length];
            buffer.get(100, back);
            assertArrayEquals(rtp, back);
            rtp = rtp(43, 300, true);
        }
        ByteBuffer sliced = ByteBuffer.allocate(600).position(50).slice(); // an array offset of 50
        sliced.put(rtp(44, 100, false)).flip();
        assertEquals(112 + profile.rtpTagLength(), pair[0].outbound().protectRtp(sliced));
        assertEquals(112, pair[1].inbound().unprotectRtp(sliced));
        assertEquals(0, sliced.position());
        assertThrows(IllegalArgumentException.class,
                () -> pair[0].outbound().protectRtp(ByteBuffer.allocate(64).asReadOnlyBuffer()));
    }

    // ------------------------------------------------------------------ packets and keys

    /** A client and a server session over the same keying material: [0] client, [1] server. */
    static SrtpSession[] pair(SrtpProfile profile) {
        byte[] material = material(profile);
        return new SrtpSession[]{
                SrtpSession.fromDtls(profile, material, SrtpSession.Role.CLIENT),
                SrtpSession.fromDtls(profile, material, SrtpSession.Role.SERVER)};
    }

    static byte[] material(SrtpProfile profile) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (i * 13 + 1);
        }
        return material;
    }

    /** An RTP packet; with {@code extras}, two CSRCs and a one-byte-header extension of two words. */
    static byte[] rtp(int seq, int payload, boolean extras) {
        int header = extras ? 12 + 8 + 12 : 12;
        ByteBuffer b = ByteBuffer.allocate(header + payload);
        b.put((byte) (extras ? 0x92 : 0x80)).put((byte) 96).putShort((short) seq).putInt(seq * 3000).putInt(SSRC);
        if (extras) {
            b.putInt(0x11111111).putInt(0x22222222).putShort((short) 0xBEDE).putShort((short) 2)
                    .putInt(0x10AA2233).putInt(0x44000000);
        }
        for (int i = 0; i < payload; i++) {
            b.put((byte) (i * 7 + seq));
        }
        return b.array();
    }

    /** An RTCP receiver report-like packet from {@link #SSRC}, {@code length} bytes (a multiple of 4, >= 8). */
    static byte[] rtcp(int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put((byte) 0x81).put((byte) 201).putShort((short) (length / 4 - 1)).putInt(SSRC);
        for (int i = 8; i < length; i++) {
            b.put((byte) i);
        }
        return b.array();
    }
}
