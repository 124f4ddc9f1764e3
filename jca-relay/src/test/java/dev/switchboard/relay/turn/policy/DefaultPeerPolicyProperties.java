package dev.switchboard.relay.turn.policy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static dev.switchboard.relay.turn.policy.Ipv4Spellings.literal;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** No spelling of an IPv4 address gets a different verdict from the address itself. */
class DefaultPeerPolicyProperties {

    private static final List<DefaultPeerPolicy> POLICIES = List.of(
            DefaultPeerPolicy.defaults(List.of(literal("93.184.216.34"))),
            DefaultPeerPolicy.of("10.1.0.0/16, 127.0.0.0/8, 169.254.0.0/16", "45.0.0.0/8, 8.8.4.4",
                    List.of(literal("127.0.0.1"), literal("203.0.113.10"), literal("93.184.216.34"))));

    /** Range starts worth hitting more often than uniform sampling would, with their prefix lengths. */
    private static final int[][] INTERESTING = {
            {0x0000_0000, 8}, {0x0A00_0000, 8}, {0x0A01_0000, 16}, {0x6440_0000, 10}, {0x7F00_0000, 8},
            {0xA9FE_0000, 16}, {0xAC10_0000, 12}, {0xC000_0000, 24}, {0xC000_0200, 24}, {0xC0A8_0000, 16},
            {0xC612_0000, 15}, {0xC633_6400, 24}, {0xCB00_7100, 24}, {0xE000_0000, 4}, {0xF000_0000, 4},
            {0x2D00_0000, 8}, {0x5DB8_D800, 24}, {0x0808_0400, 24}};

    @Provide
    Arbitrary<Integer> ipv4() {
        Arbitrary<Integer> uniform = Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE);
        Arbitrary<Integer> nearRanges = Arbitraries.of(INTERESTING).flatMap(r -> {
            int hostBits = 32 - r[1];
            int span = hostBits == 32 ? -1 : (1 << hostBits) - 1;
            // Inside the range, or just outside either end.
            return Arbitraries.integers().between(-2, Math.max(span, 0) + 2).map(offset -> r[0] + offset);
        });
        Arbitrary<Integer> edges = Arbitraries.of(0, 1, 2, -1, 0x7F00_0001, 0xA9FE_A9FE, 0x5DB8_D822, 0x0808_0404);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, uniform), net.jqwik.api.Tuple.of(4, nearRanges),
                net.jqwik.api.Tuple.of(1, edges));
    }

    @Property(tries = 20_000)
    void everyIpv6SpellingOfAnIpv4AddressIsJudgedLikeTheAddress(@ForAll("ipv4") int v) {
        InetAddress plain = literal((v >>> 24) + "." + (v >>> 16 & 0xFF) + "." + (v >>> 8 & 0xFF) + "." + (v & 0xFF));
        for (DefaultPeerPolicy policy : POLICIES) {
            boolean expected = policy.permits(plain);
            for (Map.Entry<String, InetAddress> s : Ipv4Spellings.of(v).entrySet()) {
                assertEquals(expected, policy.permits(s.getValue()),
                        () -> s.getKey() + " = " + s.getValue() + " under " + policy);
            }
        }
    }
}
