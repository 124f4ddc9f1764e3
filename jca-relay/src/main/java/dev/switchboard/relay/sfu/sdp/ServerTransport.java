package dev.switchboard.relay.sfu.sdp;

import java.util.List;
import java.util.Objects;

/**
 * The server's side of one peer connection as SDP states it: the session id of its {@code o=} line, its ICE
 * credentials (RFC 8839 §5.4), the DTLS certificate fingerprint and the candidates it listens on. The server is
 * ICE-lite, so the candidates are complete and final.
 */
public record ServerTransport(long sessionId, String iceUfrag, String icePwd, Fingerprint fingerprint,
                              List<Candidate> candidates) {

    public ServerTransport {
        if (iceUfrag.length() < 4 || iceUfrag.length() > 256 || !Text.isIceChars(iceUfrag)
                || icePwd.length() < 22 || icePwd.length() > 256 || !Text.isIceChars(icePwd)) {
            throw new IllegalArgumentException("ICE ufrag is 4-256 and pwd 22-256 ice-chars (RFC 8839 §5.4)");
        }
        Objects.requireNonNull(fingerprint, "fingerprint");
        candidates = List.copyOf(candidates);
    }

    /**
     * A host UDP candidate, priority per RFC 8445 §5.1.2.1 with type preference 126 and the highest local
     * preference.
     */
    public static Candidate hostUdp(String address, int port) {
        return Candidate.host(foundation("udp", address), "udp", priority(126, 65535), address, port, null);
    }

    /**
     * A host TCP passive candidate (RFC 6544 §4.5): local preference (2^13 * direction-pref 4) + other-pref 8191
     * (RFC 6544 §4.2), so UDP stays preferred when both work.
     */
    public static Candidate hostTcpPassive(String address, int port) {
        return Candidate.host(foundation("tcp", address), "tcp", priority(126, (1 << 13) * 4 + 8191), address, port,
                "passive");
    }

    private static long priority(int typePreference, int localPreference) {
        return (1L << 24) * typePreference + (1L << 8) * localPreference + (256 - 1);
    }

    /** Same transport and base address, same foundation (RFC 8445 §5.1.1.3). */
    private static String foundation(String transport, String address) {
        return Integer.toUnsignedString((transport + ' ' + address).hashCode());
    }

    /**
     * Makes {@code b} the BUNDLE-tagged section: the first UDP candidate as the default address (m= port, c=),
     * all candidates, and end-of-candidates (an ICE-lite server has no more to trickle).
     */
    MediaDescription.Builder carryCandidates(MediaDescription.Builder b) {
        for (Candidate c : candidates) {
            if (c.isUdp()) {
                b.port(c.port()).connection(Connection.of(c.address()));
                break;
            }
        }
        candidates.forEach(b::candidate);
        return b.endOfCandidates(true);
    }

    TransportAttributes attributes(Setup setup) {
        return new TransportAttributes(iceUfrag, icePwd, List.of(), List.of(fingerprint), setup);
    }
}
