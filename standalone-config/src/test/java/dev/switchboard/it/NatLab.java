package dev.switchboard.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two clients that can meet only through a relay: network namespaces {@code c1} and {@code c2}, each behind its own
 * symmetric NAT ({@code nat1}, {@code nat2}: MASQUERADE --random maps every destination to a new random port, and
 * nothing unsolicited gets in), both NATs on one "internet" bridge in {@code pub}, where the server runs.
 * <pre>
 *   c1 10.1.0.2 ─ 10.1.0.1 nat1 INTERNET.11 ─┐
 *                                             ├─ br0 INTERNET.1 pub (TURN, HTTP)
 *   c2 10.2.0.2 ─ 10.2.0.1 nat2 INTERNET.12 ─┘
 * </pre>
 * Names carry this JVM's pid, so a lab left behind by a killed run is recognised and removed by the next one. Needs
 * root (CAP_NET_ADMIN), iproute2 and iptables. See ../shared/notes/browser-e2e.md.
 */
final class NatLab implements AutoCloseable {

    /**
     * The lab's public network. Not a documentation range: the server runs with its default peer policy, which
     * refuses documentation ranges as peers (and so as relay addresses two allocations may relay between). Any
     * public unicast range is harmless here: the namespaces have no link to the host's network.
     */
    static final String INTERNET = "100.200.0";
    static final String SERVER = INTERNET + ".1";

    private static final String IP = "/usr/sbin/ip";
    private static final String IPTABLES = "/usr/sbin/iptables";
    private static final Pattern OURS = Pattern.compile("sbnat(\\d+)-(pub|nat1|nat2|c1|c2)");
    private static final int COMMAND_SECONDS = 10;

    private final String prefix = "sbnat" + ProcessHandle.current().pid() + "-";
    private final List<String> created = new ArrayList<>();

    private NatLab() {
    }

    /** Whether this process may create network namespaces at all (root with CAP_NET_ADMIN, iproute2 present). */
    static String unavailableReason() {
        if (!Files.isExecutable(Path.of(IP))) {
            return IP + " is missing (iproute2)";
        }
        String probe = "sbnat-probe" + ProcessHandle.current().pid();
        try {
            Result r = run(IP, "netns", "add", probe);
            if (r.code != 0) {
                return "cannot create a network namespace (needs root / CAP_NET_ADMIN): " + r.output.strip();
            }
            run(IP, "netns", "del", probe);
            return null;
        } catch (IOException e) {
            return "cannot run " + IP + ": " + e;
        }
    }

    /** Builds the topology; on any failure what was built is removed again. */
    static NatLab create() throws IOException {
        if (!Files.isExecutable(Path.of(IPTABLES))) {
            throw new IllegalStateException(IPTABLES + " is missing: apt-get install iptables (as .ci/run does)");
        }
        removeLeftovers(OURS);
        NatLab lab = new NatLab();
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
        for (String n : List.of("pub", "nat1", "nat2", "c1", "c2")) {
            must(IP, "netns", "add", ns(n));
            created.add(ns(n));
            must(IP, "-n", ns(n), "link", "set", "lo", "up");
        }
        String pub = ns("pub");
        must(IP, "-n", pub, "link", "add", "name", "br0", "type", "bridge");
        must(IP, "-n", pub, "addr", "add", SERVER + "/24", "dev", "br0");
        must(IP, "-n", pub, "link", "set", "br0", "up");
        // A default route into a silent sink: a relayed send towards an address off the lab (a private host
        // candidate, if a policy ever let it through) is then swallowed instead of failing with ENETUNREACH.
        must(IP, "-n", pub, "link", "add", "name", "sink", "type", "veth", "peer", "name", "sink-end");
        must(IP, "-n", pub, "link", "set", "sink", "arp", "off", "up");
        must(IP, "-n", pub, "link", "set", "sink-end", "up");
        must(IP, "-n", pub, "route", "add", "default", "dev", "sink");
        for (int i = 1; i <= 2; i++) {
            String nat = ns("nat" + i);
            String client = ns("c" + i);
            must(IP, "-n", nat, "link", "add", "name", "wan", "type", "veth", "peer", "name", "wan" + i, "netns", pub);
            must(IP, "-n", pub, "link", "set", "wan" + i, "master", "br0", "up");
            must(IP, "-n", nat, "addr", "add", INTERNET + ".1" + i + "/24", "dev", "wan");
            must(IP, "-n", nat, "link", "set", "wan", "up");
            must(IP, "-n", nat, "link", "add", "name", "lan", "type", "veth", "peer", "name", "eth0", "netns", client);
            must(IP, "-n", nat, "addr", "add", "10." + i + ".0.1/24", "dev", "lan");
            must(IP, "-n", nat, "link", "set", "lan", "up");
            must(IP, "-n", client, "addr", "add", "10." + i + ".0.2/24", "dev", "eth0");
            must(IP, "-n", client, "link", "set", "eth0", "up");
            must(IP, "-n", client, "route", "add", "default", "via", "10." + i + ".0.1");
            must(IP, "netns", "exec", nat, "/bin/sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward");
            // symmetric NAT: a new random public port for every destination
            must(IP, "netns", "exec", nat, IPTABLES, "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j",
                    "MASQUERADE", "--random");
            must(IP, "netns", "exec", nat, IPTABLES, "-P", "FORWARD", "DROP");
            must(IP, "netns", "exec", nat, IPTABLES, "-A", "FORWARD", "-i", "lan", "-o", "wan", "-j", "ACCEPT");
            must(IP, "netns", "exec", nat, IPTABLES, "-A", "FORWARD", "-m", "conntrack", "--ctstate",
                    "ESTABLISHED,RELATED", "-j", "ACCEPT");
            must(IP, "netns", "exec", nat, IPTABLES, "-A", "INPUT", "-i", "wan", "-m", "conntrack", "--ctstate",
                    "ESTABLISHED,RELATED", "-j", "ACCEPT");
            must(IP, "netns", "exec", nat, IPTABLES, "-A", "INPUT", "-i", "wan", "-j", "DROP");
        }
    }

    /** Kills every process still inside the lab's namespaces (all started by this test), then deletes them. */
    @Override
    public void close() {
        for (String n : created) {
            killAll(n);
        }
        for (String n : created) {
            try {
                run(IP, "netns", "del", n);
            } catch (IOException e) {
                // reported by the next run's leftover cleanup
            }
        }
        created.clear();
    }

    /**
     * Namespaces of a run whose JVM is gone (killed before its cleanup): their processes, then themselves. {@code ours}
     * matches a lab's namespace names with the pid of the JVM that made them as group 1.
     */
    static void removeLeftovers(Pattern ours) throws IOException {
        Result list = run(IP, "netns", "list");
        for (String line : list.output.split("\n")) {
            Matcher m = ours.matcher(line.strip().split("\\s+")[0]);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                killAll(m.group());
                run(IP, "netns", "del", m.group());
            }
        }
    }

    static void killAll(String namespace) {
        try {
            for (String pid : run(IP, "netns", "pids", namespace).output.split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // nothing to kill
        }
    }

    static void must(String... cmd) throws IOException {
        Result r = run(cmd);
        if (r.code != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + r.code + "): " + r.output.strip());
        }
    }

    static Result run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish in " + COMMAND_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    record Result(int code, String output) {
    }
}
