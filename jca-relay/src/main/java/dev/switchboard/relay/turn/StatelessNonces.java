package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunMessage;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * NONCE values that need no state on the server (RFC 8489 §9.2): a nonce is its own expiry time plus an
 * HMAC-SHA256, under a random secret of this server, over that expiry and the client's IP address, sent as 32
 * base64url characters. Handing one out to an unauthenticated client therefore costs no memory, and checking one is
 * a MAC: a nonce that fails it (made up, from another server or server run, or issued to another IP address) is as
 * stale as an expired one.
 *
 * <p>Expiry is in {@link System#nanoTime()} units: nonces never outlive the process that made them, since the secret
 * does not either. Loop thread only (the MAC and buffers are reused).
 */
final class StatelessNonces {

    /** Characters of a nonce: 8 bytes of expiry and 16 of MAC, base64url without padding. */
    static final int LENGTH = 32;
    private static final int RAW = 24;
    private static final int MAC_BYTES = 16;
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = (byte) i;
        }
    }

    private final long lifetimeNanos;
    private final Mac mac;
    private final byte[] raw = new byte[RAW];
    private final byte[] expected = new byte[32];
    private final byte[] text = new byte[LENGTH];

    StatelessNonces(long lifetimeNanos, SecureRandom random) {
        this(lifetimeNanos, secret(random));
    }

    /**
     * @param secret the MAC key: the TURN servers of one relay's loops share it, so a nonce issued on one loop holds
     *               on another (a client moved there when the set of loops changed)
     */
    StatelessNonces(long lifetimeNanos, byte[] secret) {
        this.lifetimeNanos = lifetimeNanos;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    static byte[] secret(SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return secret;
    }

    /** A fresh nonce for {@code client}, valid from {@code now} for the configured lifetime; the array is reused. */
    byte[] issue(StunAddress client, long now) {
        putLong(raw, 0, now + lifetimeNanos);
        sign(client, raw, 8);
        encode(raw, text);
        return text;
    }

    /**
     * True when the NONCE of {@code request} (attribute {@code index}) is one of ours, for this client, not
     * expired at {@code now}.
     */
    boolean isValid(StunMessage request, int index, StunAddress client, long now) {
        if (request.attributeLength(index) != LENGTH) {
            return false;
        }
        int offset = request.attributeOffset(index);
        for (int i = 0; i < LENGTH; i++) {
            text[i] = request.byteAt(offset + i);
        }
        if (!decode(text, raw)) {
            return false;
        }
        long expiry = getLong(raw, 0);
        // Compared as a difference: nanoTime values may be negative and wrap.
        if (expiry - now < 0 || expiry - now > lifetimeNanos) {
            return false;
        }
        sign(client, expected, 0);
        int diff = 0;
        for (int i = 0; i < MAC_BYTES; i++) {
            diff |= expected[i] ^ raw[8 + i];
        }
        return diff == 0;
    }

    /** Writes the truncated MAC of (expiry in raw[0..8), client IP) to {@code out[at..at+16)}. */
    private void sign(StunAddress client, byte[] out, int at) {
        mac.update(raw, 0, 8);
        int n = client.addressLength();
        for (int i = 0; i < n; i++) {
            mac.update(client.addressByte(i));
        }
        try {
            mac.doFinal(expected, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // 32 bytes always fit
        }
        if (out != expected) {
            System.arraycopy(expected, 0, out, at, MAC_BYTES);
        }
    }

    private static void encode(byte[] in, byte[] out) {
        // 24 bytes are 8 groups of 3: no padding, no partial group.
        for (int g = 0, o = 0; g < RAW; g += 3) {
            int v = (in[g] & 0xFF) << 16 | (in[g + 1] & 0xFF) << 8 | (in[g + 2] & 0xFF);
            out[o++] = ALPHABET[v >>> 18];
            out[o++] = ALPHABET[(v >>> 12) & 63];
            out[o++] = ALPHABET[(v >>> 6) & 63];
            out[o++] = ALPHABET[v & 63];
        }
    }

    private static boolean decode(byte[] in, byte[] out) {
        for (int o = 0, i = 0; i < LENGTH; i += 4) {
            int v = 0;
            for (int k = 0; k < 4; k++) {
                int c = in[i + k];
                int d = c < 0 ? -1 : VALUES[c];
                if (d < 0) {
                    return false;
                }
                v = v << 6 | d;
            }
            out[o++] = (byte) (v >>> 16);
            out[o++] = (byte) (v >>> 8);
            out[o++] = (byte) v;
        }
        return true;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }
}
