package dev.switchboard.relay.sfu.ice;

import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunKeys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The short-term credentials of one ICE session (RFC 8445 §5.3, RFC 8839 §5.4): ours, generated here and sent in
 * the answer's {@code a=ice-ufrag}/{@code a=ice-pwd}, and the peer's, from its offer. A check from the peer
 * carries USERNAME {@code <localUfrag>:<remoteUfrag>} and MESSAGE-INTEGRITY keyed with our password.
 */
public final class IceCredentials {

    /** RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/". */
    static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    /** 8 characters of 6 bits: 48 random bits, ample for a name that only has to be unique among sessions. */
    public static final int LOCAL_UFRAG_LENGTH = 8;
    /** 24 characters: 144 random bits, above RFC 8445 §5.3's 128. */
    public static final int LOCAL_PWD_LENGTH = 24;
    /** RFC 8839 §5.4: ufrag 4–256 characters, pwd 22–256. */
    public static final int MIN_UFRAG = 4;
    public static final int MIN_PWD = 22;
    public static final int MAX_LENGTH = 256;

    private final String localUfrag;
    private final String localPwd;
    private final String remoteUfrag;
    private final String remotePwd;
    private final byte[] localUfragBytes;
    private final byte[] remoteUfragBytes;
    private final byte[] localKey;

    /**
     * @throws IllegalArgumentException when a value is not an ice-ufrag/ice-pwd of RFC 8839 §5.4
     */
    public IceCredentials(String localUfrag, String localPwd, String remoteUfrag, String remotePwd) {
        this.localUfrag = check("local ufrag", localUfrag, MIN_UFRAG);
        this.localPwd = check("local pwd", localPwd, MIN_PWD);
        this.remoteUfrag = check("remote ufrag", remoteUfrag, MIN_UFRAG);
        this.remotePwd = check("remote pwd", remotePwd, MIN_PWD);
        localUfragBytes = localUfrag.getBytes(StandardCharsets.US_ASCII);
        remoteUfragBytes = remoteUfrag.getBytes(StandardCharsets.US_ASCII);
        try {
            localKey = StunKeys.shortTerm(localPwd);
        } catch (StunException e) {
            throw new IllegalArgumentException("local pwd: " + e.getMessage(), e); // ice-chars always pass SASLprep
        }
    }

    /** New local credentials drawn from {@code random}, for the peer's {@code remoteUfrag}/{@code remotePwd}. */
    public static IceCredentials generate(SecureRandom random, String remoteUfrag, String remotePwd) {
        return new IceCredentials(randomIceChars(random, LOCAL_UFRAG_LENGTH), randomIceChars(random, LOCAL_PWD_LENGTH),
                remoteUfrag, remotePwd);
    }

    /**
     * As {@link #generate(SecureRandom, String, String)} with the local ufrag's first character given: an owner of
     * several agents (one per event loop) names the agent in it, so the first byte of a check's USERNAME tells
     * which loop's agent to ask, without a shared table. The other 7 characters keep 42 random bits.
     *
     * @param first one of the 64 ice-chars
     */
    public static IceCredentials generate(SecureRandom random, char first, String remoteUfrag, String remotePwd) {
        if (ICE_CHARS.indexOf(first) < 0) {
            throw new IllegalArgumentException("not an ice-char: " + first);
        }
        return new IceCredentials(first + randomIceChars(random, LOCAL_UFRAG_LENGTH - 1),
                randomIceChars(random, LOCAL_PWD_LENGTH), remoteUfrag, remotePwd);
    }

    /** The ice-char at {@code index} (0..63) of RFC 8839's alphabet, and {@link #iceCharIndex} the way back. */
    public static char iceChar(int index) {
        return ICE_CHARS.charAt(index);
    }

    /** The index (0..63) of an ice-char given as a byte, or -1 for any other byte. */
    public static int iceCharIndex(int b) {
        return b < 0 || b > 127 ? -1 : ICE_CHARS.indexOf(b);
    }

    /** {@code length} ice-chars, 6 random bits each. */
    static String randomIceChars(SecureRandom random, int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length()));
        }
        return new String(c);
    }

    /** True when {@code s} is {@code min}..256 ice-chars. */
    public static boolean isIceChars(String s, int min) {
        if (s == null || s.length() < min || s.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (ICE_CHARS.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String check(String what, String value, int min) {
        if (!isIceChars(value, min)) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + MAX_LENGTH
                    + " characters of A-Z a-z 0-9 + / (RFC 8839 §5.4)");
        }
        return value;
    }

    public String localUfrag() {
        return localUfrag;
    }

    public String localPwd() {
        return localPwd;
    }

    public String remoteUfrag() {
        return remoteUfrag;
    }

    public String remotePwd() {
        return remotePwd;
    }

    /** The MESSAGE-INTEGRITY key of checks we receive and of our answers (RFC 8489 §9.1.1). */
    byte[] localKey() {
        return localKey;
    }

    byte[] localUfragBytes() {
        return localUfragBytes;
    }

    byte[] remoteUfragBytes() {
        return remoteUfragBytes;
    }

    @Override
    public String toString() {
        return "IceCredentials(" + localUfrag + ":" + remoteUfrag + ")"; // never the passwords
    }
}
