package dev.switchboard.relay.sfu.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) on a reused MessageDigest. The JDK's Mac would do, but its doFinal(byte[], int) makes a new
 * array for every tag; this one hashes the padded key blocks itself (two extra SHA-1 blocks per packet) and
 * writes the tag into its own array, so authenticating a packet allocates nothing. One thread at a time.
 */
final class HmacSha1 {

    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] tag = new byte[LENGTH];

    HmacSha1(byte[] key) {
        if (key.length > BLOCK) {
            throw new IllegalArgumentException("an SRTP auth key is 20 bytes, not " + key.length);
        }
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1: " + e, e);
        }
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5C);
        }
    }

    void start() {
        sha1.reset();
        sha1.update(innerPad, 0, BLOCK);
    }

    void update(byte[] data, int off, int len) {
        sha1.update(data, off, len);
    }

    /** Finishes the MAC begun by {@link #start}; the answer is valid until the next call. */
    byte[] finish() {
        try {
            sha1.digest(tag, 0, LENGTH);
            sha1.update(outerPad, 0, BLOCK);
            sha1.update(tag, 0, LENGTH);
            sha1.digest(tag, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // the array holds 20 bytes: cannot happen
        }
        return tag;
    }
}
