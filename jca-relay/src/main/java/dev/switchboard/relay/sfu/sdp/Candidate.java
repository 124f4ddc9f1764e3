package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=candidate} (RFC 8839 §5.1): {@code <foundation> <component> <transport> <priority> <address> <port>
 * typ <type> [raddr <a>] [rport <p>] *(<name> <value>)}. Extensions such as {@code tcptype} (RFC 6544 §4.5),
 * {@code generation} or {@code network-id} stay in order as pairs. The transport keeps its case as sent
 * (Chromium writes {@code udp}, Firefox {@code UDP}); relatedAddress/relatedPort are null when absent.
 */
public record Candidate(String foundation, int component, String transport, long priority, String address, int port,
                        String type, String relatedAddress, Integer relatedPort, List<Extension> extensions) {

    /** One {@code <extension-att-name> <extension-att-value>} pair. */
    public record Extension(String name, String value) {
    }

    public Candidate {
        extensions = List.copyOf(extensions);
    }

    /** A host candidate; {@code tcpType} null for UDP, "passive" for an ICE-TCP listener (RFC 6544). */
    public static Candidate host(String foundation, String transport, long priority, String address, int port,
                                 String tcpType) {
        return new Candidate(foundation, 1, transport, priority, address, port, "host", null, null,
                tcpType == null ? List.of() : List.of(new Extension("tcptype", tcpType)));
    }

    static Candidate parse(Tokens t) throws SdpException {
        String foundation = t.next("foundation");
        if (foundation.length() > 32 || !Text.isIceChars(foundation)) {
            throw t.fail("foundation is 1 to 32 ice-chars");
        }
        int component = t.nextInt("component-id", 1, 256);
        String transport = t.next("transport");
        if (!Text.isToken(transport)) {
            throw t.fail("transport is not a token");
        }
        long priority = t.nextLong("priority", 1, 0xFFFF_FFFFL);
        String address = t.next("connection-address");
        int port = t.nextInt("port", 0, 65535);
        if (!t.next("\"typ\"").equals("typ")) {
            throw t.fail("expected \"typ\" after the port");
        }
        String type = t.next("candidate type");
        if (!Text.isToken(type)) {
            throw t.fail("candidate type is not a token");
        }
        String raddr = null;
        Integer rport = null;
        List<Extension> extensions = new ArrayList<>();
        while (t.hasMore()) {
            String name = t.next("extension name");
            String value = t.next("value of " + Text.clip(name));
            if (name.equals("raddr") && raddr == null && rport == null && extensions.isEmpty()) {
                raddr = value;
            } else if (name.equals("rport") && rport == null && extensions.isEmpty()) {
                rport = (int) t.number(value, "rport", 0, 65535);
            } else if (name.equals("raddr") || name.equals("rport") || !Text.isToken(name)) {
                throw t.fail("misplaced or repeated \"" + Text.clip(name) + "\"");
            } else {
                extensions.add(new Extension(name, value));
            }
        }
        return new Candidate(foundation, component, transport, priority, address, port, type, raddr, rport,
                extensions);
    }

    public boolean isUdp() {
        return transport.equalsIgnoreCase("udp");
    }

    /** The RFC 6544 tcptype (active, passive, so), or null. */
    public String tcpType() {
        for (Extension e : extensions) {
            if (e.name().equals("tcptype")) {
                return e.value();
            }
        }
        return null;
    }

    public String sdpValue() {
        StringBuilder b = new StringBuilder().append(foundation).append(' ').append(component).append(' ')
                .append(transport).append(' ').append(priority).append(' ').append(address).append(' ').append(port)
                .append(" typ ").append(type);
        if (relatedAddress != null) {
            b.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort != null) {
            b.append(" rport ").append(relatedPort);
        }
        for (Extension e : extensions) {
            b.append(' ').append(e.name()).append(' ').append(e.value());
        }
        return b.toString();
    }
}
