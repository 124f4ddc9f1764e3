package dev.switchboard.web.whip;

import dev.switchboard.web.ice.IceServers.IceServer;

import java.util.ArrayList;
import java.util.List;

/**
 * The ICE servers of a WHIP/WHEP answer as {@code Link} header values (RFC 9725 §4.6, RFC 8288):
 * {@code <stun:host:port>; rel="ice-server"}, and for TURN also {@code username}, {@code credential} and
 * {@code credential-type="password"}, the same servers {@code GET /api/ice-servers} gives a page.
 */
public final class IceServerLinks {

    private IceServerLinks() {
    }

    /** One value per URL, in the order given. */
    public static List<String> of(List<IceServer> servers) {
        List<String> links = new ArrayList<>();
        for (IceServer s : servers) {
            for (String url : s.urls()) {
                StringBuilder link = new StringBuilder("<").append(url).append(">; rel=\"ice-server\"");
                if (s.username() != null && s.credential() != null) {
                    link.append("; username=").append(quoted(s.username()))
                            .append("; credential=").append(quoted(s.credential()))
                            .append("; credential-type=\"password\"");
                }
                links.add(link.toString());
            }
        }
        return links;
    }

    /** An RFC 9110 §5.6.4 quoted-string: backslash and double quote escaped. */
    static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
