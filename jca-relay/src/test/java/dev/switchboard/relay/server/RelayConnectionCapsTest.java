package dev.switchboard.relay.server;

import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.relay.Await;
import dev.switchboard.relay.TestPorts;
import dev.switchboard.relay.TestTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The relay's connection caps, as configured, hold across its TCP and TLS listeners and show in their status. */
class RelayConnectionCapsTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> clients = new ArrayList<>();

    @AfterEach
    void shutdown() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        threads.shutdownNow();
    }

    @Test
    void theTotalCapCountsTcpAndTlsTogetherAndRefusalsShowInTheListenerStatus() throws Exception {
        int[] ports = TestPorts.freeTcp(2); // distinct: the same port twice would be refused as TLS = TCP
        int tcpPort = ports[0];
        int tlsPort = ports[1];
        RelayConfig cfg = RelayConfig.builder().bindAddress("127.0.0.1").udpPort(0).tcpPort(tcpPort)
                .tls(TestTls.pemSettings("ec", List.of(tlsPort), Duration.ofSeconds(10)))
                .connections(new RelayConfig.Connections(3, 100, Duration.ofSeconds(30), Duration.ofSeconds(30)))
                .build();
        RelayServer relay = new RelayServer(cfg, RelayEventSink.DISCARD);
        relay.start(threads);
        try {
            connect(tcpPort);
            connect(tlsPort);
            connect(tlsPort);
            await(relay, "three open", () -> open(relay, "tcp") + open(relay, "tls") == 3);
            Socket over = connect(tcpPort); // the TCP listener alone has room for 10,000 by default
            assertClosed(over);
            await(relay, "refused", () -> status(relay, "tcp").counters().connectionsRejected() == 1);
            assertEquals(0, status(relay, "tls").counters().connectionsRejected());
        } finally {
            relay.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void theCapsHoldOverEveryEventLoopTogether() throws Exception {
        int tcpPort = TestPorts.freeTcp(1)[0];
        RelayConfig cfg = RelayConfig.builder().bindAddress("127.0.0.1").udpPort(0).tcpPort(tcpPort).eventLoops(2)
                .connections(new RelayConfig.Connections(4, 100, Duration.ofSeconds(30), Duration.ofSeconds(30)))
                .build();
        RelayServer relay = new RelayServer(cfg, RelayEventSink.DISCARD);
        relay.start(threads);
        try {
            for (int i = 0; i < 12; i++) {
                connect(tcpPort); // the kernel spreads them over both loops' acceptors
            }
            await(relay, "4 open, 8 refused", () -> open(relay, "tcp") == 4
                    && status(relay, "tcp").counters().connectionsRejected() == 8);
            long perLoop = 0;
            for (int loop = 0; loop < 2; loop++) {
                perLoop += relay.listenersOfLoop(loop).stream().filter(l -> l.transport().equals("tcp"))
                        .mapToLong(l -> l.counters().connectionsOpen()).sum();
            }
            assertEquals(4, perLoop, "not 4 per loop: one cap for the relay");
        } finally {
            relay.stop(Duration.ofSeconds(5));
        }
    }

    private Socket connect(int port) throws IOException {
        Socket s = new Socket();
        clients.add(s);
        s.setSoTimeout(5000);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }

    private static void assertClosed(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            assertEquals(-1, in.read());
        } catch (SocketTimeoutException e) {
            throw new AssertionError("not closed by the relay", e);
        } catch (IOException reset) {
            // a reset is a close too
        }
    }

    private static long open(RelayServer relay, String transport) {
        return status(relay, transport).counters().connectionsOpen();
    }

    private static ListenerStatus status(RelayServer relay, String transport) {
        return relay.listeners().stream().filter(l -> l.transport().equals(transport)).findFirst().orElseThrow();
    }

    private static void await(RelayServer relay, String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        Await.until(() -> what + " " + relay.listeners(), Duration.ofSeconds(10), 20, condition);
    }
}
