package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * The ICE and DTLS attributes that may stand at session or media level (RFC 8839 §5.4, RFC 8122, RFC 8842):
 * {@code ice-ufrag}, {@code ice-pwd}, {@code ice-options}, {@code fingerprint}s and {@code setup}. Absent ones are
 * null (or an empty list); {@link #or} gives a media section's effective values.
 */
public record TransportAttributes(String iceUfrag, String icePwd, List<String> iceOptions,
                                  List<Fingerprint> fingerprints, Setup setup) {

    public static final TransportAttributes NONE = new TransportAttributes(null, null, List.of(), List.of(), null);

    public TransportAttributes {
        iceOptions = List.copyOf(iceOptions);
        fingerprints = List.copyOf(fingerprints);
    }

    public TransportAttributes withIceUfrag(String ufrag) {
        return new TransportAttributes(ufrag, icePwd, iceOptions, fingerprints, setup);
    }

    public TransportAttributes withIcePwd(String pwd) {
        return new TransportAttributes(iceUfrag, pwd, iceOptions, fingerprints, setup);
    }

    public TransportAttributes withIceOptions(List<String> options) {
        return new TransportAttributes(iceUfrag, icePwd, options, fingerprints, setup);
    }

    /** These attributes with one more fingerprint (RFC 8122 allows several, one per hash function). */
    public TransportAttributes withFingerprint(Fingerprint fingerprint) {
        List<Fingerprint> all = new ArrayList<>(fingerprints);
        all.add(fingerprint);
        return new TransportAttributes(iceUfrag, icePwd, iceOptions, all, setup);
    }

    public TransportAttributes withSetup(Setup role) {
        return new TransportAttributes(iceUfrag, icePwd, iceOptions, fingerprints, role);
    }

    /** These values, each absent one taken from {@code session}. */
    public TransportAttributes or(TransportAttributes session) {
        return new TransportAttributes(iceUfrag != null ? iceUfrag : session.iceUfrag,
                icePwd != null ? icePwd : session.icePwd, !iceOptions.isEmpty() ? iceOptions : session.iceOptions,
                !fingerprints.isEmpty() ? fingerprints : session.fingerprints, setup != null ? setup : session.setup);
    }
}
