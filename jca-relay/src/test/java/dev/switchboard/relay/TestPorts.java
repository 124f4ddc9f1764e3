package dev.switchboard.relay;

import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports for tests that bind a fixed port on loopback. */
public final class TestPorts {

    private TestPorts() {
    }

    /** A port free for both UDP and TCP on 127.0.0.1 (ephemeral ports usually are; retried if not). */
    public static int freeUdpAndTcp() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                    return port;
                } catch (BindException ignored) {
                    // try another
                }
            }
        }
        throw new IllegalStateException("no free port");
    }

    /**
     * {@code n} distinct TCP ports free on 127.0.0.1: held open together while they are picked, so two calls in a
     * row cannot hand out the same port.
     */
    public static int[] freeTcp(int n) throws Exception {
        ServerSocket[] held = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                held[i] = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ports[i] = held[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }
}
