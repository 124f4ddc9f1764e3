package dev.switchboard.relay.sfu.srtp;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RFC 7714 §16.1 (SRTP) and §17.1 (SRTCP) with AEAD_AES_128_GCM: the published session key 000102..0f and salt
 * "Quid pro quo", the packets and their encryptions.
 */
class Rfc7714VectorsTest {

    private static final byte[] KEY = Hex.bytes("000102030405060708090a0b0c0d0e0f");
    private static final byte[] SALT = Hex.bytes("517569642070726f2071756f");

    /** §16.1: a 12-octet header and the 38-octet payload "Gallia est omnis divisa in partes tres"; ROC 0. */
    private static final byte[] RTP = Hex.bytes(
            "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976"
                    + "69736120 696e2070 61727465 73207472 6573");
    private static final byte[] SRTP = Hex.bytes(
            "8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5"
                    + "0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce");

    /** §17.1: an RTCP packet with SRTCP index 000005d4, encrypted. */
    private static final byte[] RTCP = Hex.bytes(
            "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61"
                    + "deadbeef deadbeef deadbeef deadbeef deadbeef");
    private static final byte[] SRTCP = Hex.bytes(
            "81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d"
                    + "c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872"
                    + "45d9eade 800005d4");

    private static SrtpContext context() {
        SrtpSessionKeys keys = new SrtpSessionKeys(KEY, new byte[0], SALT, KEY, new byte[0], SALT);
        return new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, keys, 4);
    }

    @Test
    void srtpEncryptionIsSection16_1_1() {
        byte[] packet = Arrays.copyOf(RTP, RTP.length + 16);
        assertEquals(SRTP.length, context().protectRtp(packet, 0, RTP.length, packet.length));
        assertEquals(Hex.of(SRTP), Hex.of(packet));
    }

    @Test
    void srtpDecryptionIsSection16_1_2() {
        byte[] packet = SRTP.clone();
        assertEquals(RTP.length, context().unprotectRtp(packet, 0, packet.length));
        assertEquals(Hex.of(RTP), Hex.of(packet, 0, RTP.length));
    }

    @Test
    void srtpWithAFlippedBitIsRefusedAndLeftAlone() {
        for (int at : new int[]{3, 20, SRTP.length - 1}) {
            byte[] packet = SRTP.clone();
            packet[at] ^= 0x08;
            byte[] before = packet.clone();
            assertEquals(SrtpResult.AUTH_FAILED, context().unprotectRtp(packet, 0, packet.length), "bit at " + at);
            assertArrayEquals(before, packet);
        }
    }

    @Test
    void srtcpEncryptionIsSection17_1() {
        SrtpContext context = context();
        byte[] packet = new byte[RTCP.length + 20];
        for (int index = 0; index < 0x5d4; index++) { // the vector's index: the context counts from 0
            System.arraycopy(RTCP, 0, packet, 0, RTCP.length);
            assertEquals(SRTCP.length, context.protectRtcp(packet, 0, RTCP.length, packet.length));
        }
        System.arraycopy(RTCP, 0, packet, 0, RTCP.length);
        assertEquals(SRTCP.length, context.protectRtcp(packet, 0, RTCP.length, packet.length));
        assertEquals(Hex.of(SRTCP), Hex.of(packet));
    }

    @Test
    void srtcpDecryptionIsSection17_1Reversed() {
        byte[] packet = SRTCP.clone();
        SrtpContext context = context();
        assertEquals(RTCP.length, context.unprotectRtcp(packet, 0, packet.length));
        assertEquals(Hex.of(RTCP), Hex.of(packet, 0, RTCP.length));
        assertEquals(SrtpResult.REPLAYED, context.unprotectRtcp(SRTCP.clone(), 0, SRTCP.length));
    }

    @Test
    void srtcpWithAnAlteredIndexIsRefused() {
        byte[] packet = SRTCP.clone();
        packet[packet.length - 1] ^= 1; // the index is in the IV and the AAD
        assertEquals(SrtpResult.AUTH_FAILED, context().unprotectRtcp(packet, 0, packet.length));
        packet = SRTCP.clone();
        packet[packet.length - 4] &= 0x7F; // E flag cleared: the packet would be taken as authenticated-only
        assertEquals(SrtpResult.AUTH_FAILED, context().unprotectRtcp(packet, 0, packet.length));
    }
}
