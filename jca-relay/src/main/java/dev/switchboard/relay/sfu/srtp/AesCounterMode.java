package dev.switchboard.relay.sfu.srtp;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * AES in counter mode as SRTP (RFC 3711 §4.1.1) and GCM (NIST SP 800-38D's GCTR) use it: the keystream is AES of
 * successive counter blocks, XORed onto the data in place. Built on one "AES/ECB/NoPadding" Cipher, which
 * encrypts a run of counter blocks per call without allocating, where "AES/CTR" would want a new IvParameterSpec
 * and an init per packet. Counter blocks and keystream are made in chunks, so a context holds 2 KiB here whatever
 * the packet size. One thread at a time.
 */
final class AesCounterMode {

    private static final int CHUNK = 1024; // bytes of keystream per Cipher call: 64 blocks

    private final Cipher ecb;
    private final byte[] counters = new byte[CHUNK];
    private final byte[] keystream = new byte[CHUNK];

    AesCounterMode(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES: " + e, e);
        }
    }

    /**
     * XORs {@code data[off, off+len)} with the keystream whose first block is AES of {@code iv}, the next of iv with
     * its low 32 bits plus one, and so on (GCM's inc32; for SRTP's AES-CM, whose IV ends in 16 zero bits and whose
     * packets are shorter than 2^16 blocks, the same as adding to the whole 128-bit value).
     */
    void apply(byte[] iv, byte[] data, int off, int len) {
        int base = (iv[12] & 0xFF) << 24 | (iv[13] & 0xFF) << 16 | (iv[14] & 0xFF) << 8 | iv[15] & 0xFF;
        int block = 0;
        while (len > 0) {
            int chunk = Math.min(len, CHUNK);
            int blocks = (chunk + 15) >>> 4;
            for (int b = 0; b < blocks; b++, block++) {
                int at = b << 4;
                System.arraycopy(iv, 0, counters, at, 12);
                int counter = base + block;
                counters[at + 12] = (byte) (counter >>> 24);
                counters[at + 13] = (byte) (counter >>> 16);
                counters[at + 14] = (byte) (counter >>> 8);
                counters[at + 15] = (byte) counter;
            }
            encrypt(counters, blocks << 4, keystream);
            for (int i = 0; i < chunk; i++) {
                data[off + i] ^= keystream[i];
            }
            off += chunk;
            len -= chunk;
        }
    }

    /** AES of one 16-byte block (GCM's hash key and tag mask). */
    void encryptBlock(byte[] in, byte[] out) {
        encrypt(in, 16, out);
    }

    private void encrypt(byte[] in, int len, byte[] out) {
        try {
            ecb.update(in, 0, len, out, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // the buffers are sized for CHUNK: cannot happen
        }
    }
}
