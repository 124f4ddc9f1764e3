package dev.switchboard.relay.sfu.srtp;

/**
 * The two SRTP contexts of one DTLS-SRTP association: {@link #inbound} unprotects what the peer sends,
 * {@link #outbound} protects what we send. Made from the keying material DTLS exports after the handshake
 * (RFC 5764 §4.2: label "EXTRACTOR-dtls_srtp", no context, {@link SrtpProfile#keyingMaterialLength} bytes laid out
 * as client_write_SRTP_master_key, server_write_SRTP_master_key, client_write_SRTP_master_salt,
 * server_write_SRTP_master_salt). The DTLS server writes with the server's key and salt and reads with the
 * client's; a DTLS client the other way round.
 */
public final class SrtpSession {

    /** Which end of the DTLS handshake we were. */
    public enum Role {
        CLIENT, SERVER
    }

    /**
     * SSRCs a peer may send on one association: audio, three simulcast layers with their RTX, FEC and probing
     * fit many times over, while random SSRCs cannot make the state grow further.
     */
    public static final int DEFAULT_MAX_INBOUND_SSRCS = 64;
    /** SSRCs we send one subscriber: a few per other participant of a large room. */
    public static final int DEFAULT_MAX_OUTBOUND_SSRCS = 4096;

    private final SrtpProfile profile;
    private final SrtpContext inbound;
    private final SrtpContext outbound;

    private SrtpSession(SrtpProfile profile, SrtpContext inbound, SrtpContext outbound) {
        this.profile = profile;
        this.inbound = inbound;
        this.outbound = outbound;
    }

    /** {@link #fromDtls(SrtpProfile, byte[], Role, int, int)} with the default SSRC caps. */
    public static SrtpSession fromDtls(SrtpProfile profile, byte[] keyingMaterial, Role role) {
        return fromDtls(profile, keyingMaterial, role, DEFAULT_MAX_INBOUND_SSRCS, DEFAULT_MAX_OUTBOUND_SSRCS);
    }

    /**
     * @param keyingMaterial exactly {@code profile.keyingMaterialLength()} bytes from the DTLS exporter
     * @throws IllegalArgumentException for keying material of another length (a programming error: DTLS chose the
     *                                  profile and exported for it)
     */
    public static SrtpSession fromDtls(SrtpProfile profile, byte[] keyingMaterial, Role role, int maxInboundSsrcs,
                                       int maxOutboundSsrcs) {
        if (keyingMaterial.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException(profile + " takes " + profile.keyingMaterialLength()
                    + " bytes of keying material, not " + keyingMaterial.length);
        }
        int k = profile.keyLength();
        int s = profile.saltLength();
        byte[] clientKey = java.util.Arrays.copyOfRange(keyingMaterial, 0, k);
        byte[] serverKey = java.util.Arrays.copyOfRange(keyingMaterial, k, 2 * k);
        byte[] clientSalt = java.util.Arrays.copyOfRange(keyingMaterial, 2 * k, 2 * k + s);
        byte[] serverSalt = java.util.Arrays.copyOfRange(keyingMaterial, 2 * k + s, 2 * k + 2 * s);
        SrtpSessionKeys client = SrtpSessionKeys.derive(profile, clientKey, clientSalt);
        SrtpSessionKeys server = SrtpSessionKeys.derive(profile, serverKey, serverSalt);
        boolean weAreServer = role == Role.SERVER;
        return new SrtpSession(profile,
                new SrtpContext(profile, weAreServer ? client : server, maxInboundSsrcs),
                new SrtpContext(profile, weAreServer ? server : client, maxOutboundSsrcs));
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Unprotects what the peer sends. */
    public SrtpContext inbound() {
        return inbound;
    }

    /** Protects what we send the peer. */
    public SrtpContext outbound() {
        return outbound;
    }
}
