package dev.switchboard.relay.sfu.srtp;

/**
 * SRTP's key derivation (RFC 3711 §4.3) with a key derivation rate of 0, as DTLS-SRTP uses it: each session key is
 * the AES-CM keystream under the master key from the IV (label || 0^48) xor master salt, shifted left 16 bits.
 * For AEAD_AES_128_GCM the same PRF makes the 12-byte session salt from the 12-byte master salt (RFC 7714 §12),
 * the salt left-aligned in the 14 bytes and padded with zeros, as libsrtp and the browsers do.
 */
final class SrtpKeyDerivation {

    static final int RTP_ENCRYPTION = 0x00;
    static final int RTP_AUTHENTICATION = 0x01;
    static final int RTP_SALT = 0x02;
    static final int RTCP_ENCRYPTION = 0x03;
    static final int RTCP_AUTHENTICATION = 0x04;
    static final int RTCP_SALT = 0x05;

    private SrtpKeyDerivation() {
    }

    /** The session key of {@code label}, {@code length} bytes long. Called at keying time, not per packet. */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        if (masterSalt.length > 14) {
            throw new IllegalArgumentException("a master salt is at most 14 bytes, not " + masterSalt.length);
        }
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[7] ^= (byte) label; // key_id = label || r is the low 56 bits of the 112-bit salt: the label is byte 7
        byte[] key = new byte[length];
        new AesCounterMode(masterKey).apply(iv, key, 0, length);
        return key;
    }
}
