package dev.switchboard.relay.sfu.dtls;

import org.bouncycastle.tls.SRTPProtectionProfile;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SrtpKeyingMaterialTest {

    /** RFC 5764 §4.2: client_write_SRTP_master_key, server_write_SRTP_master_key, then the two salts. */
    @Test
    void splitsInRfc5764Order() {
        byte[] exported = new byte[SrtpProfileId.AES128_CM_HMAC_SHA1_80.keyingMaterialLength()];
        for (int i = 0; i < exported.length; i++) {
            exported[i] = (byte) i;
        }
        SrtpKeyingMaterial m = SrtpKeyingMaterial.split(SrtpProfileId.AES128_CM_HMAC_SHA1_80, exported);

        assertEquals(60, exported.length);
        assertArrayEquals(range(0, 16), m.clientKey());
        assertArrayEquals(range(16, 32), m.serverKey());
        assertArrayEquals(range(32, 46), m.clientSalt());
        assertArrayEquals(range(46, 60), m.serverSalt());
    }

    @Test
    void aeadGcmHasTwelveByteSalts() {
        // RFC 7714 §12: 128-bit key, 96-bit salt.
        byte[] exported = range(0, 56);
        SrtpKeyingMaterial m = SrtpKeyingMaterial.split(SrtpProfileId.AEAD_AES_128_GCM, exported);

        assertEquals(56, SrtpProfileId.AEAD_AES_128_GCM.keyingMaterialLength());
        assertArrayEquals(range(32, 44), m.clientSalt());
        assertArrayEquals(range(44, 56), m.serverSalt());
    }

    @Test
    void refusesTheWrongLengthAndKeepsItsOwnCopies() {
        assertThrows(IllegalArgumentException.class,
                () -> SrtpKeyingMaterial.split(SrtpProfileId.AEAD_AES_128_GCM, new byte[60]));
        SrtpKeyingMaterial m = SrtpKeyingMaterial.split(SrtpProfileId.AEAD_AES_128_GCM, range(0, 56));
        m.clientKey()[0] = 99;
        assertEquals(0, m.clientKey()[0]);
        assertFalse(m.toString().contains("0, 1"), "no key bytes in logs");
    }

    @Test
    void profileChoiceFollowsOurPreferenceNotTheClients() {
        int gcm = SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM;
        int sha80 = SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;
        int sha32 = SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32;

        assertEquals(SrtpProfileId.AES128_CM_HMAC_SHA1_80, SrtpProfileId.choose(new int[] {gcm, sha32, sha80}));
        assertEquals(SrtpProfileId.AEAD_AES_128_GCM, SrtpProfileId.choose(new int[] {sha32, gcm}));
        assertEquals(SrtpProfileId.AES128_CM_HMAC_SHA1_80, SrtpProfileId.choose(new int[] {sha32, sha80}));
        assertEquals(SrtpProfileId.AES128_CM_HMAC_SHA1_32, SrtpProfileId.choose(new int[] {sha32}));
        assertNull(SrtpProfileId.choose(new int[] {SRTPProtectionProfile.SRTP_NULL_HMAC_SHA1_80}));
        assertNull(SrtpProfileId.choose(new int[0]));
        // The wire values of RFC 5764 §4.1.2 and RFC 7714 §14.2.
        assertEquals(0x0001, SrtpProfileId.AES128_CM_HMAC_SHA1_80.id());
        assertEquals(0x0002, SrtpProfileId.AES128_CM_HMAC_SHA1_32.id());
        assertEquals(0x0007, SrtpProfileId.AEAD_AES_128_GCM.id());
    }

    private static byte[] range(int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }
}
