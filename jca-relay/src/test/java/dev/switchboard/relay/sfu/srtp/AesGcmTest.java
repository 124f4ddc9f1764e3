package dev.switchboard.relay.sfu.srtp;

import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our GCM against the JDK's "AES/GCM/NoPadding" on random keys, IVs, AAD splits and lengths across block edges. */
class AesGcmTest {

    @Test
    void sealMatchesTheJdkAndOpenInvertsIt() throws Exception {
        Random random = new Random(7714);
        for (int round = 0; round < 400; round++) {
            byte[] key = new byte[16];
            byte[] iv = new byte[12];
            random.nextBytes(key);
            random.nextBytes(iv);
            int aadLength = random.nextInt(40);
            int aadSplit = random.nextInt(aadLength + 1);
            int textLength = round < 100 ? round : random.nextInt(3000);
            byte[] aad2 = new byte[aadLength - aadSplit + 3];
            byte[] packet = new byte[aadSplit + textLength + 16];
            random.nextBytes(packet);
            random.nextBytes(aad2);

            Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            jdk.updateAAD(packet, 0, aadSplit);
            jdk.updateAAD(aad2, 3, aadLength - aadSplit);
            byte[] expected = jdk.doFinal(packet, aadSplit, textLength);

            byte[] plain = packet.clone();
            AesGcm gcm = new AesGcm(key);
            gcm.seal(iv, packet, 0, aadSplit, aad2, 3, aadLength - aadSplit, aadSplit, textLength);
            assertArrayEquals(expected, Arrays.copyOfRange(packet, aadSplit, packet.length), "round " + round);

            assertTrue(gcm.open(iv, packet, 0, aadSplit, aad2, 3, aadLength - aadSplit, aadSplit, textLength));
            assertArrayEquals(Arrays.copyOf(plain, aadSplit + textLength), Arrays.copyOf(packet, aadSplit + textLength));
        }
    }

    @Test
    void openRefusesAnyChangeAndLeavesTheTextAsItWas() {
        byte[] key = new byte[16];
        byte[] iv = new byte[12];
        byte[] packet = new byte[12 + 100 + 16];
        Arrays.fill(packet, (byte) 0x5A);
        AesGcm gcm = new AesGcm(key);
        gcm.seal(iv, packet, 0, 12, null, 0, 0, 12, 100);
        for (int at = 0; at < packet.length; at += 7) {
            byte[] forged = packet.clone();
            forged[at] ^= 0x01;
            byte[] before = forged.clone();
            assertFalse(gcm.open(iv, forged, 0, 12, null, 0, 0, 12, 100), "bit at " + at);
            assertArrayEquals(before, forged);
        }
        byte[] otherIv = iv.clone();
        otherIv[11] = 1;
        assertFalse(gcm.open(otherIv, packet.clone(), 0, 12, null, 0, 0, 12, 100));
        assertEquals(128, packet.length);
    }
}
