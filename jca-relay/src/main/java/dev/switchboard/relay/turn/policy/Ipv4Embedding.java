package dev.switchboard.relay.turn.policy;

/**
 * IPv6 address forms that carry an IPv4 address a packet may end up at: through a translator or tunnel on the
 * relay's host or network, or because the stack itself treats them as IPv4. The policy refuses such an address
 * when the IPv4 address inside is refused, so no spelling reaches a denied IPv4 host.
 *
 * <p>IPv4-mapped ({@code ::ffff:a.b.c.d}) is not here: it is not an embedding but the IPv4 address itself (Java
 * even returns an {@code Inet4Address} for it), and the policy treats it as such.
 */
enum Ipv4Embedding {

    /** {@code ::ffff:0:a.b.c.d} (SIIT, RFC 2765). */
    TRANSLATED("IPv4-translated ::ffff:0:0:0/96") {
        @Override
        boolean matches(long hi, long lo) {
            return hi == 0 && (lo >>> 32) == 0xFFFF_0000L;
        }
    },
    /** {@code ::a.b.c.d} (deprecated by RFC 4291), except {@code ::} and {@code ::1}, which are themselves. */
    COMPATIBLE("IPv4-compatible ::/96") {
        @Override
        boolean matches(long hi, long lo) {
            return hi == 0 && (lo >>> 32) == 0 && (lo & 0xFFFF_FFFFL) > 1;
        }
    },
    /** {@code 2002:AABB:CCDD::/48}: the IPv4 address is bits 16..47 (RFC 3056). */
    SIX_TO_FOUR("6to4 2002::/16") {
        @Override
        boolean matches(long hi, long lo) {
            return (hi >>> 48) == 0x2002L;
        }

        @Override
        int ipv4(long hi, long lo) {
            return (int) (hi >>> 16);
        }
    },
    /**
     * {@code 64:ff9b::a.b.c.d} (RFC 6052). Bits 64..95 are ignored rather than required to be zero: a translator
     * given a malformed address may well still take the last 32 bits.
     */
    NAT64("NAT64 64:ff9b::/96") {
        @Override
        boolean matches(long hi, long lo) {
            return hi == 0x0064_FF9B_0000_0000L;
        }
    },
    /**
     * {@code 64:ff9b:1::/48} (RFC 8215). The whole prefix is refused by default; an operator who allow-lists it for
     * a local translator (commonly at /96) still has the last 32 bits checked.
     */
    NAT64_LOCAL("NAT64 local-use 64:ff9b:1::/48 (last 32 bits)") {
        @Override
        boolean matches(long hi, long lo) {
            return (hi >>> 16) == 0x0064_FF9B_0001L;
        }
    },
    /** Teredo {@code 2001:0::/32} (RFC 4380): the Teredo server's IPv4 address is bits 32..63. */
    TEREDO_SERVER("Teredo 2001::/32 server, bits 32-63") {
        @Override
        boolean matches(long hi, long lo) {
            return (hi >>> 32) == 0x2001_0000L;
        }

        @Override
        int ipv4(long hi, long lo) {
            return (int) hi;
        }
    },
    /** Teredo: the client's (NAT's) IPv4 address is the last 32 bits inverted. */
    TEREDO_CLIENT("Teredo 2001::/32 client, last 32 bits inverted") {
        @Override
        boolean matches(long hi, long lo) {
            return (hi >>> 32) == 0x2001_0000L;
        }

        @Override
        int ipv4(long hi, long lo) {
            return ~(int) lo;
        }
    },
    /** ISATAP interface identifiers {@code ::0:5efe:a.b.c.d} / {@code ::200:5efe:a.b.c.d} in any prefix (RFC 5214). */
    ISATAP("ISATAP interface id ::[0|100|200|300]:5efe:a.b.c.d") {
        @Override
        boolean matches(long hi, long lo) {
            // Only the universal/local and group bits may be set in the first octet.
            return ((lo >>> 32) & 0xFCFF_FFFFL) == 0x0000_5EFEL;
        }
    };

    static final Ipv4Embedding[] ALL = values();

    private final String description;

    Ipv4Embedding(String description) {
        this.description = description;
    }

    /** True when the IPv6 address {@code hi:lo} has this form. */
    abstract boolean matches(long hi, long lo);

    /** The embedded IPv4 address; only meaningful when {@link #matches}. Most forms use the last 32 bits. */
    int ipv4(long hi, long lo) {
        return (int) lo;
    }

    String description() {
        return description;
    }
}
