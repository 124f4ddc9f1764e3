package dev.switchboard.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * coturn's client tools (Debian package {@code coturn}, installed by .ci/run) as foreign test clients. Their absence
 * fails the test: an interop test that skips itself proves nothing.
 */
final class CoturnTools {

    private CoturnTools() {
    }

    static String tool(String name) {
        String path = "/usr/bin/" + name;
        if (!new File(path).canExecute()) {
            fail(path + " is missing: install Debian's coturn package (apt-get install coturn), as .ci/run does");
        }
        return path;
    }

    /** Runs a tool to completion (bounded by {@code timeoutSeconds}) and returns its exit code and output. */
    static Result run(int timeoutSeconds, String name, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool(name));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(name, ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s:\n" + tail(Files.readString(out)));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), String.join(" ", cmd));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Starts a long-running tool (e.g. turnutils_peer); the caller destroys it. */
    static Process start(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool(name));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    static String tail(String text) {
        return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
    }

    record Result(int exitCode, String output, String command) {
    }
}
