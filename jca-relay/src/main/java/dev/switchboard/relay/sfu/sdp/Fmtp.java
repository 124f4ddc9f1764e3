package dev.switchboard.relay.sfu.sdp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code a=fmtp:<pt> <parameters>} (RFC 8866 §6.15). The parameters stay as written (their syntax belongs to each
 * codec); {@link #parameters()} reads the common {@code key=value;key=value} form.
 */
public record Fmtp(int payloadType, String parameterText) {

    static Fmtp parse(Tokens t) throws SdpException {
        int pt = t.nextInt("payload type", 0, 127);
        return new Fmtp(pt, t.hasMore() ? t.rest("parameters") : "");
    }

    /**
     * The parameters as an ordered map with lower-case keys (RFC 6184 §8.1 and RFC 7587 §7: names are
     * case-insensitive); a part without {@code =} (telephone-event's {@code 0-15}) maps to "".
     */
    public Map<String, String> parameters() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String part : parameterText.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            map.putIfAbsent(key, eq < 0 ? "" : p.substring(eq + 1).trim());
        }
        return map;
    }

    /** One parameter's value, or null. */
    public String parameter(String name) {
        return parameters().get(name.toLowerCase(Locale.ROOT));
    }

    String sdpValue() {
        return parameterText.isEmpty() ? Integer.toString(payloadType) : payloadType + " " + parameterText;
    }
}
