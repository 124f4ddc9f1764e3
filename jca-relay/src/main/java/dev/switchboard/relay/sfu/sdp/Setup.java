package dev.switchboard.relay.sfu.sdp;

/** {@code a=setup} (RFC 4145, used for DTLS by RFC 8842): who opens the DTLS association. */
public enum Setup {
    ACTIVE("active"), PASSIVE("passive"), ACTPASS("actpass"), HOLDCONN("holdconn");

    private final String sdp;

    Setup(String sdp) {
        this.sdp = sdp;
    }

    public String sdp() {
        return sdp;
    }

    static Setup parse(Tokens t) throws SdpException {
        String s = t.next("role");
        t.end();
        for (Setup v : values()) {
            if (v.sdp.equals(s)) {
                return v;
            }
        }
        throw t.fail("unknown role \"" + Text.clip(s) + "\"");
    }
}
