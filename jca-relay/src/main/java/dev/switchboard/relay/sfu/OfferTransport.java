package dev.switchboard.relay.sfu;

import dev.switchboard.connector.sfu.SfuRefusal;
import dev.switchboard.relay.sfu.dtls.Fingerprint;
import dev.switchboard.relay.sfu.ice.IceCredentials;
import dev.switchboard.relay.sfu.sdp.Group;
import dev.switchboard.relay.sfu.sdp.MediaDescription;
import dev.switchboard.relay.sfu.sdp.SessionDescription;
import dev.switchboard.relay.sfu.sdp.TransportAttributes;

/**
 * A peer's transport as its offer states it: ICE credentials and the SHA-256 fingerprint of its DTLS certificate,
 * from the BUNDLE tag's section (RFC 8843: the bundled sections share its transport) or the session level.
 */
record OfferTransport(String ufrag, String pwd, Fingerprint fingerprint) {

    static OfferTransport of(SessionDescription sdp) throws SfuRefusal {
        MediaDescription tag = tag(sdp);
        TransportAttributes t = tag == null ? sdp.transport() : tag.transport().or(sdp.transport());
        if (!IceCredentials.isIceChars(t.iceUfrag(), IceCredentials.MIN_UFRAG)
                || !IceCredentials.isIceChars(t.icePwd(), IceCredentials.MIN_PWD)) {
            throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "the offer has no valid a=ice-ufrag and a=ice-pwd"
                    + " (RFC 8839 §5.4)");
        }
        for (dev.switchboard.relay.sfu.sdp.Fingerprint f : t.fingerprints()) {
            if (Fingerprint.ALGORITHM.equalsIgnoreCase(f.hashFunction())) {
                try {
                    return new OfferTransport(t.iceUfrag(), t.icePwd(), Fingerprint.parse(f.value()));
                } catch (IllegalArgumentException e) {
                    throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "malformed a=fingerprint: " + e.getMessage());
                }
            }
        }
        throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "the offer has no a=fingerprint:sha-256 (RFC 8122)");
    }

    /** The first section of the BUNDLE group that the offer did not reject, or the first section. */
    private static MediaDescription tag(SessionDescription sdp) {
        Group bundle = sdp.bundleGroup();
        if (bundle != null) {
            for (String mid : bundle.mids()) {
                MediaDescription m = sdp.media(mid);
                if (m != null && !m.isRejected()) {
                    return m;
                }
            }
        }
        return sdp.media().isEmpty() ? null : sdp.media().get(0);
    }
}
