package dev.switchboard.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A server and a client on one link whose server side the test shapes with {@code tc}: network namespaces
 * {@code pub} (the server, and anything that should see a clean path to it) and {@code view}, joined by a veth pair.
 * <pre>
 *   pub SERVER (view0) ══ veth ══ (eth0) CLIENT view
 *              └ tc qdisc and iptables loss on view0's egress: what the server sends to the client
 * </pre>
 * A qdisc on {@code view0} acts on the server → client direction only (a qdisc shapes what leaves an interface),
 * which is a subscriber's download: the media the SFU forwards. Names carry this JVM's pid, so a lab left behind by a
 * killed run is removed by the next one. Needs root (CAP_NET_ADMIN), iproute2, tc and iptables.
 */
final class ShapedLinkLab implements AutoCloseable {

    /** A public unicast range, as in {@link NatLab}: the namespaces have no link to the host's network. */
    static final String SERVER = "100.201.0.1";
    static final String CLIENT = "100.201.0.2";

    private static final String IP = "/usr/sbin/ip";
    private static final String TC = "/usr/sbin/tc";
    private static final String IPTABLES = "/usr/sbin/iptables";
    private static final String LINK = "view0";
    private static final Pattern OURS = Pattern.compile("sbq(\\d+)-(pub|view)");

    private final String prefix = "sbq" + ProcessHandle.current().pid() + "-";
    private final List<String> created = new ArrayList<>();
    private String lossProbability;

    private ShapedLinkLab() {
    }

    /** Builds the lab; on any failure what was built is removed again. */
    static ShapedLinkLab create() throws IOException {
        NatLab.removeLeftovers(OURS);
        ShapedLinkLab lab = new ShapedLinkLab();
        try {
            lab.build();
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    String ns(String name) {
        return prefix + name;
    }

    private void build() throws IOException {
        for (String n : List.of("pub", "view")) {
            NatLab.must(IP, "netns", "add", ns(n));
            created.add(ns(n));
            NatLab.must(IP, "-n", ns(n), "link", "set", "lo", "up");
        }
        NatLab.must(IP, "-n", ns("pub"), "link", "add", "name", LINK, "type", "veth", "peer", "name", "eth0", "netns",
                ns("view"));
        NatLab.must(IP, "-n", ns("pub"), "addr", "add", SERVER + "/24", "dev", LINK);
        NatLab.must(IP, "-n", ns("pub"), "link", "set", LINK, "up");
        NatLab.must(IP, "-n", ns("view"), "addr", "add", CLIENT + "/24", "dev", "eth0");
        NatLab.must(IP, "-n", ns("view"), "link", "set", "eth0", "up");
    }

    /** Puts {@code qdisc} (e.g. {@code netem loss 5%}) on the server → client direction, replacing any before. */
    void shape(String... qdisc) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(IP, "netns", "exec", ns("pub"), TC, "qdisc", "replace", "dev",
                LINK, "root"));
        cmd.addAll(List.of(qdisc));
        NatLab.must(cmd.toArray(String[]::new));
    }

    /**
     * Drops each server → client packet with {@code probability}, independently: iptables' {@code statistic} match
     * on what leaves {@code view0}, the same place a netem qdisc would act (this machine's kernel has no sch_netem:
     * "Specified qdisc kind is unknown"). Undone by {@link #unshape()}.
     */
    void lose(String probability) throws IOException {
        NatLab.must(lossRule("-A", probability));
        lossProbability = probability;
    }

    private String[] lossRule(String op, String probability) {
        return new String[]{IP, "netns", "exec", ns("pub"), IPTABLES, op, "OUTPUT", "-o", LINK, "-m", "statistic",
                "--mode", "random", "--probability", probability, "-j", "DROP"};
    }

    /** The link's qdisc and loss rule now, with their counters (for messages). */
    String qdisc() throws IOException {
        return NatLab.run(IP, "netns", "exec", ns("pub"), TC, "-s", "qdisc", "show", "dev", LINK).output().strip()
                + "\n" + NatLab.run(IP, "netns", "exec", ns("pub"), IPTABLES, "-L", "OUTPUT", "-v", "-n", "-x")
                .output().strip();
    }

    /** Back to the default qdisc and no loss: the link unshaped. */
    void unshape() throws IOException {
        if (lossProbability != null) {
            NatLab.run(lossRule("-D", lossProbability));
            lossProbability = null;
        }
        // fails harmlessly ("Cannot delete qdisc with handle of zero") when nothing was put there
        NatLab.run(IP, "netns", "exec", ns("pub"), TC, "qdisc", "del", "dev", LINK, "root");
    }

    /** Kills every process still inside the lab's namespaces (all started by this test), then deletes them. */
    @Override
    public void close() {
        for (String n : created) {
            NatLab.killAll(n);
        }
        for (String n : created) {
            try {
                NatLab.run(IP, "netns", "del", n);
            } catch (IOException e) {
                // reported by the next run's leftover cleanup
            }
        }
        created.clear();
    }
}
