package dev.switchboard.relay.turn.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An immutable list of {@link Cidr}s matched as a set (linear scan: lists are a few dozen entries and are
 * consulted when a permission is created, not per packet).
 */
public final class CidrList {

    public static final CidrList EMPTY = new CidrList(List.of());

    private final Cidr[] cidrs;

    private CidrList(List<Cidr> cidrs) {
        this.cidrs = cidrs.toArray(new Cidr[0]);
    }

    public static CidrList of(Collection<Cidr> cidrs) {
        List<Cidr> distinct = new ArrayList<>();
        for (Cidr c : cidrs) {
            if (c == null) {
                throw new IllegalArgumentException("null CIDR in list");
            }
            if (!distinct.contains(c)) {
                distinct.add(c);
            }
        }
        return distinct.isEmpty() ? EMPTY : new CidrList(distinct);
    }

    public static CidrList of(Cidr... cidrs) {
        return of(List.of(cidrs));
    }

    /**
     * Parses a configuration value: CIDRs or bare addresses separated by commas and/or whitespace, e.g.
     * {@code "127.0.0.0/8, ::1/128"}. Null or blank is the empty list; empty items ({@code "a,,b"}) are ignored.
     *
     * @param setting the setting's name, quoted in error messages
     * @throws IllegalArgumentException naming the setting and the offending item
     */
    public static CidrList parse(String setting, String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        List<Cidr> out = new ArrayList<>();
        for (String item : text.split("[,\\s]+")) {
            if (item.isEmpty()) {
                continue;
            }
            try {
                out.add(Cidr.parse(item));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
            }
        }
        return of(out);
    }

    public boolean isEmpty() {
        return cidrs.length == 0;
    }

    public List<Cidr> cidrs() {
        return List.of(cidrs);
    }

    public boolean contains(InetAddress address) {
        for (Cidr c : cidrs) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public boolean containsIpv4(int address) {
        for (Cidr c : cidrs) {
            if (c.containsIpv4(address)) {
                return true;
            }
        }
        return false;
    }

    public boolean containsIpv6(long hi, long lo) {
        for (Cidr c : cidrs) {
            if (c.containsIpv6(hi, lo)) {
                return true;
            }
        }
        return false;
    }

    /** The configuration form: comma-separated canonical CIDRs, empty for the empty list. */
    @Override
    public String toString() {
        return List.of(cidrs).stream().map(Cidr::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrList l && List.of(cidrs).equals(List.of(l.cidrs));
    }

    @Override
    public int hashCode() {
        return List.of(cidrs).hashCode();
    }
}
