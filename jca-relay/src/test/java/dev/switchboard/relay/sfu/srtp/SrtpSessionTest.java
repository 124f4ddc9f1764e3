package dev.switchboard.relay.sfu.srtp;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SrtpSessionTest {

    @Test
    void profilesCarryTheirUseSrtpIdsAndLengths() {
        assertEquals(SrtpProfile.AES128_CM_HMAC_SHA1_80, SrtpProfile.forId(0x0001));
        assertEquals(SrtpProfile.AES128_CM_HMAC_SHA1_32, SrtpProfile.forId(0x0002));
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.forId(0x0007));
        assertNull(SrtpProfile.forId(0x0008)); // AEAD_AES_256_GCM: not offered
        assertEquals(60, SrtpProfile.AES128_CM_HMAC_SHA1_80.keyingMaterialLength());
        assertEquals(56, SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLength());
        assertEquals(4, SrtpProfile.AES128_CM_HMAC_SHA1_32.rtpTagLength());
        assertEquals(14, SrtpProfile.AES128_CM_HMAC_SHA1_32.rtcpOverhead());
        assertEquals(20, SrtpProfile.AEAD_AES_128_GCM.rtcpOverhead());
    }

    /**
     * RFC 5764 §4.2: client key, server key, client salt, server salt. The server's outbound context uses the
     * server's pair, which a context keyed directly with the server's master key and salt reproduces.
     */
    @Test
    void keyingMaterialIsSplitAsRfc5764LaysItOut() {
        SrtpProfile profile = SrtpProfile.AES128_CM_HMAC_SHA1_80;
        byte[] material = SrtpContextTest.material(profile);
        byte[] serverKey = Arrays.copyOfRange(material, 16, 32);
        byte[] serverSalt = Arrays.copyOfRange(material, 46, 60);
        SrtpContext expected = new SrtpContext(profile, SrtpSessionKeys.derive(profile, serverKey, serverSalt), 1);
        SrtpSession server = SrtpSession.fromDtls(profile, material, SrtpSession.Role.SERVER);

        byte[] rtp = SrtpContextTest.rtp(9, 30, false);
        byte[] a = Arrays.copyOf(rtp, rtp.length + 10);
        byte[] b = a.clone();
        server.outbound().protectRtp(a, 0, rtp.length, a.length);
        expected.protectRtp(b, 0, rtp.length, b.length);
        assertArrayEquals(b, a);

        byte[] clientKey = Arrays.copyOfRange(material, 0, 16);
        byte[] clientSalt = Arrays.copyOfRange(material, 32, 46);
        SrtpContext client = new SrtpContext(profile, SrtpSessionKeys.derive(profile, clientKey, clientSalt), 1);
        byte[] c = Arrays.copyOf(rtp, rtp.length + 10);
        client.protectRtp(c, 0, rtp.length, c.length);
        assertEquals(rtp.length, server.inbound().unprotectRtp(c, 0, c.length));
    }

    @Test
    void keyingMaterialOfAnotherLengthIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> SrtpSession.fromDtls(SrtpProfile.AEAD_AES_128_GCM,
                new byte[60], SrtpSession.Role.SERVER));
        assertThrows(IllegalArgumentException.class, () -> SrtpSession.fromDtls(SrtpProfile.AES128_CM_HMAC_SHA1_80,
                new byte[60], SrtpSession.Role.SERVER, 0, 1));
    }
}
