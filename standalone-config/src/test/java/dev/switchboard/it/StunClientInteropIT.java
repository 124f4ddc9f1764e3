package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        CoturnTools.Result r = CoturnTools.run(30, "turnutils_stunclient", args);
        assertEquals(0, r.exitCode(), r.output());
        Matcher m = REFLEXIVE.matcher(r.output());
        assertTrue(m.find(), "no reflexive address in: " + r.output());
        return m;
    }
}
