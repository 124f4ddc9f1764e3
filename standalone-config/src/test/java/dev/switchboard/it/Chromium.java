package dev.switchboard.it;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A headless Chromium driven by the Debian ChromeDriver through Selenium, with a fake camera, nothing downloaded
 * (explicit driver and browser, {@code SE_OFFLINE=true} from failsafe) and its own profile and TMPDIR, both deleted on
 * {@link #close()} together with every process it started. Optionally inside a network namespace (then the browser is
 * started through {@code ip netns exec} and ChromeDriver talks to it over a pipe, since a debugging port inside the
 * namespace is out of its reach). See ../shared/notes/browser-e2e.md.
 */
final class Chromium implements Browser {

    static final String DRIVER = "/usr/bin/chromedriver";
    static final String BROWSER = "/usr/bin/chromium";
    /** The binary itself: the Debian launcher script is not needed inside a namespace. */
    static final String BROWSER_BINARY = "/usr/lib/chromium/chromium";
    static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(45);

    private static final String PEER_JS = resource("/webrtc/peer.js");

    private final String name;
    private final Path dir;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final ProcessHandle driverProcess;

    private Chromium(String name, Path dir, ChromeDriverService service, ChromeDriver driver,
                     ProcessHandle driverProcess) {
        this.name = name;
        this.dir = dir;
        this.service = service;
        this.driver = driver;
        this.driverProcess = driverProcess;
    }

    /**
     * Starts a browser.
     *
     * @param name          for file names and messages
     * @param namespace     network namespace to run the browser in, or null for this process's
     * @param secureOrigin  an http origin to treat as secure (getUserMedia needs one), or null
     * @param hostAddresses addresses the browser may resolve and reach by name, besides localhost and 127.0.0.1
     */
    static Chromium start(String name, String namespace, String secureOrigin, String... hostAddresses)
            throws IOException {
        return start(name, namespace, secureOrigin, List.of(), hostAddresses);
    }

    /** A browser in this process's network namespace with extra command-line arguments. */
    static Chromium start(String name, List<String> extraArguments) throws IOException {
        return start(name, null, null, extraArguments);
    }

    private static Chromium start(String name, String namespace, String secureOrigin, List<String> extraArguments,
                                  String... hostAddresses) throws IOException {
        for (String exe : new String[]{DRIVER, BROWSER, BROWSER_BINARY}) {
            if (!new File(exe).canExecute()) {
                fail(exe + " is missing: install Debian's chromium and chromium-driver (apt-get install chromium "
                        + "chromium-driver), as .ci/run does");
            }
        }
        Path dir = Files.createTempDirectory("switchboard-chromium-" + name + "-");
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        ChromeOptions options = new ChromeOptions();
        List<String> args = new ArrayList<>(List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectory(dir.resolve("profile")),
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"));
        // With no DNS Chromium stalls for seconds looking up Google hosts at start: resolve nothing but ours.
        StringBuilder rules = new StringBuilder("MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1");
        for (String a : hostAddresses) {
            rules.append(" , EXCLUDE ").append(a);
        }
        args.add("--host-resolver-rules=" + rules);
        if (secureOrigin != null) {
            args.add("--unsafely-treat-insecure-origin-as-secure=" + secureOrigin);
        }
        args.addAll(extraArguments);
        if (namespace != null) {
            args.add("--remote-debugging-pipe");
            Path launcher = dir.resolve("chromium-in-" + namespace);
            Files.writeString(launcher, "#!/bin/sh\nexec /usr/sbin/ip netns exec " + namespace + " " + BROWSER_BINARY
                    + " \"$@\"\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
            options.setBinary(launcher.toString());
        } else {
            options.setBinary(BROWSER);
        }
        options.addArguments(args);

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .withEnvironment(Map.of("TMPDIR", tmp.toString()))
                .withLogFile(dir.resolve("chromedriver.log").toFile())
                .build();
        Set<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
        ChromeDriver driver = null;
        try {
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(SCRIPT_TIMEOUT);
            ProcessHandle driverProcess = ProcessHandle.current().children()
                    .filter(p -> !before.contains(p.pid()))
                    .filter(p -> p.info().command().map(c -> c.endsWith("chromedriver")).orElse(false))
                    .findFirst().orElse(null);
            return new Chromium(name, dir, service, driver, driverProcess);
        } catch (RuntimeException e) {
            if (driver != null) {
                driver.quit();
            }
            service.stop();
            throw new IllegalStateException("Chromium " + name + " did not start; chromedriver log:\n"
                    + tail(dir.resolve("chromedriver.log")), e);
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void get(String url) {
        driver.get(url);
    }

    @Override
    public Path screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Opens the page and installs the test's WebRTC helpers ({@code SbPeer}, see webrtc/peer.js) into it. */
    void open(String url) {
        driver.get(url);
        driver.executeScript(PEER_JS);
    }

    /**
     * Runs {@code body} as an async function in the page with {@code args} as {@code args[0..]}, and returns what
     * its promise resolves to; a rejection fails with its message.
     */
    @Override
    public Object await(String body, Object... args) {
        String script = "const done = arguments[arguments.length - 1];"
                + "const args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);"
                + "(async () => {" + body + "})().then(r => done({ok: true, value: r === undefined ? null : r}),"
                + " e => done({ok: false, error: String(e && e.stack || e)}));";
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(script, args);
        if (!(result instanceof Map<?, ?> m)) {
            throw new AssertionError("unexpected script result " + result);
        }
        if (!Boolean.TRUE.equals(m.get("ok"))) {
            throw new AssertionError("in the page: " + m.get("error"));
        }
        return m.get("value");
    }

    @Override
    public void close() {
        List<ProcessHandle> started = driverProcess == null ? List.of()
                : driverProcess.descendants().collect(Collectors.toCollection(ArrayList::new));
        if (driverProcess != null) {
            started.add(driverProcess);
        }
        try {
            driver.quit();
        } catch (RuntimeException e) {
            // the browser may already be gone; its processes are killed below
        } finally {
            service.stop();
            for (ProcessHandle p : started) {
                p.destroyForcibly();
            }
            for (ProcessHandle p : started) {
                try {
                    p.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // reported by the leftover check of the caller, if any
                }
            }
            delete(dir);
        }
    }

    static String tail(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            return s.length() <= 4000 ? s : "…" + s.substring(s.length() - 4000);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }

    static String resource(String name) {
        try (InputStream in = Chromium.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
