package dev.switchboard.relay.sfu.srtp;

/**
 * AES-128-GCM with a 12-byte IV and a 16-byte tag, as AEAD_AES_128_GCM (RFC 5116, RFC 7714) needs, in place and
 * without allocating: counter mode from {@link AesCounterMode}, the hash from {@link Ghash}. The JDK's
 * "AES/GCM/NoPadding" needs a new GCMParameterSpec and an init per packet and allocated about 1 KB per packet
 * here (see docs/sfu.md, section SRTP). The AAD may come in two pieces, as SRTCP's does (header, then the E flag
 * and index behind the tag). Decryption checks the tag before it decrypts, so a forged packet is left as it came.
 * One thread at a time.
 */
final class AesGcm {

    static final int TAG_LENGTH = 16;
    static final int IV_LENGTH = 12;

    private final AesCounterMode ctr;
    private final Ghash ghash;
    private final byte[] counter = new byte[16];
    private final byte[] mask = new byte[16];
    private final byte[] tag = new byte[16];

    AesGcm(byte[] key) {
        ctr = new AesCounterMode(key);
        byte[] h = new byte[16];
        ctr.encryptBlock(new byte[16], h);
        ghash = new Ghash(h);
    }

    /** Encrypts {@code data[off, off+len)} in place and writes the tag at {@code data[off+len]}. */
    void seal(byte[] iv, byte[] data, int aadOff, int aadLen, byte[] aad2, int aad2Off, int aad2Len, int off, int len) {
        counterBlock(iv, 2);
        ctr.apply(counter, data, off, len);
        authenticate(iv, data, aadOff, aadLen, aad2, aad2Off, aad2Len, off, len);
        System.arraycopy(tag, 0, data, off + len, TAG_LENGTH);
    }

    /**
     * Checks the tag at {@code data[off+len]} over the AAD and the ciphertext {@code data[off, off+len)}, and if it
     * matches decrypts the ciphertext in place.
     *
     * @return false, with nothing changed, when the tag does not match
     */
    boolean open(byte[] iv, byte[] data, int aadOff, int aadLen, byte[] aad2, int aad2Off, int aad2Len, int off, int len) {
        authenticate(iv, data, aadOff, aadLen, aad2, aad2Off, aad2Len, off, len);
        int diff = 0;
        for (int i = 0; i < TAG_LENGTH; i++) {
            diff |= tag[i] ^ data[off + len + i];
        }
        if (diff != 0) {
            return false;
        }
        counterBlock(iv, 2);
        ctr.apply(counter, data, off, len);
        return true;
    }

    /** tag = GHASH(A, C) xor AES(J0), J0 = IV || 1. */
    private void authenticate(byte[] iv, byte[] data, int aadOff, int aadLen, byte[] aad2, int aad2Off, int aad2Len,
                              int off, int len) {
        ghash.reset();
        ghash.update(data, aadOff, aadLen);
        if (aad2Len > 0) {
            ghash.update(aad2, aad2Off, aad2Len);
        }
        ghash.padBlock();
        ghash.update(data, off, len);
        ghash.finish(aadLen + aad2Len, len, tag);
        counterBlock(iv, 1);
        ctr.encryptBlock(counter, mask);
        for (int i = 0; i < TAG_LENGTH; i++) {
            tag[i] ^= mask[i];
        }
    }

    private void counterBlock(byte[] iv, int value) {
        System.arraycopy(iv, 0, counter, 0, IV_LENGTH);
        counter[12] = 0;
        counter[13] = 0;
        counter[14] = 0;
        counter[15] = (byte) value;
    }
}
