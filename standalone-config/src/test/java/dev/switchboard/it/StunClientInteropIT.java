package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A STUN client nobody here wrote: coturn's {@code turnutils_stunclient} (Debian package {@code coturn}, installed by
 * .ci/run). It binds the local address we give it; our server must report exactly that address back.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StunClientInteropIT {

    private static final Pattern REFLEXIVE = Pattern.compile("UDP reflexive addr: (\\S+):(\\d+)");

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void turnutilsStunclientSeesItsOwnAddress() throws Exception {
        // 127.0.0.2 is loopback too (all of 127/8 is), and proves the answer is the sender's, not a constant
        Matcher m = run("-L", "127.0.0.2", "-p", Integer.toString(TestServer.STUN_PORT), "127.0.0.1");
        assertEquals("127.0.0.2", m.group(1));
        int port = Integer.parseInt(m.group(2));
        assertTrue(port > 0 && port < 65536, "port " + port);
        assertNotEquals(TestServer.STUN_PORT, port);
    }

    private static Matcher run(String... args) throws Exception {
        String tool = "/usr/bin/turnutils_stunclient";
        if (!new File(tool).canExecute()) {
            fail(tool + " is missing: install Debian's coturn package (apt-get install coturn), as .ci/run does");
        }
        String[] cmd = new String[args.length + 1];
        cmd[0] = tool;
        System.arraycopy(args, 0, cmd, 1, args.length);
        Path out = Files.createTempFile("stunclient", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("turnutils_stunclient did not finish: " + Files.readString(out));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), text);
            Matcher m = REFLEXIVE.matcher(text);
            assertTrue(m.find(), "no reflexive address in: " + text);
            return m;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
