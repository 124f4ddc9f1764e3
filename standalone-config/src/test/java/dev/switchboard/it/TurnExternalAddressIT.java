package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import static dev.switchboard.it.TurnTestClient.ALLOCATE;
import static dev.switchboard.it.TurnTestClient.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A relay behind a 1:1 NAT, set up the way an operator does (switchboard.turn.external-address through the
 * management CLI, then a redeploy): Allocate answers carry the made-up public address 100.200.0.9 with the relayed
 * port, while the relayed socket stays bound to the private 127.0.0.1 and relays there; two allocations reach each
 * other by their public relayed addresses, which exist nowhere, as the server relays them to the private address
 * itself (a cloud NAT need not hairpin), and each client sees its peer as the public address; coturn's
 * {@code turnutils_uclient} pairing its sessions (UDP with channels and with Send indications, RFC 6062 TCP) relays
 * through them with nothing lost. Removed again afterwards.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TurnExternalAddressIT {

    private static final String NAME = "switchboard-external-address";
    private static final String PROPERTY = "switchboard.turn.external-address";
    private static final InetAddress PUBLIC = address("100.200.0.9");
    private static final InetAddress PRIVATE = address("127.0.0.1");

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = NAME, managed = false, testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theConfiguredPublicAddressIsAdvertised() throws Exception {
        TestServer.cli("/system-property=" + PROPERTY + ":add(value=\"100.200.0.9/127.0.0.1\")");
        try {
            deployer.deploy(NAME);
            try {
                udpAllocationAdvertisesThePublicAddressAndRelaysOnThePrivateOne();
                twoAllocationsReachEachOtherByTheirPublicAddresses();
                tcpAllocationAdvertisesThePublicAddress();
                coturnsClientPairsItsSessionsThroughThePublicAddresses();
            } finally {
                deployer.undeploy(NAME);
            }
        } finally {
            TestServer.cli("/system-property=" + PROPERTY + ":remove");
        }
    }

    private static void udpAllocationAdvertisesThePublicAddressAndRelaysOnThePrivateOne() throws Exception {
        try (TurnTestClient client = TurnTestClient.udp(TestServer.stunUdp(), TestServer.TURN_USER,
                TestServer.TURN_PASSWORD);
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(PRIVATE, 0))) {
            StunTestClient.Response r = client.allocate();
            assertEquals(ALLOCATE | SUCCESS, r.type(), () -> TurnTestClient.describe(r));
            InetSocketAddress relayed = TurnTestClient.relayed(r);
            assertEquals(PUBLIC, relayed.getAddress(), "XOR-RELAYED-ADDRESS is the public address");
            assertEquals(new InetSocketAddress(PUBLIC, client.localAddress().getPort()), r.xorMappedAddress(),
                    "a client on the private address is told the public one, as coturn does");

            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertEquals(TurnTestClient.CREATE_PERMISSION | SUCCESS, client.createPermission(peerAddress).type());
            byte[] hello = "to the client, through the private address".getBytes(StandardCharsets.UTF_8);
            InetSocketAddress privateRelayed = new InetSocketAddress(PRIVATE, relayed.getPort());
            peer.send(new DatagramPacket(hello, hello.length, privateRelayed));
            TurnTestClient.Data data = client.receiveData();
            assertEquals(new InetSocketAddress(PUBLIC, peerAddress.getPort()), data.peer(),
                    "a peer on the private address is shown as the public one, as coturn does");
            assertArrayEquals(hello, data.bytes(), "the relayed socket is bound to the private address, same port");
        }
    }

    private static void twoAllocationsReachEachOtherByTheirPublicAddresses() throws Exception {
        try (TurnTestClient a = TurnTestClient.udp(TestServer.stunUdp(), TestServer.TURN_USER,
                TestServer.TURN_PASSWORD);
             TurnTestClient b = TurnTestClient.udp(TestServer.stunUdp(), TestServer.TURN_USER,
                     TestServer.TURN_PASSWORD)) {
            InetSocketAddress relayA = a.allocated();
            InetSocketAddress relayB = b.allocated();
            assertEquals(PUBLIC, relayB.getAddress());
            assertEquals(TurnTestClient.CREATE_PERMISSION | SUCCESS, a.createPermission(relayB).type());
            assertEquals(TurnTestClient.CHANNEL_BIND | SUCCESS, b.channelBind(0x4001, relayA).type());

            byte[] aToB = "a to b".getBytes(StandardCharsets.UTF_8);
            a.send(relayB, aToB);
            TurnTestClient.Data atB = b.receiveData();
            assertEquals(0x4001, atB.channel(), "b's channel, bound to a's public relayed address");
            assertArrayEquals(aToB, atB.bytes());
            byte[] bToA = "b to a".getBytes(StandardCharsets.UTF_8);
            b.sendChannelData(0x4001, bToA);
            TurnTestClient.Data atA = a.receiveData();
            assertEquals(relayB, atA.peer(), "a sees b's public relayed address");
            assertArrayEquals(bToA, atA.bytes());
        }
    }

    /**
     * {@code turnutils_uclient -y} (and {@code -T}, which implies it) pairs its sessions, each sending to the other's
     * relayed address: the public one here, which must reach the other session with nothing lost.
     */
    private static void coturnsClientPairsItsSessionsThroughThePublicAddresses() throws Exception {
        String[] user = {"-u", TestServer.TURN_USER, "-w", TestServer.TURN_PASSWORD};
        for (String[] flags : new String[][]{{"-y", "-c"}, {"-y", "-c", "-s"}, {"-T"}}) {
            String[] args = Stream.concat(Arrays.stream(flags), Arrays.stream(user)).toArray(String[]::new);
            TurnInteropIT.relayTo("127.0.0.1", TestServer.TURN_PEER_PORT, "127.0.0.1", TestServer.STUN_PORT, 2, args);
        }
    }

    private static void tcpAllocationAdvertisesThePublicAddress() throws Exception {
        try (TurnTestClient control = TurnTcpRelayIT.tcpClient()) {
            InetSocketAddress relayed = TurnTcpRelayIT.allocateTcp(control);
            assertEquals(PUBLIC, relayed.getAddress(), "an RFC 6062 relayed address too");
        }
    }
}
