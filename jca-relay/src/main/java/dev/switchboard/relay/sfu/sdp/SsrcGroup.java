package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/** {@code a=ssrc-group:<semantics> <ssrc>...} (RFC 5576 §4.2): {@code FID} pairs a stream with its RTX (RFC 4588), {@code SIM} lists simulcast layers. */
public record SsrcGroup(String semantics, List<Long> ssrcs) {

    public static final String FID = "FID";
    public static final String SIM = "SIM";

    public SsrcGroup {
        ssrcs = List.copyOf(ssrcs);
    }

    static SsrcGroup parse(Tokens t) throws SdpException {
        String semantics = t.next("semantics");
        if (!Text.isToken(semantics)) {
            throw t.fail("semantics is not a token");
        }
        List<Long> ssrcs = new ArrayList<>();
        do {
            ssrcs.add(t.nextLong("ssrc", 0, 0xFFFF_FFFFL));
        } while (t.hasMore());
        return new SsrcGroup(semantics, ssrcs);
    }

    String sdpValue() {
        StringBuilder b = new StringBuilder(semantics);
        for (long ssrc : ssrcs) {
            b.append(' ').append(ssrc);
        }
        return b.toString();
    }
}
