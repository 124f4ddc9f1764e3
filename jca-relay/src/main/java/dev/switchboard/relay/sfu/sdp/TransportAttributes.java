package dev.switchboard.relay.sfu.sdp;

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

    /** These values, each absent one taken from {@code session}. */
    public TransportAttributes or(TransportAttributes session) {
        return new TransportAttributes(iceUfrag != null ? iceUfrag : session.iceUfrag,
                icePwd != null ? icePwd : session.icePwd, !iceOptions.isEmpty() ? iceOptions : session.iceOptions,
                !fingerprints.isEmpty() ? fingerprints : session.fingerprints, setup != null ? setup : session.setup);
    }
}
