package dev.switchboard.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A PostgreSQL server of Debian's package ({@code /usr/lib/postgresql/<version>/bin}, the newest installed) for the
 * cluster tests: a fresh cluster made by initdb in target/postgres-lab, listening on 127.0.0.1:{@link #PORT} (5432 in
 * the cluster's port range, see {@link ClusterLab}) with its unix socket in that directory, and an empty database
 * {@link #DATABASE} owned by the user {@link #USER} with a random password (password authentication over TCP, as the
 * nodes' JDBC driver will meet it in production). PostgreSQL refuses to run as root: when the tests run as root (CI),
 * every server command runs as the {@code postgres} system user that the package creates.
 */
final class PostgresLab implements AutoCloseable {

    static final int PORT = 5432 + ClusterLab.FIRST_OFFSET;
    static final String DATABASE = "switchboard";
    static final String USER = "switchboard";
    /** initdb, start, one psql: seconds each on a quiet machine; generous for a loaded one. */
    static final Duration COMMAND = Duration.ofSeconds(90);
    static final Duration STOP = Duration.ofSeconds(30);
    private static final Path PACKAGES = Path.of("/usr/lib/postgresql");

    private final Path bin;
    private final Path dir;
    private final String password;
    private boolean running;

    private PostgresLab(Path bin, Path dir, String password) {
        this.bin = bin;
        this.dir = dir;
        this.password = password;
    }

    /** A fresh server with an empty database; fails the test when Debian's postgresql is missing or will not start. */
    static PostgresLab start() throws Exception {
        Path dir = Path.of("target", "postgres-lab").toAbsolutePath();
        PostgresLab lab = new PostgresLab(bin(), dir, HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
        lab.stopLeftover();
        Chromium.delete(dir);
        Files.createDirectories(dir);
        boolean started = false;
        try {
            lab.init();
            lab.run(lab.server("pg_ctl", "-D", lab.data().toString(), "-l", lab.log().toString(), "-w",
                    "-t", Long.toString(COMMAND.toSeconds() - 10), "-o", "-p " + PORT + " -k " + dir
                            // nothing here outlives the test: no need to wait for the disk
                            + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off", "start"));
            lab.running = true;
            lab.run(lab.server("psql", "-h", dir.toString(), "-p", Integer.toString(PORT), "-U", "postgres",
                    "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                    "-c", "create role " + USER + " login password '" + lab.password + "'",
                    "-c", "create database " + DATABASE + " owner " + USER));
            started = true;
            return lab;
        } finally {
            if (!started) {
                lab.close();
            }
        }
    }

    /** The nodes' JDBC URL. */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + PORT + "/" + DATABASE;
    }

    String password() {
        return password;
    }

    /** The system properties of README "Configuration" that point a node configured by postgresql.cli here. */
    List<String> systemProperties() {
        return List.of("-Dswitchboard.db.url=" + url(), "-Dswitchboard.db.user=" + USER,
                "-Dswitchboard.db.password=" + password);
    }

    /** A connection as the nodes' user, for tests that look at the shared database themselves. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, password);
    }

    Path log() {
        return dir.resolve("postgres.log");
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** initdb: password authentication over TCP (the superuser's password only in a file that is deleted after). */
    private void init() throws Exception {
        Path pw = dir.resolve("superuser-password");
        Files.writeString(pw, HexFormat.of().formatHex(new SecureRandom().generateSeed(16)), StandardCharsets.UTF_8);
        asPostgres(dir);
        run(server("initdb", "-D", data().toString(), "-U", "postgres", "--pwfile=" + pw, "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"));
        Files.delete(pw);
    }

    /** A server from an earlier run that was killed before it could stop its database. */
    private void stopLeftover() throws Exception {
        if (Files.isRegularFile(data().resolve("postmaster.pid"))) {
            try {
                stop("immediate");
            } catch (AssertionError gone) {
                // its process is gone already; a server that is still there is found by the start (port in use)
            }
        }
    }

    @Override
    public void close() {
        if (running) {
            try {
                stop("fast");
            } catch (Exception e) {
                System.err.println("PostgresLab: could not stop the server in " + data() + ": " + e);
            }
        }
    }

    private void stop(String mode) throws Exception {
        run(server("pg_ctl", "-D", data().toString(), "-m", mode, "-w", "-t", Long.toString(STOP.toSeconds()), "stop"));
        running = false;
    }

    /** The newest version of Debian's package ({@code postgresql-NN}). */
    private static Path bin() throws IOException {
        if (!Files.isDirectory(PACKAGES)) {
            fail("no PostgreSQL under " + PACKAGES + ": install Debian's postgresql (.ci/run does)");
        }
        try (Stream<Path> versions = Files.list(PACKAGES)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max((a, b) -> Integer.compare(Integer.parseInt(a.getFileName().toString()),
                            Integer.parseInt(b.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new AssertionError("no initdb under " + PACKAGES + "/*/bin"));
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** As root: the directory (and what is in it) belongs to {@code postgres}, which the server runs as. */
    private void asPostgres(Path path) throws Exception {
        if (root()) {
            run(List.of("chown", "-R", "postgres:postgres", path.toString()));
        }
    }

    /** One of the package's programs, run as {@code postgres} when we are root. */
    private List<String> server(String program, String... args) {
        List<String> cmd = new ArrayList<>();
        if (root()) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.add(bin.resolve(program).toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs a command to its end (bounded by {@link #COMMAND}); fails the test with its output when it fails. */
    private void run(List<String> cmd) throws Exception {
        Path out = Files.createTempFile("postgres-lab-", ".out");
        try {
            // output to a file, so the wait below is what bounds a command that hangs
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean ended = p.waitFor(COMMAND.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            if (!ended || p.exitValue() != 0) {
                fail(String.join(" ", cmd).replace(password, "…") + (ended ? " failed (" + p.exitValue() + ")"
                        : " did not end in " + COMMAND.toSeconds() + " s") + ":\n"
                        + Files.readString(out, StandardCharsets.UTF_8) + "\n--- server log\n" + Chromium.tail(log()));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
