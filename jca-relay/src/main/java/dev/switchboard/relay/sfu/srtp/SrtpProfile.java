package dev.switchboard.relay.sfu.srtp;

/**
 * The SRTP protection profiles the SFU negotiates in DTLS-SRTP's use_srtp extension (RFC 5764 §4.1.2, RFC 7714
 * §14.2), with the lengths each fixes. AES_CM_128_HMAC_SHA1_32 authenticates RTP with a 4-byte tag but RTCP with
 * the 10-byte one (RFC 5764 §4.1.2); the GCM profile's 16-byte tag is GCM's own.
 */
public enum SrtpProfile {

    AES128_CM_HMAC_SHA1_80(0x0001, 16, 14, 20, 10, 10, false),
    AES128_CM_HMAC_SHA1_32(0x0002, 16, 14, 20, 4, 10, false),
    AEAD_AES_128_GCM(0x0007, 16, 12, 0, 16, 16, true);

    private final int protectionProfileId;
    private final int keyLength;
    private final int saltLength;
    private final int authKeyLength;
    private final int rtpTagLength;
    private final int rtcpTagLength;
    private final boolean aead;

    SrtpProfile(int protectionProfileId, int keyLength, int saltLength, int authKeyLength, int rtpTagLength,
                int rtcpTagLength, boolean aead) {
        this.protectionProfileId = protectionProfileId;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.authKeyLength = authKeyLength;
        this.rtpTagLength = rtpTagLength;
        this.rtcpTagLength = rtcpTagLength;
        this.aead = aead;
    }

    /** The two-byte SRTPProtectionProfile value of use_srtp (IANA "DTLS-SRTP Protection Profiles"). */
    public int protectionProfileId() {
        return protectionProfileId;
    }

    /** Master (and session) encryption key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master (and session) salt length in bytes: 14 for AES-CM, 12 for GCM. */
    public int saltLength() {
        return saltLength;
    }

    /** Session authentication key length in bytes (HMAC-SHA1's 20; none for GCM). */
    public int authKeyLength() {
        return authKeyLength;
    }

    /** Bytes an SRTP packet gains over its RTP packet. */
    public int rtpTagLength() {
        return rtpTagLength;
    }

    /** Length of the SRTCP authentication tag (the 4-byte E flag and index come on top: {@link #rtcpOverhead}). */
    public int rtcpTagLength() {
        return rtcpTagLength;
    }

    /** Bytes an SRTCP packet gains over its RTCP packet: the tag and the E flag with the SRTCP index. */
    public int rtcpOverhead() {
        return rtcpTagLength + 4;
    }

    /** True for the AEAD profile, whose tag GCM computes; false for AES-CM with HMAC-SHA1. */
    public boolean isAead() {
        return aead;
    }

    /**
     * Bytes of DTLS keying material this profile takes from the exporter (label "EXTRACTOR-dtls_srtp", RFC 5764
     * §4.2): two master keys and two master salts.
     */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    /** The profile with this use_srtp id, or null for one this implementation does not offer. */
    public static SrtpProfile forId(int protectionProfileId) {
        for (SrtpProfile p : values()) {
            if (p.protectionProfileId == protectionProfileId) {
                return p;
            }
        }
        return null;
    }
}
