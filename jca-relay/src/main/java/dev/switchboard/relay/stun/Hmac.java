package dev.switchboard.relay.stun;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC (RFC 2104) on a reused {@link MessageDigest}. {@code javax.crypto.Mac} needs a new {@code SecretKeySpec}
 * (and copies the key) on every {@code init}, and a STUN server switches keys per packet; this re-keys with two
 * XOR passes over preallocated blocks, so nothing is allocated per packet. Not thread-safe.
 */
final class Hmac {

    private static final int BLOCK = 64; // SHA-1 and SHA-256 both use 64-byte blocks

    private final MessageDigest digest;
    private final int macLength;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] innerHash;

    private Hmac(String algorithm) {
        try {
            this.digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
        this.macLength = digest.getDigestLength();
        this.innerHash = new byte[macLength];
    }

    static Hmac sha1() {
        return new Hmac("SHA-1");
    }

    static Hmac sha256() {
        return new Hmac("SHA-256");
    }

    int macLength() {
        return macLength;
    }

    /** Starts a MAC under {@code key}. */
    void init(byte[] key) {
        digest.reset();
        if (key.length > BLOCK) {
            // RFC 2104 §2: longer keys are hashed first; the hash lands in innerPad as the padded key.
            digest.update(key);
            finish(innerPad, 0);
            Arrays.fill(innerPad, macLength, BLOCK, (byte) 0);
        } else {
            System.arraycopy(key, 0, innerPad, 0, key.length);
            Arrays.fill(innerPad, key.length, BLOCK, (byte) 0);
        }
        for (int i = 0; i < BLOCK; i++) {
            outerPad[i] = (byte) (innerPad[i] ^ 0x5c);
            innerPad[i] = (byte) (innerPad[i] ^ 0x36);
        }
        digest.update(innerPad);
    }

    void update(byte b) {
        digest.update(b);
    }

    void update(byte[] b, int offset, int length) {
        digest.update(b, offset, length);
    }

    /** Feeds the bytes between position and limit (consumes them). */
    void update(ByteBuffer b) {
        digest.update(b);
    }

    /** Writes the {@link #macLength()}-byte MAC to {@code out}; a new {@link #init} must follow. */
    void doFinal(byte[] out, int offset) {
        finish(innerHash, 0);
        digest.update(outerPad);
        digest.update(innerHash);
        finish(out, offset);
    }

    private void finish(byte[] out, int offset) {
        try {
            digest.digest(out, offset, macLength);
        } catch (DigestException e) {
            throw new IllegalStateException("output buffer sized by the digest itself", e);
        }
    }
}
