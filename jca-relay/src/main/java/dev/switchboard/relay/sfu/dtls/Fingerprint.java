package dev.switchboard.relay.sfu.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A certificate's SHA-256 fingerprint as SDP carries it (RFC 8122 §5): {@code a=fingerprint:sha-256 AB:CD:…}, 32
 * bytes as upper-case hex pairs joined by colons. The peer's certificate in the DTLS handshake must hash to the
 * fingerprint of its SDP; that binding is all the authentication DTLS-SRTP has.
 */
public final class Fingerprint {

    public static final String ALGORITHM = "sha-256";
    private static final int LENGTH = 32;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final byte[] hash;

    private Fingerprint(byte[] hash) {
        this.hash = hash;
    }

    /** The fingerprint of a DER-encoded certificate. */
    public static Fingerprint of(byte[] certificateDer) {
        return new Fingerprint(sha256(certificateDer));
    }

    /**
     * Parses an SDP fingerprint value, {@code sha-256 AB:CD:…} or the hex pairs alone, hex in either case.
     *
     * @throws IllegalArgumentException for another hash function, or not 32 colon-separated hex pairs
     */
    public static Fingerprint parse(String value) {
        String v = value.trim();
        int space = v.indexOf(' ');
        if (space >= 0) {
            String algorithm = v.substring(0, space);
            if (!ALGORITHM.equalsIgnoreCase(algorithm)) {
                throw new IllegalArgumentException("fingerprint hash must be " + ALGORITHM + ", got " + algorithm);
            }
            v = v.substring(space + 1).trim();
        }
        if (v.length() != LENGTH * 3 - 1) {
            throw new IllegalArgumentException("a " + ALGORITHM + " fingerprint is 32 hex pairs joined by ':'");
        }
        byte[] hash = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            int at = i * 3;
            int hi = Character.digit(v.charAt(at), 16);
            int lo = Character.digit(v.charAt(at + 1), 16);
            if (hi < 0 || lo < 0 || (i < LENGTH - 1 && v.charAt(at + 2) != ':')) {
                throw new IllegalArgumentException("malformed fingerprint at pair " + i);
            }
            hash[i] = (byte) (hi << 4 | lo);
        }
        return new Fingerprint(hash);
    }

    /** Whether the DER-encoded certificate hashes to this fingerprint (compared in constant time). */
    public boolean matches(byte[] certificateDer) {
        return MessageDigest.isEqual(hash, sha256(certificateDer));
    }

    /** The hex pairs, {@code AB:CD:…}. */
    public String hex() {
        StringBuilder sb = new StringBuilder(LENGTH * 3 - 1);
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HEX[(hash[i] >> 4) & 0xF]).append(HEX[hash[i] & 0xF]);
        }
        return sb.toString();
    }

    /** The value of SDP's {@code a=fingerprint:} attribute, {@code sha-256 AB:CD:…}. */
    public String sdpValue() {
        return ALGORITHM + " " + hex();
    }

    public byte[] bytes() {
        return hash.clone();
    }

    private static byte[] sha256(byte[] der) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && Arrays.equals(hash, f.hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return sdpValue();
    }
}
