package dev.switchboard.relay.sfu.sdp;

/** A {@code c=} line (RFC 8866 §5.7); the address is kept as written (it may carry a multicast TTL). */
public record Connection(String netType, String addrType, String address) {

    /** {@code c=IN IP4 0.0.0.0}: what a bundled or rejected section carries (JSEP RFC 8829 §5.2.1). */
    public static final Connection UNSPECIFIED = new Connection("IN", "IP4", "0.0.0.0");

    /** {@code IN IP4} or {@code IN IP6} of a literal address. */
    public static Connection of(String address) {
        return new Connection("IN", address.indexOf(':') >= 0 ? "IP6" : "IP4", address);
    }

    static Connection parse(Tokens t) throws SdpException {
        Connection c = new Connection(t.next("nettype"), t.next("addrtype"), t.next("connection-address"));
        t.end();
        return c;
    }

    String sdpValue() {
        return netType + ' ' + addrType + ' ' + address;
    }
}
