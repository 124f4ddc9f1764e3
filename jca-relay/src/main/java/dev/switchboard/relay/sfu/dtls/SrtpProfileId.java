package dev.switchboard.relay.sfu.dtls;

import org.bouncycastle.tls.SRTPProtectionProfile;

/**
 * The SRTP protection profiles the DTLS server negotiates in {@code use_srtp} (RFC 5764 §4.1.2, RFC 7714 §14.2), in
 * the server's order of preference, with the key and salt lengths that size the exported keying material. AES-CM
 * comes first: the SFU encrypts once per subscriber, and our allocation-free GCM costs about twice AES-CM's CPU
 * for a video packet (docs/sfu.md, "SRTP"); GCM stays for clients that offer only it.
 */
public enum SrtpProfileId {

    AES128_CM_HMAC_SHA1_80(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, 16, 14),
    AEAD_AES_128_GCM(SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM, 16, 12),
    AES128_CM_HMAC_SHA1_32(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32, 16, 14);

    private static final SrtpProfileId[] PREFERENCE = values();

    private final int id;
    private final int keyLength;
    private final int saltLength;

    SrtpProfileId(int id, int keyLength, int saltLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    /** The two-byte SRTPProtectionProfile value on the wire. */
    public int id() {
        return id;
    }

    public int keyLength() {
        return keyLength;
    }

    public int saltLength() {
        return saltLength;
    }

    /** Bytes to export with label {@code EXTRACTOR-dtls_srtp}: a key and a salt for each direction. */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    /** The profile with this wire value, or null for one we do not offer. */
    public static SrtpProfileId of(int id) {
        for (SrtpProfileId p : PREFERENCE) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }

    /** Our most preferred profile among the client's, or null when none is ours. */
    public static SrtpProfileId choose(int[] offered) {
        for (SrtpProfileId p : PREFERENCE) {
            for (int o : offered) {
                if (o == p.id) {
                    return p;
                }
            }
        }
        return null;
    }
}
