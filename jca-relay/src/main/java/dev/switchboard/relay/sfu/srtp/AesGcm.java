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
        ctr.apply(new byte[16], h, 0, 16); // AES of the zero block
        ghash = new Ghash(h);
    }

    /** Encrypts {@code data[off, off+len)} in place and writes the tag at {@code data[off+len]}. */
    void seal(byte[] iv, byte[] data, int aadOff, int aadLen, byte[] aad2, int aad2Off, int aad2Len, int off, int len) {
        startAtJ0(iv);
        ctr.next(data, off, len); // the counter goes on from J0 + 1
        authenticate(data, aadOff, aadLen, aad2, aad2Off, aad2Len, off, len);
        System.arraycopy(tag, 0, data, off + len, TAG_LENGTH);
    }

    /**
     * Checks the tag at {@code data[off+len]} over the AAD and the ciphertext {@code data[off, off+len)}, and if it
     * matches decrypts the ciphertext in place.
     *
     * @return false, with nothing changed, when the tag does not match
     */
    boolean open(byte[] iv, byte[] data, int aadOff, int aadLen, byte[] aad2, int aad2Off, int aad2Len, int off, int len) {
        startAtJ0(iv);
        authenticate(data, aadOff, aadLen, aad2, aad2Off, aad2Len, off, len);
        int diff = 0;
        for (int i = 0; i < TAG_LENGTH; i++) {
            diff |= tag[i] ^ data[off + len + i];
        }
        if (diff != 0) {
            return false;
        }
        ctr.next(data, off, len); // the counter goes on from J0 + 1
        return true;
    }

    /**
     * Sets the counter to J0 = IV || 1 and takes AES(J0), the tag's mask, from it: one Cipher init per packet for
     * the mask and the text, whose counter blocks follow J0.
     */
    private void startAtJ0(byte[] iv) {
        System.arraycopy(iv, 0, counter, 0, IV_LENGTH);
        counter[12] = 0;
        counter[13] = 0;
        counter[14] = 0;
        counter[15] = 1;
        ctr.start(counter);
        for (int i = 0; i < TAG_LENGTH; i++) {
            mask[i] = 0;
        }
        ctr.next(mask, 0, TAG_LENGTH);
    }

    /** tag = GHASH(A, C) xor AES(J0), the mask taken by {@link #startAtJ0}. */
    private void authenticate(byte[] data, int aadOff, int aadLen, byte[] aad2, int aad2Off, int aad2Len,
                              int off, int len) {
        ghash.reset();
        ghash.update(data, aadOff, aadLen);
        if (aad2Len > 0) {
            ghash.update(aad2, aad2Off, aad2Len);
        }
        ghash.padBlock();
        ghash.update(data, off, len);
        ghash.finish(aadLen + aad2Len, len, tag);
        for (int i = 0; i < TAG_LENGTH; i++) {
            tag[i] ^= mask[i];
        }
    }
}
