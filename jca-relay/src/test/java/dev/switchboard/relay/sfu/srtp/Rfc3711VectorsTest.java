package dev.switchboard.relay.sfu.srtp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 3711 Appendix B: the AES-CM keystream (B.2) and the key derivation (B.3). */
class Rfc3711VectorsTest {

    /** B.2: 1044512 octets (65282 blocks) of keystream from the already shifted salt, SSRC, ROC and SEQ zero. */
    @Test
    void aesCmKeystreamIsAppendixB2() {
        AesCounterMode ctr = new AesCounterMode(Hex.bytes("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] keystream = new byte[1_044_512];
        ctr.apply(Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), keystream, 0, keystream.length);
        assertEquals(("E03EAD0935C95E80E166B16DD92B4EB4"
                        + "D23513162B02D0F72A43A2FE4A5F97AB"
                        + "41E95B3BB0A2E8DD477901E4FCA894C0").toLowerCase(),
                Hex.of(keystream, 0, 48));
        assertEquals(("EC8CDF7398607CB0F2D21675EA9EA1E4"
                        + "362B7C3C6773516318A077D7FC5073AE"
                        + "6A2CC3787889374FBEB4C81B17BA6C44").toLowerCase(),
                Hex.of(keystream, keystream.length - 48, 48));
    }

    /** The same keystream built through the SRTP IV of a context: salt F0..FD, SSRC 0, index 0. */
    @Test
    void aesCmKeystreamThroughThePacketIv() {
        byte[] key = Hex.bytes("2B7E151628AED2A6ABF7158809CF4F3C");
        SrtpSessionKeys keys = new SrtpSessionKeys(key, new byte[20], Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"),
                key, new byte[20], Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"));
        SrtpContext context = new SrtpContext(SrtpProfile.AES128_CM_HMAC_SHA1_80, keys, 1);
        byte[] packet = new byte[12 + 48 + 10];
        packet[0] = (byte) 0x80; // seq 0, SSRC 0, payload of zeros: the ciphertext is the keystream
        assertEquals(70, context.protectRtp(packet, 0, 60, packet.length));
        assertEquals(("E03EAD0935C95E80E166B16DD92B4EB4"
                        + "D23513162B02D0F72A43A2FE4A5F97AB"
                        + "41E95B3BB0A2E8DD477901E4FCA894C0").toLowerCase(),
                Hex.of(packet, 12, 48));
    }

    /** B.3: master key and salt to cipher key (label 0), cipher salt (label 2) and the 94-octet auth key (label 1). */
    @Test
    void keyDerivationIsAppendixB3() {
        byte[] masterKey = Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] masterSalt = Hex.bytes("0EC675AD498AFEEBB6960B3AABE6");
        assertEquals("c61e7a93744f39ee10734afe3ff7a087",
                Hex.of(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTP_ENCRYPTION, 16)));
        assertEquals("30cbbc08863d8c85d49db34a9ae1",
                Hex.of(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTP_SALT, 14)));
        assertEquals(("CEBE321F6FF7716B6FD4AB49AF256A15"
                        + "6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                        + "E049646C43D9327AD175578EF7227098"
                        + "6371C10C9A369AC2F94A8C5FBCDDDC25"
                        + "6D6E919A48B610EF17C2041E47403576"
                        + "6B68642C59BBFC2F34DB60DBDFB2").toLowerCase(),
                Hex.of(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTP_AUTHENTICATION, 94)));
    }

    /** A profile's session keys take the first 20 octets of the label-1 block as the HMAC key. */
    @Test
    void sessionKeysOfAnAesCmProfile() {
        SrtpSessionKeys keys = SrtpSessionKeys.derive(SrtpProfile.AES128_CM_HMAC_SHA1_80,
                Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139"), Hex.bytes("0EC675AD498AFEEBB6960B3AABE6"));
        assertEquals("c61e7a93744f39ee10734afe3ff7a087", Hex.of(keys.rtpKey));
        assertEquals("cebe321f6ff7716b6fd4ab49af256a156d38baa4", Hex.of(keys.rtpAuthKey));
        assertEquals("30cbbc08863d8c85d49db34a9ae1", Hex.of(keys.rtpSalt));
    }
}
