package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=rid:<id> <send|recv> [pt=<pt>,...;<restriction>;...]} (RFC 8851 §10): one RTP stream of a simulcast
 * (or restricted) section. Restrictions such as {@code max-width=1280} stay as written.
 */
public record Rid(String id, boolean send, List<Integer> payloadTypes, List<String> restrictions) {

    public Rid {
        payloadTypes = List.copyOf(payloadTypes);
        restrictions = List.copyOf(restrictions);
    }

    static Rid parse(Tokens t) throws SdpException {
        String id = t.next("rid-id");
        if (!Text.isRidId(id) || id.length() > 255) {
            throw t.fail("rid-id must be letters, digits, '-' or '_'");
        }
        String dir = t.next("direction");
        if (!dir.equals("send") && !dir.equals("recv")) {
            throw t.fail("direction must be send or recv");
        }
        List<Integer> pts = new ArrayList<>();
        List<String> restrictions = new ArrayList<>();
        boolean sawPt = false;
        if (t.hasMore()) {
            for (String param : t.next("rid-param-list").split(";", -1)) {
                if (param.startsWith("pt=")) {
                    if (sawPt) {
                        throw t.fail("pt= given twice");
                    }
                    sawPt = true;
                    for (String pt : param.substring(3).split(",", -1)) {
                        pts.add((int) t.number(pt, "payload type", 0, 127));
                    }
                } else if (!Text.isRidId(param.indexOf('=') < 0 ? param : param.substring(0, param.indexOf('=')))) {
                    throw t.fail("restriction is not <name>[=<value>]");
                } else {
                    restrictions.add(param);
                }
            }
        }
        t.end();
        return new Rid(id, dir.equals("send"), pts, restrictions);
    }

    String sdpValue() {
        StringBuilder b = new StringBuilder(id).append(send ? " send" : " recv");
        String sep = " ";
        if (!payloadTypes.isEmpty()) {
            b.append(" pt=");
            for (int i = 0; i < payloadTypes.size(); i++) {
                b.append(i == 0 ? "" : ",").append(payloadTypes.get(i));
            }
            sep = ";";
        }
        for (String r : restrictions) {
            b.append(sep).append(r);
            sep = ";";
        }
        return b.toString();
    }
}
