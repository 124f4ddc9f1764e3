package dev.switchboard.relay.turn;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** The plain-socket side of RFC 6062 tests: a listening peer, its address, and whether the other side closed. */
final class TcpPeers {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private TcpPeers() {
    }

    /** A loopback listener for a peer, closed after the test, whose accept gives up after the clients' timeout. */
    static ServerSocket peerListener(Closer closer) throws IOException {
        ServerSocket s = closer.track(new ServerSocket(0, 50, LOOPBACK));
        s.setSoTimeout(TestTurnClient.TIMEOUT_MILLIS);
        return s;
    }

    /**
     * Makes {@code control} a TCP allocation and pipes it to a new peer: Connect, the peer's accept, ConnectionBind
     * on a new data connection. Everything opened is closed after the test.
     */
    static Pipe pipe(TestTurnClient control, Closer closer) throws IOException {
        control.allocateTcp();
        ServerSocket listener = peerListener(closer);
        long id = control.connectOk(addressOf(listener));
        Socket peer = closer.track(listener.accept());
        TestTurnClient data = closer.track(control.dataConnection());
        data.connectionBind(id);
        return new Pipe(peer, data);
    }

    /** The two ends of a relayed TCP connection: the peer's socket and the client's bound data connection. */
    record Pipe(Socket peer, TestTurnClient data) {
    }

    static InetSocketAddress addressOf(ServerSocket s) {
        return new InetSocketAddress(LOOPBACK, s.getLocalPort());
    }

    /** True once the other side has closed: end of stream (or a reset) within the timeout. */
    static boolean closedByOtherSide(Socket s) throws IOException {
        s.setSoTimeout(TestTurnClient.TIMEOUT_MILLIS);
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void write(Socket s, byte[] b) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(b);
        out.flush();
    }

    /** Exactly {@code n} bytes, within the clients' timeout. */
    static byte[] read(Socket s, int n) throws IOException {
        s.setSoTimeout(TestTurnClient.TIMEOUT_MILLIS);
        byte[] b = new byte[n];
        new DataInputStream(s.getInputStream()).readFully(b);
        return b;
    }
}
