package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=simulcast} (RFC 8853 §5.1): for each direction, a list of streams, each a list of alternative rids
 * ({@code ;} separates streams, {@code ,} alternatives); {@code ~} marks a rid paused. Empty lists mean the
 * direction is absent. Written send first.
 */
public record Simulcast(List<List<Alternative>> send, List<List<Alternative>> recv) {

    /** One rid in a simulcast stream's alternatives. */
    public record Alternative(String rid, boolean paused) {
        String sdp() {
            return paused ? "~" + rid : rid;
        }
    }

    public Simulcast {
        send = copy(send);
        recv = copy(recv);
    }

    private static List<List<Alternative>> copy(List<List<Alternative>> streams) {
        List<List<Alternative>> out = new ArrayList<>();
        for (List<Alternative> s : streams) {
            out.add(List.copyOf(s));
        }
        return List.copyOf(out);
    }

    static Simulcast parse(Tokens t) throws SdpException {
        List<List<Alternative>> send = null;
        List<List<Alternative>> recv = null;
        do {
            String dir = t.next("direction");
            List<List<Alternative>> streams = streams(t, t.next("stream list"));
            if (dir.equals("send") && send == null) {
                send = streams;
            } else if (dir.equals("recv") && recv == null) {
                recv = streams;
            } else {
                throw t.fail("expected send and/or recv, each once");
            }
        } while (t.hasMore());
        return new Simulcast(send == null ? List.of() : send, recv == null ? List.of() : recv);
    }

    private static List<List<Alternative>> streams(Tokens t, String text) throws SdpException {
        List<List<Alternative>> streams = new ArrayList<>();
        for (String stream : text.split(";", -1)) {
            List<Alternative> alternatives = new ArrayList<>();
            for (String id : stream.split(",", -1)) {
                boolean paused = id.startsWith("~");
                String rid = paused ? id.substring(1) : id;
                if (!Text.isRidId(rid)) {
                    throw t.fail("\"" + Text.clip(id) + "\" is not a rid");
                }
                alternatives.add(new Alternative(rid, paused));
            }
            streams.add(alternatives);
        }
        return streams;
    }

    /** All rids of one direction, in order. */
    public static List<String> rids(List<List<Alternative>> streams) {
        List<String> rids = new ArrayList<>();
        for (List<Alternative> s : streams) {
            for (Alternative a : s) {
                rids.add(a.rid());
            }
        }
        return rids;
    }

    String sdpValue() {
        StringBuilder b = new StringBuilder();
        if (!send.isEmpty()) {
            b.append("send ").append(format(send));
        }
        if (!recv.isEmpty()) {
            b.append(b.length() == 0 ? "" : " ").append("recv ").append(format(recv));
        }
        return b.toString();
    }

    private static String format(List<List<Alternative>> streams) {
        StringBuilder b = new StringBuilder();
        for (List<Alternative> s : streams) {
            b.append(b.length() == 0 ? "" : ";");
            for (int i = 0; i < s.size(); i++) {
                b.append(i == 0 ? "" : ",").append(s.get(i).sdp());
            }
        }
        return b.toString();
    }
}
