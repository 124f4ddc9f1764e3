package dev.switchboard.relay.turn;

import dev.switchboard.relay.transport.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.File;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A foreign client follows our 300 Try Alternate: coturn's {@code turnutils_uclient} (Debian's coturn, as .ci/run
 * installs; its absence fails the test) makes its first allocation, a probe, at a full relay, gets 300 naming another
 * relay, checks its MESSAGE-INTEGRITY, and then makes its real session at the alternate and relays through it.
 */
class TurnAlternateInteropTest {

    private static final String UCLIENT = "/usr/bin/turnutils_uclient";

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    @Test
    void coturnsClientFollowsTheRedirectToTheAlternate() throws Exception {
        if (!new File(UCLIENT).canExecute()) {
            fail(UCLIENT + " is missing: install Debian's coturn package (apt-get install coturn), as .ci/run does");
        }
        TurnHarness full = track(TurnHarness.start(TurnHarness.config().maxAllocations(1)));
        TurnHarness room = track(TurnHarness.start());
        track(full.udpClient()).allocate(); // the one allocation it has room for
        full.server.alternates(AlternateServers.of(List.of(
                new AlternateServers.Alternate(Protocol.UDP, room.udp.localAddress(), null))));
        DatagramSocket peer = track(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        Thread echo = new Thread(() -> echo(peer), "uclient-peer");
        echo.setDaemon(true);
        echo.start();

        Path out = Files.createTempFile("uclient", ".log");
        try {
            // one session of 5 messages over a channel, to the echo peer; -c: no paired RTCP allocation
            Process p = new ProcessBuilder(UCLIENT, "-c", "-m", "1", "-n", "5", "-l", "100", "-u", TurnHarness.USER,
                    "-w", TurnHarness.PASSWORD, "-e", "127.0.0.1", "-r", Integer.toString(peer.getLocalPort()),
                    "-p", Integer.toString(full.udp.localAddress().getPort()), "127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail("turnutils_uclient did not finish in 60 s:\n" + Files.readString(out));
            }
            String log = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), log);
            assertEquals(1, full.server.stats().redirects(), "the probe allocation was redirected; " + log);
            assertEquals(1, full.server.allocationCount(), "nothing allocated at the full relay; " + log);
            assertTrue(room.server.stats().allocationsCreated() >= 1, "its session allocated at the alternate; " + log);
            assertTrue(room.server.stats().packetsToPeers() >= 1, "and relayed through it; " + log);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Sends every datagram back to where it came from, until the socket closes. */
    private static void echo(DatagramSocket socket) {
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            while (true) {
                packet.setLength(buffer.length);
                socket.receive(packet);
                socket.send(new DatagramPacket(buffer, packet.getLength(), packet.getSocketAddress()));
            }
        } catch (SocketException closed) {
            // the test ended
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
