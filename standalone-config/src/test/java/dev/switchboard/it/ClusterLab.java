package dev.switchboard.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A cluster of WildFly nodes on loopback, started from the provisioned test server with the EAR: the configuration
 * of the test server with {@code src/main/cli/cluster.cli} applied once (embedded CLI, offline), then per node a base
 * directory of its own (configuration, deployments, data), its own node name, transaction node
 * id, port offset and relay ports, the same ticket secret, and the TCPPING member list naming every node. The nodes
 * share one PostgreSQL database ({@link PostgresLab}, started first; {@code src/main/cli/postgresql.cli} applied with
 * cluster.cli), as a real cluster's do, so every node starts against the same empty database at once. Not
 * Arquillian: its container manages one server. Node i (from 0) has port offset {@code 20000 + 100 i}: HTTP
 * 28080 + 100 i, management 29990 + 100 i, JGroups 27600 + 100 i, STUN/TURN 23478 + 100 i, TURNS 25349 + 100 i.
 */
final class ClusterLab implements AutoCloseable {

    /** Both nodes healthy and in one view; generous, a loaded 2-core machine boots one WildFly in up to 60 s. */
    static final Duration START = Duration.ofSeconds(240);
    /** SIGTERM, then kill. */
    static final Duration STOP = Duration.ofSeconds(30);
    static final String TICKET_SECRET = "cluster-ticket-secret";
    /** Shared as a cluster must: a TURN credential minted on one node then works on every node. */
    static final String TURN_SECRET = "cluster-turn-secret";
    /** 20000 unless {@code test.cluster.first-offset} says otherwise (e.g. beside servers another checkout left running). */
    static final int FIRST_OFFSET = Integer.getInteger("test.cluster.first-offset", 20000);
    private static final int OFFSET_STEP = 100;

    /** One node; {@code index} from 0. */
    record Node(int index, String name, Path dir) {
        int offset() {
            return FIRST_OFFSET + OFFSET_STEP * index;
        }

        String base() {
            return "http://127.0.0.1:" + (8080 + offset());
        }

        URI signal() {
            return URI.create("ws://127.0.0.1:" + (8080 + offset()) + "/signal");
        }

        int managementPort() {
            return 9990 + offset();
        }

        /** The relay's STUN/TURN UDP address. */
        InetSocketAddress stunUdp() {
            return new InetSocketAddress("127.0.0.1", 3478 + offset());
        }

        int jgroupsPort() {
            return 7600 + offset();
        }

        Path log() {
            return dir.resolve("log/server.log");
        }
    }

    private final Path root;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    /** Nodes {@link #freeze} stopped and nothing thawed yet: {@link #close} resumes them before it stops them. */
    private final java.util.Set<Node> frozen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** More {@code -D} options for every node (a test's own settings). */
    private List<String> extraOptions = List.of();
    /** More {@code -D} options for one node, by index (settings that differ between nodes). */
    private Map<Integer, List<String>> nodeOptions = Map.of();
    /** The configuration file (under standalone/configuration) the script is applied to and the nodes start with. */
    private String serverConfig = "standalone.xml";
    private PostgresLab db;
    /** More CLI scripts applied after cluster.cli and postgresql.cli (modcluster.cli behind a balancer). */
    private final List<Path> extraScripts = new ArrayList<>();
    /** The load balancer in front of the nodes, or null. */
    private Balancer balancer;
    private Process balancerProcess;

    /**
     * WildFly's own load balancer (target/balancer: Undertow's mod_cluster proxy, balancer.cli applied by the build),
     * offset {@link #FIRST_OFFSET} + 1000: HTTP 29080, MCMP 29090, management 30990.
     */
    record Balancer(Path home, Path dir, List<String> options) {
        int offset() {
            return FIRST_OFFSET + 1000;
        }

        String base() {
            return "http://127.0.0.1:" + (8080 + offset());
        }

        URI signal() {
            return URI.create("ws://127.0.0.1:" + (8080 + offset()) + "/signal");
        }

        int mcmpPort() {
            return 8090 + offset();
        }

        int managementPort() {
            return 9990 + offset();
        }

        Path log() {
            return dir.resolve("log/server.log");
        }
    }

    private ClusterLab(Path root) {
        this.root = root;
    }

    /** Starts {@code count} nodes and waits until every one is healthy and sees all of them in its view. */
    static ClusterLab start(int count) throws Exception {
        return start(count, List.of(), db -> { });
    }

    /** {@link #start(int)} with more {@code -D} options for every node. */
    static ClusterLab start(int count, List<String> extraOptions) throws Exception {
        return start(count, extraOptions, db -> { });
    }

    /** What a test does to the shared database once it runs and before any node starts. */
    interface BeforeNodes {
        void accept(PostgresLab db) throws Exception;
    }

    /** As {@link #start(int)}, with {@code beforeNodes} run on the fresh database just before the nodes start. */
    static ClusterLab start(int count, BeforeNodes beforeNodes) throws Exception {
        return start(count, List.of(), beforeNodes);
    }

    /** With more {@code -D} options for every node and {@code beforeNodes} run on the fresh database. */
    static ClusterLab start(int count, List<String> extraOptions, BeforeNodes beforeNodes) throws Exception {
        Build b = Build.ofThisProject();
        return start(count, b.home(), b.ear(), b.script(), "standalone.xml", extraOptions, beforeNodes);
    }

    /** The provisioned test server, the EAR and cluster.cli of this build (failing the test when one is missing). */
    private record Build(Path home, Path ear, Path script) {
        static Build ofThisProject() {
            Path home = Path.of(System.getProperty("jboss.home", "target/test-server"));
            Path ear = Path.of(System.getProperty("test.deployment", "target/test-deployments/switchboard.ear"));
            Path script = Path.of(System.getProperty("test.cluster.cli", "src/main/cli/cluster.cli"));
            if (!Files.isRegularFile(home.resolve("bin/standalone.sh")) || !Files.isRegularFile(ear)
                    || !Files.isRegularFile(script)) {
                fail("no provisioned test server at " + home + ", EAR at " + ear + " or " + script
                        + ": run through mvn verify");
            }
            return new Build(home, ear, script);
        }
    }

    /** {@link #start(int, List)} with {@code nodeOptions} ({@code -D}) for the nodes of those indexes alone. */
    static ClusterLab start(int count, List<String> extraOptions, Map<Integer, List<String>> nodeOptions)
            throws Exception {
        Build b = Build.ofThisProject();
        return start(count, b.home(), b.ear(), b.script(), "standalone.xml", extraOptions, nodeOptions, db -> { }, null);
    }

    /**
     * As {@link #start(int)}, from any WildFly installation at {@code home}: {@code script} applied offline to its
     * {@code serverConfig} makes the nodes' configuration, and each node deploys {@code ear} (InstallScriptIT: a stock
     * WildFly, its standalone-ha.xml and the install script), with {@code extraOptions} ({@code -D}) for every node.
     */
    static ClusterLab start(int count, Path home, Path ear, Path script, String serverConfig,
                            List<String> extraOptions, BeforeNodes beforeNodes) throws Exception {
        return start(count, home, ear, script, serverConfig, extraOptions, Map.of(), beforeNodes, null);
    }

    /**
     * As {@link #start(int, List)}, behind WildFly's load balancer: the balancer (target/balancer, with
     * {@code balancerOptions} as its {@code -D}) starts first, the nodes get {@code src/main/cli/modcluster.cli} and
     * its MCMP port, and the start returns once every node is registered with it ({@link #balancer()}).
     */
    static ClusterLab startBehindBalancer(int count, List<String> extraOptions, List<String> balancerOptions)
            throws Exception {
        Build b = Build.ofThisProject();
        Path balancerHome = Path.of(System.getProperty("test.balancer.home", "target/balancer"));
        if (!Files.isRegularFile(balancerHome.resolve("bin/standalone.sh"))) {
            fail("no provisioned balancer at " + balancerHome + ": run through mvn verify");
        }
        return start(count, b.home(), b.ear(), b.script(), "standalone.xml", extraOptions, Map.of(), db -> { },
                new Balancer(balancerHome, null, List.copyOf(balancerOptions)));
    }

    private static ClusterLab start(int count, Path home, Path ear, Path script, String serverConfig,
                                    List<String> extraOptions, Map<Integer, List<String>> nodeOptions,
                                    BeforeNodes beforeNodes, Balancer behind) throws Exception {
        ClusterLab lab = new ClusterLab(Files.createTempDirectory("switchboard-cluster-"));
        lab.extraOptions = List.copyOf(extraOptions);
        lab.nodeOptions = Map.copyOf(nodeOptions);
        if (behind != null) {
            lab.balancer = new Balancer(behind.home(), lab.root.resolve("balancer"), behind.options());
            lab.extraScripts.add(Path.of(System.getProperty("test.modcluster.cli", "src/main/cli/modcluster.cli")));
            lab.extraOptions = new ArrayList<>(lab.extraOptions);
            lab.extraOptions.add("-Dswitchboard.balancer.port=" + lab.balancer.mcmpPort());
        }
        lab.serverConfig = serverConfig;
        boolean started = false;
        try {
            lab.db = PostgresLab.start();
            Path template = lab.root.resolve("template");
            lab.configure(home, script, template);
            for (int i = 0; i < count; i++) {
                lab.nodes.add(new Node(i, "node" + (i + 1), lab.root.resolve("node" + (i + 1))));
            }
            lab.requireFreePorts();
            beforeNodes.accept(lab.db);
            if (lab.balancer != null) {
                lab.launchBalancer();
            }
            for (Node n : lab.nodes) {
                lab.launch(home, ear, template, n);
            }
            lab.awaitCluster();
            if (lab.balancer != null) {
                lab.awaitBalancer();
            }
            started = true;
            return lab;
        } finally {
            if (!started) {
                lab.close(true);
            }
        }
    }

    List<Node> nodes() {
        return nodes;
    }

    Node node(int index) {
        return nodes.get(index);
    }

    /** The load balancer in front of the nodes ({@link #startBehindBalancer}), or null. */
    Balancer balancer() {
        return balancer;
    }

    /** The mod_cluster nodes the balancer knows now (its management model), e.g. [node1, node2]. */
    List<String> balancedNodes() throws Exception {
        String out = TestServer.cli(balancer.managementPort(), BALANCER_MODEL + ":read-children-names(child-type=node)");
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\"(node\\d+)\"").matcher(out);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** How often the balancer elected each node so far (its management model's {@code elected}), by node index. */
    long[] elected() throws Exception {
        String[] reads = nodes.stream().map(n -> BALANCER_MODEL + "/node=" + n.name() + ":read-attribute(name=elected)")
                .toArray(String[]::new);
        String out = TestServer.cli(balancer.managementPort(), reads);
        Matcher m = Pattern.compile("\"result\" => (\\d+)").matcher(out);
        long[] counts = new long[nodes.size()];
        for (int i = 0; i < counts.length; i++) {
            if (!m.find()) {
                fail("no elected count for " + nodes.get(i).name() + " in: " + out);
            }
            counts[i] = Long.parseLong(m.group(1));
        }
        return counts;
    }

    /** The nodes' shared database. */
    PostgresLab database() {
        return db;
    }

    /** The JGroups view of the {@code ee} channel on {@code n}, as its management API gives it. */
    String view(Node n) throws Exception {
        return TestServer.cli(n.managementPort(), "/subsystem=jgroups/channel=ee:read-attribute(name=view)");
    }

    /**
     * Kills node {@code n} at once (SIGKILL to its JVM and launcher), as a crash: it sends its peers no leave, so they
     * learn of it from the closed connection (JGroups suspects it). Waits until the processes are gone (bounded).
     */
    void kill(Node n) throws Exception {
        Process p = processes.get(n.index());
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            h.onExit().get(STOP.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The balancer's runtime view of the cluster (the mod_cluster balancer named in modcluster.cli). */
    static final String BALANCER_MODEL = "/subsystem=undertow/configuration=filter/mod-cluster=load-balancer/balancer=switchboard";

    /** The balancer from its own installation, with a base directory of its own in the lab. */
    private void launchBalancer() throws IOException {
        LabServer.copyTree(balancer.home().resolve("standalone/configuration"), balancer.dir().resolve("configuration"));
        List<String> cmd = new ArrayList<>(List.of(balancer.home().resolve("bin/standalone.sh").toAbsolutePath().toString(),
                "-Djboss.server.base.dir=" + balancer.dir().toAbsolutePath(),
                "-Djboss.node.name=balancer",
                "-Djboss.socket.binding.port-offset=" + balancer.offset(),
                "-Djboss.bind.address=127.0.0.1",
                "-Djboss.bind.address.management=127.0.0.1",
                "-Djboss.bind.address.private=127.0.0.1"));
        cmd.addAll(balancer.options());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(balancer.dir().resolve("console.log").toFile());
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        balancerProcess = pb.start();
    }

    /** Every node registered with the balancer, and the API answering through it (bounded by {@link #START}). */
    private void awaitBalancer() throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!balancerProcess.isAlive()) {
                fail("the balancer exited (" + balancerProcess.exitValue() + "):\n" + Chromium.tail(balancer.log()));
            }
            try {
                List<String> known = balancedNodes();
                if (known.containsAll(nodes.stream().map(Node::name).toList())) {
                    HttpResponse<String> r = TestServer.http().send(HttpRequest.newBuilder(
                            URI.create(balancer.base() + "/api/health")).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                    last = "health through the balancer " + r.statusCode();
                } else {
                    last = "the balancer knows " + known;
                }
            } catch (IOException | AssertionError e) { // not up yet
                last = String.valueOf(e);
            }
            Thread.sleep(2000);
        }
        fail("the nodes did not register with the balancer in " + START.toSeconds() + " s: " + last + "\n"
                + Chromium.tail(balancer.log()));
    }

    /**
     * Stops node {@code n}'s processes with SIGSTOP, as a hung JVM (a long GC pause, a frozen VM): its sockets stay
     * open, it answers nothing, and its peers find it only by failure detection. {@link #thaw} (and {@link #close})
     * resume it.
     */
    void freeze(Node n) throws Exception {
        signal(n, "-STOP");
        frozen.add(n);
    }

    /** Resumes a node {@link #freeze} stopped (SIGCONT); harmless on a running node. */
    void thaw(Node n) throws Exception {
        signal(n, "-CONT");
        frozen.remove(n);
    }

    private void signal(Node n, String signal) throws Exception {
        Process p = processes.get(n.index());
        List<String> cmd = new ArrayList<>(List.of("kill", signal, Long.toString(p.pid())));
        p.descendants().forEach(h -> cmd.add(Long.toString(h.pid())));
        Process kill = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            kill.destroyForcibly();
            fail(String.join(" ", cmd) + " failed: " + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The test server's configuration with cluster.cli applied, offline. */
    private void configure(Path home, Path script, Path template) throws Exception {
        LabServer.copyTree(home.resolve("standalone/configuration"), template.resolve("configuration"));
        // an entry there would win over the nodes' -D (see LabServer)
        LabServer.dropConfiguredProperties(template.resolve("configuration").resolve(serverConfig), List.of(
                "jboss.bind.address", "jboss.bind.address.private", "switchboard.bind.address", "switchboard.stun.port",
                "switchboard.stun.tcp.port", "switchboard.turn.tls.port", "switchboard.cluster.members",
                "switchboard.signaling.ticket-secret", "switchboard.turn.secrets"));
        Path apply = root.resolve("apply-cluster.cli");
        List<String> lines = new ArrayList<>();
        lines.add("embed-server --server-config=" + serverConfig + " --std-out=discard");
        lines.addAll(Files.readAllLines(script, StandardCharsets.UTF_8));
        lines.addAll(Files.readAllLines(Path.of(System.getProperty("test.postgresql.cli", "src/main/cli/postgresql.cli")),
                StandardCharsets.UTF_8));
        for (Path extra : extraScripts) {
            lines.addAll(Files.readAllLines(extra, StandardCharsets.UTF_8));
        }
        lines.add("stop-embedded-server");
        Files.write(apply, lines, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/jboss-cli.sh").toAbsolutePath().toString(),
                "--file=" + apply).redirectErrorStream(true);
        Path output = root.resolve("apply-cluster.log");
        pb.redirectOutput(output.toFile()); // a file, so the wait below is what bounds a hung CLI
        pb.environment().put("JAVA_OPTS", "-Djboss.server.base.dir=" + template.toAbsolutePath());
        Process p = pb.start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        if (!ended || p.exitValue() != 0 || out.contains("\"outcome\" => \"failed\"")) {
            fail(script.getFileName() + " did not apply" + (ended ? "" : " in 120 s") + ":\n" + out);
        }
    }

    private void launch(Path home, Path ear, Path template, Node n) throws IOException {
        LabServer.copyTree(template.resolve("configuration"), n.dir().resolve("configuration"));
        Files.createDirectories(n.dir().resolve("deployments"));
        Files.copy(ear, n.dir().resolve("deployments/switchboard.ear"));
        String members = nodes.stream().map(m -> "127.0.0.1[" + m.jgroupsPort() + "]").collect(Collectors.joining(","));
        int minPort = 41000 + 1000 * n.index();
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toAbsolutePath().toString(),
                "--server-config=" + serverConfig,
                "-Djboss.server.base.dir=" + n.dir().toAbsolutePath(),
                "-Djboss.node.name=" + n.name(),
                "-Djboss.tx.node.id=" + n.name(),
                "-Djboss.socket.binding.port-offset=" + n.offset(),
                "-Djboss.bind.address=127.0.0.1",
                "-Djboss.bind.address.management=127.0.0.1",
                "-Djboss.bind.address.private=127.0.0.1",
                "-Dswitchboard.cluster.members=" + members,
                "-Dswitchboard.signaling.ticket-secret=" + TICKET_SECRET,
                "-Dswitchboard.bind.address=127.0.0.1",
                "-Dswitchboard.stun.port=" + (3478 + n.offset()),
                "-Dswitchboard.stun.tcp.port=" + (3478 + n.offset()),
                "-Dswitchboard.turn.tls.port=" + (5349 + n.offset()),
                "-Dswitchboard.turn.min-port=" + minPort,
                "-Dswitchboard.turn.max-port=" + (minPort + 999),
                "-Dswitchboard.turn.secrets=" + TURN_SECRET));
        cmd.addAll(db.systemProperties());
        cmd.addAll(extraOptions);
        cmd.addAll(nodeOptions.getOrDefault(n.index(), List.of()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(n.dir().resolve("console.log").toFile());
        // in the background the launcher forwards SIGTERM to the JVM, so stopping it stops the server
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        processes.add(pb.start());
    }

    /**
     * Fails when another process holds a node's HTTP, management or JGroups port: a server left running by an earlier
     * run would otherwise answer in place of the node that cannot bind, and the test would check the wrong cluster.
     */
    private void requireFreePorts() {
        for (Node n : nodes) {
            for (int port : new int[] {8080 + n.offset(), n.managementPort(), n.jgroupsPort()}) {
                try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    // free: closed at once, the node binds it next
                } catch (IOException e) {
                    fail("port " + port + " of " + n.name() + " is in use (a server left running by an earlier run?): " + e);
                }
            }
        }
        if (balancer != null) {
            for (int port : new int[] {8080 + balancer.offset(), balancer.mcmpPort(), balancer.managementPort()}) {
                try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    // free
                } catch (IOException e) {
                    fail("port " + port + " of the balancer is in use (a server left running by an earlier run?): " + e);
                }
            }
        }
    }

    /** Every node healthy, then every node's view holding all of them (bounded by {@link #START}). */
    private void awaitCluster() throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < nodes.size(); i++) {
                if (!processes.get(i).isAlive()) {
                    fail(nodes.get(i).name() + " exited (" + processes.get(i).exitValue() + "):\n"
                            + Chromium.tail(nodes.get(i).log()));
                }
            }
            last = notReady();
            if (last == null) {
                return;
            }
            Thread.sleep(2000);
        }
        fail("the cluster did not form in " + START.toSeconds() + " s: " + last + "\n" + nodes.stream()
                .map(n -> "--- " + n.name() + "\n" + Chromium.tail(n.log())).collect(Collectors.joining("\n")));
    }

    /** What is still missing, or null when every node is healthy and sees every node. */
    private String notReady() throws Exception {
        for (Node n : nodes) {
            try {
                HttpResponse<String> r = TestServer.http().send(HttpRequest.newBuilder(URI.create(n.base() + "/api/health"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    return n.name() + " health " + r.statusCode() + " " + r.body();
                }
            } catch (IOException e) {
                return n.name() + " health: " + e;
            }
        }
        for (Node n : nodes) {
            String view;
            try {
                view = view(n);
            } catch (AssertionError e) { // the CLI could not connect or read it yet
                return n.name() + ": " + e.getMessage();
            }
            if (!nodes.stream().allMatch(m -> view.contains(m.name()))) {
                return n.name() + " view " + view;
            }
        }
        return null;
    }

    @Override
    public void close() {
        close(false);
    }

    /**
     * Stops every node (SIGTERM, then kill after {@link #STOP}) and deletes the lab; with {@code keepLogs} each node's
     * server and console log is kept in target/cluster-lab (evidence for whoever reads a failure).
     */
    void close(boolean keepLogs) {
        try {
            for (Node n : List.copyOf(frozen)) { // a stopped JVM cannot act on SIGTERM
                try {
                    thaw(n);
                } catch (Exception | AssertionError e) {
                    System.err.println("could not thaw " + n.name() + " (the stop kills it): " + e);
                }
            }
            LabServer.stop(processes, STOP);
            if (balancerProcess != null) {
                LabServer.stop(List.of(balancerProcess), STOP);
            }
            if (db != null) {
                db.close();
            }
            if (keepLogs) {
                Path keep = Path.of("target", "cluster-lab");
                Files.createDirectories(keep);
                if (db != null && Files.isRegularFile(db.log())) {
                    Files.copy(db.log(), keep.resolve("postgres.log"), StandardCopyOption.REPLACE_EXISTING);
                }
                if (balancer != null && Files.isRegularFile(balancer.log())) {
                    Files.copy(balancer.log(), keep.resolve("balancer-server.log"), StandardCopyOption.REPLACE_EXISTING);
                }
                for (Node n : nodes) {
                    for (String log : List.of("log/server.log", "console.log")) {
                        Path f = n.dir().resolve(log);
                        if (Files.isRegularFile(f)) {
                            Files.copy(f, keep.resolve(n.name() + "-" + f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("could not keep the cluster's logs: " + e);
        } finally {
            processes.clear();
            Chromium.delete(root);
        }
    }
}
