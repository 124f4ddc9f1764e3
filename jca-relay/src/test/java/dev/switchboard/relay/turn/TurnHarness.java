package dev.switchboard.relay.turn;

import dev.switchboard.relay.Await;
import dev.switchboard.relay.TestTls;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunKeys;
import dev.switchboard.relay.transport.Demultiplexer;
import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.PacketClass;
import dev.switchboard.relay.transport.TcpAcceptor;
import dev.switchboard.relay.transport.TcpOptions;
import dev.switchboard.relay.transport.TlsContext;
import dev.switchboard.relay.transport.UdpEndpoint;
import dev.switchboard.relay.transport.UdpOptions;
import dev.switchboard.relay.turn.auth.CredentialStore;
import dev.switchboard.relay.turn.policy.PeerPolicy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link TurnServer} on an {@link EventLoop} run on a plain thread, with a UDP, a TCP and a TLS listener on
 * loopback routed the way RelayServer routes them.
 */
final class TurnHarness implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String REALM = "test.realm";
    static final String USER = "alice";
    static final String PASSWORD = "wonderland";
    static final String OTHER_USER = "bob";
    static final String OTHER_PASSWORD = "builder";

    /** Two users; anyone else is unknown. */
    static final CredentialStore USERS = users();

    final EventLoop loop;
    final Thread thread;
    final TurnServer server;
    final UdpEndpoint udp;
    final TcpAcceptor tcp;
    final TcpAcceptor tls;
    final RecordingObserver observer;

    private TurnHarness(EventLoop loop, TurnServer server, UdpEndpoint udp, TcpAcceptor tcp, TcpAcceptor tls,
                        RecordingObserver observer, Thread thread) {
        this.loop = loop;
        this.server = server;
        this.udp = udp;
        this.tcp = tcp;
        this.tls = tls;
        this.observer = observer;
        this.thread = thread;
    }

    /**
     * Settings for a loopback server: IPv4 relay on 127.0.0.1, every peer allowed, no bandwidth cap. The cap is off
     * because round-trip loops on a fast machine outrun the default 16 Mbit/s, and a dropped packet would leave a
     * blocking receive to time out: a verdict by the machine's speed. Tests of the cap set it themselves.
     */
    static TurnConfig.Builder config() {
        return TurnConfig.builder().realm(REALM).credentials(USERS).peerPolicy(PeerPolicy.ALLOW_ALL)
                .relayAddress(InetAddress.getLoopbackAddress()).software("switchboard-test").maxBitsPerSecond(0);
    }

    static TurnHarness start() throws IOException {
        return start(config(), InetAddress.getLoopbackAddress());
    }

    static TurnHarness start(TurnConfig.Builder builder) throws IOException {
        return start(builder, InetAddress.getLoopbackAddress());
    }

    /** Starts with the listeners on {@code listen}; the observer is the harness's own. */
    static TurnHarness start(TurnConfig.Builder builder, InetAddress listen) throws IOException {
        return start(builder, listen, TestTls.serverContext());
    }

    /** As {@link #start(TurnConfig.Builder, InetAddress)}, with the TLS listener serving {@code tlsContext}. */
    static TurnHarness start(TurnConfig.Builder builder, InetAddress listen, TlsContext tlsContext) throws IOException {
        return start(builder, listen, tlsContext, UdpOptions.DEFAULTS);
    }

    /** As {@link #start(TurnConfig.Builder, InetAddress, TlsContext)}, with the UDP listener's settings. */
    static TurnHarness start(TurnConfig.Builder builder, InetAddress listen, TlsContext tlsContext,
                             UdpOptions udpOptions) throws IOException {
        RecordingObserver observer = new RecordingObserver();
        EventLoop loop = EventLoop.open("turn-test");
        Thread thread = new Thread(loop, loop.name());
        thread.setDaemon(true);
        thread.start();
        TurnServer server = new TurnServer(builder.observer(observer).build(), loop);
        Demultiplexer demux = Demultiplexer.builder()
                .route(PacketClass.STUN, server.stunHandler())
                .route(PacketClass.CHANNEL_DATA, server.channelDataHandler())
                .build();
        UdpEndpoint udp = UdpEndpoint.open(loop, new InetSocketAddress(listen, 0), demux, udpOptions);
        TcpAcceptor tcp = TcpAcceptor.open(loop, new InetSocketAddress(listen, 0), demux);
        TcpAcceptor tls = TcpAcceptor.open(loop, new InetSocketAddress(listen, 0), demux, TcpOptions.DEFAULTS,
                tlsContext);
        return new TurnHarness(loop, server, udp, tcp, tls, observer, thread);
    }

    TestTurnClient udpClient() throws IOException {
        return TestTurnClient.udp(udp.localAddress());
    }

    TestTurnClient tcpClient() throws IOException {
        return TestTurnClient.tcp(tcp.localAddress());
    }

    /** A client over TLS ({@code TLSv1.3} or {@code TLSv1.2}) that checks the test certificate. */
    TestTurnClient tlsClient(String version) throws IOException {
        return TestTurnClient.tls(tls.localAddress(), version);
    }

    /** Runs {@code action} on the loop thread and returns its result. */
    <T> T call(Callable<T> action) throws Exception {
        return loop.submit(action).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
        loop.close();
        assertTrue(loop.awaitTermination(TIMEOUT), "loop terminates");
        thread.join(TIMEOUT.toMillis());
    }

    /** Polls {@code condition} until true, failing after {@link #TIMEOUT}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, TIMEOUT, 5, condition);
    }

    private static CredentialStore users() {
        try {
            byte[] alice = StunKeys.longTerm(USER, REALM, PASSWORD);
            byte[] bob = StunKeys.longTerm(OTHER_USER, REALM, OTHER_PASSWORD);
            return (username, realm) -> !REALM.equals(realm) ? null
                    : USER.equals(username) ? alice : OTHER_USER.equals(username) ? bob : null;
        } catch (StunException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps every notice. */
    static final class RecordingObserver implements TurnObserver {
        final List<AllocationRecord> started = new CopyOnWriteArrayList<>();
        final List<AllocationRecord> ended = new CopyOnWriteArrayList<>();
        volatile Consumer<AllocationRecord> onEnd = r -> { };

        @Override
        public void allocationStarted(AllocationRecord allocation) {
            started.add(allocation);
        }

        @Override
        public void allocationEnded(AllocationRecord allocation) {
            ended.add(allocation);
            onEnd.accept(allocation);
        }
    }
}
