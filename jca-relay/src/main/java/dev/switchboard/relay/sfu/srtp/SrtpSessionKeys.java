package dev.switchboard.relay.sfu.srtp;

/** The session keys of one direction, for SRTP and for SRTCP (RFC 3711 §4.3.2 labels 0 to 5). */
final class SrtpSessionKeys {

    final byte[] rtpKey;
    final byte[] rtpAuthKey;
    final byte[] rtpSalt;
    final byte[] rtcpKey;
    final byte[] rtcpAuthKey;
    final byte[] rtcpSalt;

    SrtpSessionKeys(byte[] rtpKey, byte[] rtpAuthKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpAuthKey,
                    byte[] rtcpSalt) {
        this.rtpKey = rtpKey;
        this.rtpAuthKey = rtpAuthKey;
        this.rtpSalt = rtpSalt;
        this.rtcpKey = rtcpKey;
        this.rtcpAuthKey = rtcpAuthKey;
        this.rtcpSalt = rtcpSalt;
    }

    static SrtpSessionKeys derive(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != profile.keyLength() || masterSalt.length != profile.saltLength()) {
            throw new IllegalArgumentException(profile + " takes a " + profile.keyLength() + "-byte key and a "
                    + profile.saltLength() + "-byte salt, not " + masterKey.length + " and " + masterSalt.length);
        }
        int k = profile.keyLength();
        int a = profile.authKeyLength();
        int s = profile.saltLength();
        return new SrtpSessionKeys(
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTP_ENCRYPTION, k),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTP_AUTHENTICATION, a),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTP_SALT, s),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTCP_ENCRYPTION, k),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTCP_AUTHENTICATION, a),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTCP_SALT, s));
    }
}
