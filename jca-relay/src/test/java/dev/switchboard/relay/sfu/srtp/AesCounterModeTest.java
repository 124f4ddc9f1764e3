package dev.switchboard.relay.sfu.srtp;

import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * AesCounterMode against the JDK's AES/CTR inited the ordinary way (a new SecretKeySpec and IvParameterSpec each
 * time): several instances used in turn on one thread, as a fan-out does, share the per-thread scratch and each
 * reuse their own counter array, and neither may leak into the next packet; lengths across the scratch's size.
 */
class AesCounterModeTest {

    @Test
    void instancesTakenInTurnMatchTheJdksCtr() throws Exception {
        Random random = new Random(3711);
        byte[][] keys = new byte[3][16];
        AesCounterMode[] ours = new AesCounterMode[keys.length];
        for (int k = 0; k < keys.length; k++) {
            random.nextBytes(keys[k]);
            ours[k] = new AesCounterMode(keys[k]);
        }
        for (int round = 0; round < 300; round++) {
            int k = round % keys.length;
            byte[] iv = new byte[16];
            random.nextBytes(iv);
            int length = round % 50 == 0 ? 2048 + random.nextInt(3000) : random.nextInt(1500);
            int off = random.nextInt(20);
            byte[] data = new byte[off + length + 7];
            random.nextBytes(data);
            byte[] expected = data.clone();
            Cipher jdk = Cipher.getInstance("AES/CTR/NoPadding");
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys[k], "AES"), new IvParameterSpec(iv));
            jdk.doFinal(data, off, length, expected, off);
            ours[k].apply(iv, data, off, length);
            assertArrayEquals(expected, data, "round " + round + ", " + length + " bytes at " + off);
        }
    }

    /** next() goes on where the keystream stopped, over calls of any lengths (GCM takes its tag mask first). */
    @Test
    void nextContinuesTheKeystream() {
        byte[] key = new byte[16];
        byte[] iv = new byte[16];
        new Random(7714).nextBytes(key);
        iv[15] = 1;
        byte[] whole = new byte[100];
        new AesCounterMode(key).apply(iv, whole, 0, whole.length);
        AesCounterMode pieces = new AesCounterMode(key);
        byte[] inPieces = new byte[100];
        pieces.start(iv);
        pieces.next(inPieces, 0, 16);
        pieces.next(inPieces, 16, 5);
        pieces.next(inPieces, 21, 79);
        assertArrayEquals(whole, inPieces);
    }
}
