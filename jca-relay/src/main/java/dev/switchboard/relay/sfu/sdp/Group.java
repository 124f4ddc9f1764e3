package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/** {@code a=group} (RFC 5888), e.g. {@code BUNDLE 0 1} (RFC 8843): the first mid is the BUNDLE tag. */
public record Group(String semantics, List<String> mids) {

    public static final String BUNDLE = "BUNDLE";

    public Group {
        mids = List.copyOf(mids);
    }

    static Group parse(Tokens t) throws SdpException {
        String semantics = t.next("semantics");
        List<String> mids = new ArrayList<>();
        while (t.hasMore()) {
            mids.add(t.next("identification-tag"));
        }
        return new Group(semantics, mids);
    }

    String sdpValue() {
        StringBuilder b = new StringBuilder(semantics);
        for (String mid : mids) {
            b.append(' ').append(mid);
        }
        return b.toString();
    }
}
