package dev.switchboard.relay.turn;

import dev.switchboard.relay.turn.stun.Lifetime;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import static dev.switchboard.relay.turn.TurnServerTest.addressOf;
import static dev.switchboard.relay.turn.TurnServerTest.bytes;
import static dev.switchboard.relay.turn.TurnServerTest.peer;
import static dev.switchboard.relay.turn.TurnServerTest.receive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Allocations, permissions and channels run out on their timers (sub-second lifetimes, for the test's sake). */
class TurnExpiryTest {

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    /** RFC 8656: allocations 600 s unless asked for more, at most 3600 s here; permissions 300 s; channels 600 s. */
    @Test
    void theDefaultsAreTheRfcLifetimes() {
        TurnConfig c = TurnHarness.config().build(); // the harness sets no lifetime
        assertEquals(Duration.ofSeconds(600), c.defaultLifetime());
        assertEquals(Duration.ofSeconds(3600), c.maxLifetime());
        assertEquals(Duration.ofSeconds(300), c.permissionLifetime());
        assertEquals(Duration.ofSeconds(600), c.channelLifetime());
        assertEquals(Duration.ofSeconds(600), c.nonceLifetime());
    }

    @Test
    void allocationExpiresAndFreesItsPort() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config()
                .defaultLifetime(Duration.ofMillis(300)).maxLifetime(Duration.ofMillis(300))));
        TestTurnClient client = track(h.udpClient());
        long start = System.nanoTime();
        InetSocketAddress relayed = client.allocate(e -> e.add(Lifetime.ATTRIBUTE, 3600)); // capped at 300 ms
        TurnHarness.await("expired", () -> h.server.stats().allocations() == 0);
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(250).toNanos(), "not before its time");
        assertEquals(1, h.server.stats().allocationsExpired());
        TurnHarness.await("end notice", () -> h.observer.ended.size() == 1);
        assertEquals(AllocationRecord.EndReason.EXPIRED, h.observer.ended.get(0).endReason());
        client.expectError(437, TurnMethod.REFRESH, e -> { });
        try (DatagramSocket s = new DatagramSocket(relayed)) {
            assertEquals(relayed.getPort(), s.getLocalPort(), "port released");
        }
    }

    @Test
    void refreshKeepsAnAllocationAlive() throws Exception {
        // Refreshed every 200 ms for longer than its lifetime; the lifetime leaves a loaded machine ample room
        // between two refreshes, so only a refresh that does not refresh lets it lapse.
        Duration lifetime = Duration.ofSeconds(2);
        TurnHarness h = track(TurnHarness.start(TurnHarness.config()
                .defaultLifetime(lifetime).maxLifetime(lifetime)));
        TestTurnClient client = track(h.udpClient());
        long start = System.nanoTime();
        client.allocate();
        while (System.nanoTime() - start < lifetime.plusMillis(500).toNanos()) {
            Thread.sleep(200);
            client.refresh(600);
        }
        assertEquals(1, h.server.stats().allocations());
        TurnHarness.await("expired after the refreshes stop", () -> h.server.stats().allocations() == 0);
    }

    @Test
    void permissionExpires() throws Exception {
        // Long enough for the first datagram to pass on a loaded machine: it must arrive while the permission lives.
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().permissionLifetime(Duration.ofSeconds(2))));
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(peer(InetAddress.getLoopbackAddress()));
        InetSocketAddress relayed = client.allocate();
        client.createPermission(addressOf(peer));
        peer.send(new DatagramPacket(bytes("1"), 1, relayed));
        assertEquals(-1, client.receiveData().channel());
        TurnHarness.await("permission gone", () -> h.server.stats().permissions() == 0);
        peer.send(new DatagramPacket(bytes("2"), 1, relayed));
        assertTrue(client.nothingWithin(200), "dropped without the permission");
        client.sendIndication(addressOf(peer), bytes("3"));
        TurnHarness.await("Send dropped too", () -> h.server.stats().clientDropped() == 1);
        assertEquals(1, h.server.stats().allocations(), "the allocation lives on");
    }

    @Test
    void channelExpires() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().channelLifetime(Duration.ofMillis(200))));
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(peer(InetAddress.getLoopbackAddress()));
        InetSocketAddress relayed = client.allocate();
        client.channelBind(0x4000, addressOf(peer));
        TurnHarness.await("channel gone", () -> h.server.stats().channels() == 0);
        assertEquals(1, h.server.stats().permissions(), "the permission (300 s) outlives it");
        client.sendChannelData(0x4000, bytes("lost"));
        TurnHarness.await("dropped", () -> h.server.stats().clientDropped() == 1);
        peer.send(new DatagramPacket(bytes("back"), 4, relayed));
        assertEquals(-1, client.receiveData().channel(), "a Data indication now that no channel is bound");
        // The number can be bound again, even to another peer.
        DatagramSocket other = track(peer(InetAddress.getLoopbackAddress()));
        client.channelBind(0x4000, addressOf(other));
        client.sendChannelData(0x4000, bytes("new"));
        assertEquals(3, receive(other).getLength());
    }
}
