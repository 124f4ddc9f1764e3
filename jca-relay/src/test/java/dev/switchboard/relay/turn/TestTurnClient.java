package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunKeys;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.turn.stun.ChannelNumber;
import dev.switchboard.relay.turn.stun.ConnectionId;
import dev.switchboard.relay.turn.stun.Lifetime;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnMethod;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small blocking TURN client over a real UDP or TCP socket, built on the codec, for the tests: it sends requests
 * (with long-term credentials once it has learnt REALM and NONCE), matches responses by transaction id, and keeps
 * the data (ChannelData, Data indications) that arrives meanwhile for {@link #receiveData}.
 */
final class TestTurnClient implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final int TIMEOUT_MILLIS = 5000;

    /** Data from a peer: a channel number (or -1 for a Data indication), the peer (for indications), the bytes. */
    record Received(int channel, InetSocketAddress peer, byte[] data) {
    }

    private final DatagramSocket udp;
    private final Socket tcp;
    private final DataInputStream tcpIn;
    private final OutputStream tcpOut;
    private final InetSocketAddress server;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private final StunEncoder encoder = new StunEncoder();
    private final ByteBuffer out = ByteBuffer.allocate(70_000);

    String username = TurnHarness.USER;
    String password = TurnHarness.PASSWORD;
    String realm;
    String nonce;
    /** Whether requests end with FINGERPRINT. */
    boolean fingerprint = true;
    /** The TLS version of a client over TLS; null otherwise. */
    String tlsVersion;
    /** Whether the last TCP frame read had padding (ChannelData over a stream). */
    int lastPadding;

    private TestTurnClient(DatagramSocket udp, Socket tcp, InetSocketAddress server) throws IOException {
        this.udp = udp;
        this.tcp = tcp;
        this.server = server;
        this.tcpIn = tcp == null ? null : new DataInputStream(tcp.getInputStream());
        this.tcpOut = tcp == null ? null : tcp.getOutputStream();
    }

    static TestTurnClient udp(InetSocketAddress server) throws IOException {
        return udp(server, server.getAddress());
    }

    /** A UDP client whose socket is bound to {@code local} (another loopback address is another source IP). */
    static TestTurnClient udp(InetSocketAddress server, InetAddress local) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0));
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return new TestTurnClient(socket, null, server);
    }

    static TestTurnClient tcp(InetSocketAddress server) throws IOException {
        Socket socket = new Socket(server.getAddress(), server.getPort());
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return new TestTurnClient(null, socket, server);
    }

    /** A client on a TLS connection (the socket is a TCP one as far as this client is concerned). */
    static TestTurnClient tls(InetSocketAddress server, String version) throws IOException {
        Socket socket = dev.switchboard.relay.TestTls.connect(server, version);
        TestTurnClient client = new TestTurnClient(null, socket, server);
        client.tlsVersion = version;
        return client;
    }

    /** The UDP socket, for tests that drive traffic themselves; null on TCP. */
    DatagramSocket udpSocket() {
        return udp;
    }

    /** The TCP socket, for tests that drive traffic themselves; null on UDP. */
    Socket tcpSocket() {
        return tcp;
    }

    InetSocketAddress localAddress() {
        return udp != null ? (InetSocketAddress) udp.getLocalSocketAddress()
                : (InetSocketAddress) tcp.getLocalSocketAddress();
    }

    // ---- messages

    static byte[] newTransactionId() {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return id;
    }

    /** Encodes a request without credentials. */
    byte[] plain(int method, byte[] transactionId, Consumer<StunEncoder> attributes) {
        out.clear();
        encoder.begin(out, method, StunClass.REQUEST, transactionId);
        attributes.accept(encoder);
        if (fingerprint) {
            encoder.addFingerprint();
        }
        return bytes(encoder.finish());
    }

    /** Encodes a request with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY under the client's password. */
    byte[] signed(int method, byte[] transactionId, Consumer<StunEncoder> attributes) {
        out.clear();
        encoder.begin(out, method, StunClass.REQUEST, transactionId);
        attributes.accept(encoder);
        encoder.addText(StunAttribute.USERNAME, username).addText(StunAttribute.REALM, realm)
                .addText(StunAttribute.NONCE, nonce).addMessageIntegrity(key());
        if (fingerprint) {
            encoder.addFingerprint();
        }
        return bytes(encoder.finish());
    }

    byte[] key() {
        try {
            return StunKeys.longTerm(username, realm, password);
        } catch (StunException e) {
            throw new AssertionError(e);
        }
    }

    /** Sends a request without credentials and returns the response. */
    StunMessage requestPlain(int method, Consumer<StunEncoder> attributes) throws IOException {
        byte[] id = newTransactionId();
        sendRaw(plain(method, id, attributes));
        return awaitResponse(id);
    }

    /**
     * Sends an authenticated request, learning REALM and NONCE from a 401 first if need be and taking a fresh
     * NONCE from a 438, and returns the final response.
     */
    StunMessage request(int method, Consumer<StunEncoder> attributes) throws IOException {
        if (nonce == null) {
            StunMessage challenge = requestPlain(method, attributes);
            if (challenge.messageClass() != StunClass.ERROR_RESPONSE || errorCode(challenge) != 401) {
                return challenge;
            }
            learn(challenge);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            byte[] id = newTransactionId();
            sendRaw(signed(method, id, attributes));
            StunMessage response = awaitResponse(id);
            if (response.messageClass() == StunClass.ERROR_RESPONSE && errorCode(response) == 438) {
                learn(response);
                continue;
            }
            return response;
        }
        throw new AssertionError("three stale nonces in a row");
    }

    void learn(StunMessage challenge) {
        try {
            realm = challenge.getRealm();
            nonce = challenge.getNonce();
        } catch (StunException e) {
            throw new AssertionError(e);
        }
    }

    /** An authenticated request that must succeed; checks the response's MESSAGE-INTEGRITY and FINGERPRINT. */
    StunMessage expectSuccess(int method, Consumer<StunEncoder> attributes) throws IOException {
        StunMessage response = request(method, attributes);
        assertEquals(StunClass.SUCCESS_RESPONSE, response.messageClass(),
                () -> StunMethod.name(method) + " failed: " + describe(response));
        assertTrue(response.checkMessageIntegrity(key()), "success carries MESSAGE-INTEGRITY under the user's key");
        if (fingerprint) {
            assertTrue(response.checkFingerprint(), "FINGERPRINT when the request had one");
        }
        return response;
    }

    /** An authenticated request that must fail with {@code code}. */
    StunMessage expectError(int code, int method, Consumer<StunEncoder> attributes) throws IOException {
        StunMessage response = request(method, attributes);
        assertEquals(StunClass.ERROR_RESPONSE, response.messageClass(), () -> "expected " + code + ", got "
                + describe(response));
        assertEquals(code, errorCode(response), () -> describe(response));
        return response;
    }

    static int errorCode(StunMessage m) {
        try {
            return m.getErrorCode();
        } catch (StunException e) {
            throw new AssertionError(e);
        }
    }

    static String describe(StunMessage m) {
        try {
            return m + (m.messageClass() == StunClass.ERROR_RESPONSE ? " " + m.getErrorCode() + " "
                    + m.getErrorReason() : "");
        } catch (StunException e) {
            return m.toString();
        }
    }

    // ---- TURN operations

    /** Allocate with REQUESTED-TRANSPORT UDP and {@code extra}; returns XOR-RELAYED-ADDRESS. */
    InetSocketAddress allocate(Consumer<StunEncoder> extra) throws IOException {
        StunMessage ok = expectSuccess(TurnMethod.ALLOCATE, e -> {
            e.add(RequestedTransport.ATTRIBUTE, 17);
            extra.accept(e);
        });
        try {
            return ok.xorAddress(TurnAttribute.XOR_RELAYED_ADDRESS);
        } catch (StunException e) {
            throw new AssertionError(e);
        }
    }

    InetSocketAddress allocate() throws IOException {
        return allocate(e -> { });
    }

    void createPermission(InetSocketAddress... peers) throws IOException {
        expectSuccess(TurnMethod.CREATE_PERMISSION, e -> {
            for (InetSocketAddress p : peers) {
                e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, p);
            }
        });
    }

    void channelBind(int channel, InetSocketAddress peer) throws IOException {
        expectSuccess(TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, channel)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, peer));
    }

    // ---- RFC 6062

    /** Allocate with REQUESTED-TRANSPORT TCP (over a TCP client); returns XOR-RELAYED-ADDRESS. */
    InetSocketAddress allocateTcp() throws IOException {
        StunMessage ok = expectSuccess(TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 6));
        try {
            return ok.xorAddress(TurnAttribute.XOR_RELAYED_ADDRESS);
        } catch (StunException e) {
            throw new AssertionError(e);
        }
    }

    /** Connect to {@code peer}; returns the response as it came (success or error). */
    StunMessage connect(InetSocketAddress peer) throws IOException {
        return request(TurnMethod.CONNECT, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, peer));
    }

    /** Connect that must succeed; returns CONNECTION-ID. */
    long connectOk(InetSocketAddress peer) throws IOException {
        StunMessage ok = expectSuccess(TurnMethod.CONNECT, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, peer));
        return connectionId(ok);
    }

    static long connectionId(StunMessage m) {
        try {
            long id = ConnectionId.get(m);
            assertTrue(id >= 0, () -> "no CONNECTION-ID in " + m);
            return id;
        } catch (StunException e) {
            throw new AssertionError(e);
        }
    }

    /** A new TCP connection to the same server with this client's credentials and nonce: a data connection to be. */
    TestTurnClient dataConnection() throws IOException {
        return dataConnectionTo(server);
    }

    /** As {@link #dataConnection()}, to {@code listener} (another loop's listener, say) instead of this one's. */
    TestTurnClient dataConnectionTo(InetSocketAddress listener) throws IOException {
        TestTurnClient d = tlsVersion == null ? tcp(listener) : tls(listener, tlsVersion); // the control's transport
        d.username = username;
        d.password = password;
        d.realm = realm;
        d.nonce = nonce;
        return d;
    }

    /** ConnectionBind on this connection; after success it carries raw bytes (use {@link #tcpSocket()}). */
    void connectionBind(long connectionId) throws IOException {
        expectSuccess(TurnMethod.CONNECTION_BIND, e -> e.add(ConnectionId.ATTRIBUTE, connectionId));
    }

    /** The next indication of {@code method} (e.g. ConnectionAttempt); other frames are kept for later. */
    StunMessage awaitIndication(int method) throws IOException {
        for (var it = pending.iterator(); it.hasNext(); ) {
            byte[] frame = it.next();
            if ((frame[0] & 0xFF) <= 3) {
                StunMessage m = decode(frame);
                if (m.isIndication() && m.method() == method) {
                    it.remove();
                    return m;
                }
            }
        }
        while (true) {
            byte[] frame = receiveRaw();
            if ((frame[0] & 0xFF) <= 3) {
                StunMessage m = decode(frame);
                if (m.isIndication() && m.method() == method) {
                    return m;
                }
            }
            pending.add(frame);
        }
    }

        long refresh(long lifetime) throws IOException {
        StunMessage ok = expectSuccess(TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, lifetime));
        try {
            return Lifetime.get(ok);
        } catch (StunException e) {
            throw new AssertionError(e);
        }
    }

    void sendIndication(InetSocketAddress peer, byte[] data) throws IOException {
        sendRaw(sendIndicationBytes(peer, data));
    }

    byte[] sendIndicationBytes(InetSocketAddress peer, byte[] data) {
        out.clear();
        encoder.begin(out, TurnMethod.SEND, StunClass.INDICATION, newTransactionId())
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, peer).add(TurnAttribute.DATA, data);
        return bytes(encoder.finish());
    }

    /** ChannelData, padded to 4 on TCP (RFC 8656 §12.5). */
    void sendChannelData(int channel, byte[] data) throws IOException {
        sendRaw(channelData(channel, data, tcp != null));
    }

    static byte[] channelData(int channel, byte[] data, boolean pad) {
        int length = 4 + data.length;
        byte[] frame = new byte[pad ? (length + 3) & ~3 : length];
        ByteBuffer.wrap(frame).putShort((short) channel).putShort((short) data.length).put(data);
        return frame;
    }

    /** The next data from a peer (ChannelData or Data indication). */
    Received receiveData() throws IOException {
        byte[] frame = pending.isEmpty() ? receiveRaw() : pending.poll();
        while (true) {
            int first = frame[0] & 0xFF;
            if (first >= 0x40 && first <= 0x4F) {
                int channel = (frame[0] & 0xFF) << 8 | (frame[1] & 0xFF);
                int length = (frame[2] & 0xFF) << 8 | (frame[3] & 0xFF);
                return new Received(channel, null, Arrays.copyOfRange(frame, 4, 4 + length));
            }
            StunMessage m = decode(frame);
            if (m.method() == TurnMethod.DATA && m.isIndication()) {
                try {
                    return new Received(-1, m.xorAddress(TurnAttribute.XOR_PEER_ADDRESS),
                            m.value(TurnAttribute.DATA));
                } catch (StunException e) {
                    throw new AssertionError(e);
                }
            }
            frame = receiveRaw(); // a stray response: not data
        }
    }

    /** True when no data arrives within {@code millis}. */
    boolean nothingWithin(int millis) throws IOException {
        if (!pending.isEmpty()) {
            return false;
        }
        int old = udp != null ? udp.getSoTimeout() : tcp.getSoTimeout();
        setTimeout(millis);
        try {
            pending.add(receiveRaw());
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            setTimeout(old);
        }
    }

    private void setTimeout(int millis) throws IOException {
        if (udp != null) {
            udp.setSoTimeout(millis);
        } else {
            tcp.setSoTimeout(millis);
        }
    }

    // ---- raw I/O

    void sendRaw(byte[] bytes) throws IOException {
        if (udp != null) {
            udp.send(new DatagramPacket(bytes, bytes.length, server));
        } else {
            tcpOut.write(bytes);
            tcpOut.flush();
        }
    }

    StunMessage awaitResponse(byte[] transactionId) throws IOException {
        while (true) {
            byte[] frame = receiveRaw();
            int first = frame[0] & 0xFF;
            if (first <= 3) {
                StunMessage m = decode(frame);
                if (m.isResponse() && m.hasTransactionId(transactionId, 0)) {
                    return m;
                }
            }
            pending.add(frame);
        }
    }

    /** The response to {@code transactionId}, or null when none arrives within {@code millis}. */
    StunMessage responseWithin(byte[] transactionId, int millis) throws IOException {
        int old = udp != null ? udp.getSoTimeout() : tcp.getSoTimeout();
        setTimeout(millis);
        try {
            return awaitResponse(transactionId);
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            setTimeout(old);
        }
    }

    /** One datagram, or one frame off the stream (ChannelData padding consumed and noted in lastPadding). */
    byte[] receiveRaw() throws IOException {
        if (udp != null) {
            byte[] buf = new byte[65_536];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            udp.receive(p);
            return Arrays.copyOf(buf, p.getLength());
        }
        byte[] header = new byte[4];
        tcpIn.readFully(header);
        int length = (header[2] & 0xFF) << 8 | (header[3] & 0xFF);
        boolean channel = (header[0] & 0xFF) >= 0x40;
        int rest = channel ? length : 16 + length;
        byte[] frame = Arrays.copyOf(header, 4 + rest);
        tcpIn.readFully(frame, 4, rest);
        if (channel) {
            lastPadding = ((length + 3) & ~3) - length;
            tcpIn.readFully(new byte[lastPadding]);
        }
        return frame;
    }

    static StunMessage decode(byte[] frame) {
        StunMessage m = new StunMessage();
        try {
            m.decode(frame, 0, frame.length);
        } catch (StunException e) {
            throw new AssertionError("bad STUN from the server: " + e.getMessage());
        }
        return m;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        return copy;
    }

    @Override
    public void close() throws IOException {
        if (udp != null) {
            udp.close();
        } else {
            tcp.close();
        }
    }

    static boolean isError(StunMessage m, int code) {
        return m.messageClass() == StunClass.ERROR_RESPONSE && errorCode(m) == code;
    }

    static final int UNAUTHENTICATED = ErrorCode.UNAUTHENTICATED;
}
