package dev.switchboard.connector.sfu;

import java.io.Serializable;
import java.util.List;

/**
 * The relay's side of an ICE restart (RFC 8445 §9; WHIP's PATCH, RFC 9725 §4.3.2): its new ICE credentials and its
 * candidates (the same addresses; the relay is ICE-lite), for the answer fragment. DTLS and SRTP carry on.
 *
 * @param iceUfrag   the new {@code a=ice-ufrag}
 * @param icePwd     the new {@code a=ice-pwd}
 * @param candidates the values of its {@code a=candidate} lines
 */
public record SfuIceRestart(String iceUfrag, String icePwd, List<String> candidates) implements Serializable {

    public SfuIceRestart {
        candidates = List.copyOf(candidates);
    }
}
