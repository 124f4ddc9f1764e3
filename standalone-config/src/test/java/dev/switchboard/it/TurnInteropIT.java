package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * coturn's own TURN client, {@code turnutils_uclient}, relays through our server to coturn's echo peer
 * {@code turnutils_peer} with zero loss: every message it sends must come back through the relay. With {@code -T}
 * (RFC 6062 TCP relaying) it has no echo peer: it pairs its sessions, each one Connecting to the other's relayed TCP
 * address, which our server sees as a ConnectionAttempt, and every message one sends must reach the other. Over TLS
 * ({@code -S} with {@code -t} or {@code -T}) the client picks TLS 1.3 or TLS 1.2 at random for each of its
 * connections (and now and then an older version, which we refuse and it retries), so both versions are exercised.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TurnInteropIT {

    private static final Pattern TOTALS = Pattern.compile("tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)");
    private static final Pattern LOST = Pattern.compile("Total lost packets (\\d+)");
    private static final Pattern TLS_SESSION = Pattern.compile("client session connected with cipher \\S+, method=(\\S+)");
    private static final int MESSAGES = 50;
    private static final int CLIENTS = 2;
    /** Sessions for {@code -T}: paired, so an even number (three pairs). */
    private static final int TCP_RELAY_CLIENTS = 6;

    private static final List<Process> PEERS = new ArrayList<>();

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @BeforeAll
    static void startPeers() throws Exception {
        // the echo peer binds PEER_PORT and PEER_PORT + 1 (for the RTCP allocation)
        PEERS.add(CoturnTools.start("turnutils_peer", "-L", "127.0.0.1", "-p", Integer.toString(TestServer.TURN_PEER_PORT)));
        PEERS.add(CoturnTools.start("turnutils_peer", "-L", "::1", "-p", Integer.toString(TestServer.TURN_PEER_PORT + 2)));
        // Ready when each port echoes, however long the processes take to bind on this machine.
        for (int port : new int[] {TestServer.TURN_PEER_PORT, TestServer.TURN_PEER_PORT + 1}) {
            awaitEcho(new InetSocketAddress("127.0.0.1", port));
            awaitEcho(new InetSocketAddress("::1", port + 2));
        }
    }

    /** Sends probes until the echo peer at {@code peer} answers one (at most 30 s). */
    private static void awaitEcho(InetSocketAddress peer) throws IOException {
        byte[] probe = "ready?".getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(peer.getAddress(), 0))) {
            socket.setSoTimeout(200);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            DatagramPacket reply = new DatagramPacket(new byte[64], 64);
            while (System.nanoTime() < deadline) {
                socket.send(new DatagramPacket(probe, probe.length, peer));
                try {
                    socket.receive(reply);
                    return;
                } catch (SocketTimeoutException notYet) {
                    // not bound yet (or the probe was lost): send another
                }
            }
        }
        throw new AssertionError("turnutils_peer at " + peer + " never echoed within 30 s");
    }

    @AfterAll
    static void stopPeers() {
        PEERS.forEach(Process::destroy);
    }

    @Test
    void udpWithChannels() throws Exception {
        relay("-u", TestServer.TURN_USER, "-w", TestServer.TURN_PASSWORD);
    }

    @Test
    void udpWithSendIndications() throws Exception {
        relay("-s", "-u", TestServer.TURN_USER, "-w", TestServer.TURN_PASSWORD);
    }

    /** {@code -c}: no paired RTCP allocation (one allocation per session, no EVEN-PORT reservation to go with it). */
    @Test
    void udpWithoutRtcpAllocation() throws Exception {
        relay("-c", "-u", TestServer.TURN_USER, "-w", TestServer.TURN_PASSWORD);
    }

    @Test
    void tcpWithChannels() throws Exception {
        relay("-t", "-u", TestServer.TURN_USER, "-w", TestServer.TURN_PASSWORD);
    }

    @Test
    void tcpWithSendIndications() throws Exception {
        relay("-t", "-s", "-u", TestServer.TURN_USER, "-w", TestServer.TURN_PASSWORD);
    }

    @Test
    void tlsWithChannels() throws Exception {
        relayTls(TestServer.TLS_PORT, "-u", TestServer.TURN_USER, "-w", TestServer.TURN_PASSWORD);
    }

    @Test
    void tlsWithSendIndications() throws Exception {
        relayTls(TestServer.TLS_PORT, "-s", "-u", TestServer.TURN_USER, "-w", TestServer.TURN_PASSWORD);
    }

    @Test
    void tlsOnTheSecondPortCheckingOurCertificate() throws Exception {
        // -E: the client verifies the server's chain against the build's self-signed certificate
        relayTls(TestServer.TLS_PORTS.get(1), "-E", TestServer.TLS_CERTIFICATE.toString(), "-W", TestServer.TURN_SECRET);
    }

    @Test
    void tlsOverIpv6() throws Exception {
        relayTo("::1", TestServer.TURN_PEER_PORT + 2, "::1", TestServer.TLS_PORT, CLIENTS, "-t", "-S", "-x",
                "-u", TestServer.TURN_USER, "-w", TestServer.TURN_PASSWORD);
    }

    @Test
    void restApiSecret() throws Exception {
        relay("-W", TestServer.TURN_SECRET);
    }

    @Test
    void ipv6ClientPeerAndRelay() throws Exception {
        relayTo("::1", TestServer.TURN_PEER_PORT + 2, "::1", TestServer.STUN_PORT, CLIENTS, "-x",
                "-u", TestServer.TURN_USER, "-w", TestServer.TURN_PASSWORD);
    }

    @Test
    void tcpRelayRfc6062() throws Exception {
        relayTo("127.0.0.1", TestServer.TURN_PEER_PORT, "127.0.0.1", TestServer.STUN_PORT, TCP_RELAY_CLIENTS,
                "-T", "-u", TestServer.TURN_USER, "-w", TestServer.TURN_PASSWORD);
    }

    @Test
    void tcpRelayRfc6062OverTls() throws Exception {
        // control and data connections over TLS: the data connections are spliced through their TLS sessions
        String out = relayTo("127.0.0.1", TestServer.TURN_PEER_PORT, "127.0.0.1", TestServer.TLS_PORT,
                TCP_RELAY_CLIENTS, "-T", "-S", "-u", TestServer.TURN_USER, "-w", TestServer.TURN_PASSWORD);
        assertTlsSessions(out);
    }

    @Test
    void tcpRelayRfc6062OverIpv6() throws Exception {
        relayTo("::1", TestServer.TURN_PEER_PORT + 2, "::1", TestServer.STUN_PORT, TCP_RELAY_CLIENTS,
                "-T", "-x", "-u", TestServer.TURN_USER, "-w", TestServer.TURN_PASSWORD);
    }

    private static void relay(String... flags) throws Exception {
        relayTo("127.0.0.1", TestServer.TURN_PEER_PORT, "127.0.0.1", TestServer.STUN_PORT, CLIENTS, flags);
    }

    /** TLS over TCP to {@code port}. */
    private static void relayTls(int port, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("-t", "-S"));
        args.addAll(List.of(flags));
        assertTlsSessions(relayTo("127.0.0.1", TestServer.TURN_PEER_PORT, "127.0.0.1", port, CLIENTS,
                args.toArray(String[]::new)));
    }

    /** Every TLS connection the client reports settled on TLS 1.3 or 1.2. */
    private static void assertTlsSessions(String out) {
        Matcher m = TLS_SESSION.matcher(out);
        int sessions = 0;
        while (m.find()) {
            sessions++;
            assertTrue(m.group(1).equals("TLSv1.3") || m.group(1).equals("TLSv1.2"), m.group());
        }
        assertTrue(sessions >= CLIENTS, "TLS sessions in the client's output: " + sessions + "\n" + CoturnTools.tail(out));
    }

    /**
     * Runs {@code turnutils_uclient} with {@code flags} and asserts every message got through; its output. Also for
     * other ITs (client-to-client runs against a reconfigured server).
     */
    static String relayTo(String peer, int peerPort, String server, int serverPort, int clients,
                          String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of(flags));
        args.addAll(List.of("-p", Integer.toString(serverPort), "-e", peer, "-r", Integer.toString(peerPort),
                "-n", Integer.toString(MESSAGES), "-m", Integer.toString(clients), "-l", "120", "-z", "5", server));
        CoturnTools.Result r = CoturnTools.run(90, "turnutils_uclient", args.toArray(String[]::new));
        String out = CoturnTools.tail(r.output());
        assertEquals(0, r.exitCode(), r.command() + "\n" + out);
        Matcher totals = lastMatch(TOTALS, r.output());
        assertTrue(totals != null, "no totals in output of " + r.command() + "\n" + out);
        assertEquals(MESSAGES * clients, Integer.parseInt(totals.group(1)), "sent\n" + out);
        assertEquals(MESSAGES * clients, Integer.parseInt(totals.group(2)), "echoed back through the relay\n" + out);
        Matcher lost = lastMatch(LOST, r.output());
        assertTrue(lost != null && lost.group(1).equals("0"), "lost packets\n" + out);
        return r.output();
    }

    private static Matcher lastMatch(Pattern p, String text) {
        Matcher m = p.matcher(text);
        Matcher last = null;
        while (m.find()) {
            last = p.matcher(text);
            last.find(m.start());
        }
        return last;
    }
}
