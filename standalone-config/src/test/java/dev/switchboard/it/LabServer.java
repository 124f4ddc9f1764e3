package dev.switchboard.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A second WildFly, started inside a network namespace from the provisioned test server with the EAR: its modules
 * shared (read-only), a base directory of its own with the test server's configuration copied and the EAR in the
 * deployment scanner's folder. For tests whose server must sit in a lab (Arquillian's container runs in this
 * process's namespace, bound to loopback). HTTP on {@code address}:8080, management on the namespace's
 * 127.0.0.1:9990.
 */
final class LabServer implements AutoCloseable {

    static final Duration START = Duration.ofSeconds(120);

    private final String namespace;
    private final String address;
    private final Path dir;
    private Process process;

    private LabServer(String namespace, String address, Path dir) {
        this.namespace = namespace;
        this.address = address;
        this.dir = dir;
    }

    /**
     * Starts the server in {@code namespace} bound to {@code address}, with extra {@code -D} system properties
     * ({@code name=value}); returns at once (see {@link #awaitHealthy()}).
     */
    static LabServer start(String namespace, String address, String... properties) throws IOException {
        Path home = Path.of(System.getProperty("jboss.home", "target/test-server"));
        Path ear = Path.of(System.getProperty("test.deployment", "target/test-deployments/switchboard.ear"));
        if (!Files.isRegularFile(home.resolve("bin/standalone.sh")) || !Files.isRegularFile(ear)) {
            fail("no provisioned test server at " + home + " or no EAR at " + ear + ": run through mvn verify");
        }
        LabServer server = new LabServer(namespace, address, Files.createTempDirectory("switchboard-lab-server-"));
        try {
            server.launch(home, ear, properties);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void launch(Path home, Path ear, String... properties) throws IOException {
        copyTree(home.resolve("standalone/configuration"), dir.resolve("configuration"));
        List<String> set = new ArrayList<>(List.of("jboss.bind.address", "jboss.bind.address.management",
                "switchboard.bind.address"));
        for (String p : properties) {
            set.add(p.substring(0, Math.max(0, p.indexOf('='))));
        }
        dropConfiguredProperties(dir.resolve("configuration/standalone.xml"), set);
        Files.createDirectories(dir.resolve("deployments"));
        Files.copy(ear, dir.resolve("deployments/switchboard.ear"));
        List<String> cmd = new ArrayList<>(List.of("/usr/sbin/ip", "netns", "exec", namespace,
                home.resolve("bin/standalone.sh").toAbsolutePath().toString(),
                "-Djboss.server.base.dir=" + dir,
                "-Djboss.bind.address=" + address,
                "-Djboss.bind.address.management=127.0.0.1",
                "-Dswitchboard.bind.address=" + address));
        for (String p : properties) {
            cmd.add("-D" + p);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.log").toFile());
        // in the background the launcher forwards SIGTERM to the JVM, so stopping it stops the server
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        process = pb.start();
    }

    /** Copies a directory tree (a server's configuration) to {@code to}, replacing files there. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * Drops the {@code <system-properties>} entries the lab sets on the command line from the copied configuration: an
     * entry there wins over {@code -D}, and an earlier IT may have left one in the test server's configuration
     * (one that changes a property writes it back to its value rather than removing it, which would clear it), which
     * would bind the lab's relay to {@code ::1}, an address its namespace does not have.
     */
    static void dropConfiguredProperties(Path standaloneXml, List<String> names) throws IOException {
        if (!Files.isRegularFile(standaloneXml)) {
            return;
        }
        String xml = Files.readString(standaloneXml);
        for (String name : names) {
            if (!name.isEmpty()) {
                xml = xml.replaceAll("\\s*<property name=\"" + java.util.regex.Pattern.quote(name) + "\"[^>]*/>", "");
            }
        }
        Files.writeString(standaloneXml, xml);
    }

    /** Waits (bounded by {@link #START}) until /api/health answers 200 from inside the namespace. */
    void awaitHealthy() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the server in the lab exited (" + process.exitValue() + "):\n" + log());
            }
            last = get(address, 8080, "/api/health", "");
            if (last.matches("(?s)HTTP/1\\.[01] 200 .*")) {
                return;
            }
            Thread.sleep(500);
        }
        fail("the server in the lab was not healthy in " + START.toSeconds() + " s; last answer: " + last + "\n"
                + log());
    }

    /**
     * Switchboard's own series ({@code switchboard_…}) of the management interface's Prometheus text (this process's
     * namespace has no route to it). Filtered in the namespace: the whole text (WildFly's meters too) is more than a
     * pipe holds while {@link NatLab#run} waits for the command to end.
     */
    String metrics() throws IOException {
        return get("127.0.0.1", 9990, "/prometheus", " | grep '^switchboard_'");
    }

    /** A raw HTTP/1.0 GET from inside the namespace: status line, headers and body through {@code filter}. */
    private String get(String host, int port, String path, String filter) throws IOException {
        String request = "exec 3<>/dev/tcp/" + host + "/" + port + " && printf 'GET " + path
                + " HTTP/1.0\\r\\n\\r\\n' >&3 && timeout 5 cat <&3" + filter;
        return NatLab.run("/usr/sbin/ip", "netns", "exec", namespace, "/usr/bin/timeout", "6", "/bin/bash", "-c",
                request).output();
    }

    String log() {
        return Chromium.tail(dir.resolve("log/server.log"));
    }

    Path logFile() {
        return dir.resolve("log/server.log");
    }

    /** Stops the server, keeping its log at {@code copy} (evidence for whoever reads a failure). */
    void closeKeepingLog(Path copy) {
        try {
            Files.copy(logFile(), copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // no log yet
        }
        close();
    }

    /** Stops the server (SIGTERM, then kill after 20 s) and deletes its base directory. */
    @Override
    public void close() {
        try {
            if (process != null) {
                stop(List.of(process), Duration.ofSeconds(20));
            }
        } finally {
            process = null;
            Chromium.delete(dir);
        }
    }

    /**
     * Stops server processes with everything they started (the launcher script, the JVM): SIGTERM to all, then
     * whatever is still running after {@code grace} is killed, and waited for (bounded).
     */
    static void stop(List<Process> processes, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : processes) {
            all.addAll(p.descendants().toList());
            all.add(p.toHandle());
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception gone) {
                    // killed: the kernel reaps it; nothing more to wait for here
                }
            }
        }
    }
}
