package dev.switchboard.it;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A TURN client for the tests over UDP or TCP, written apart from the relay's codec like {@link StunTestClient}: it
 * builds and reads messages byte by byte, so the relay cannot pass by agreeing with itself. Requests are sent once
 * and their answer awaited (loopback loses nothing); data that arrives meanwhile is kept for {@link #receiveData}.
 */
final class TurnTestClient implements AutoCloseable {

    static final int ALLOCATE = 0x0003;
    static final int REFRESH = 0x0004;
    static final int SEND = 0x0016;         // indication
    static final int DATA = 0x0017;         // indication
    static final int CREATE_PERMISSION = 0x0008;
    static final int CHANNEL_BIND = 0x0009;
    static final int CONNECT = 0x000A;             // RFC 6062
    static final int CONNECTION_BIND = 0x000B;
    static final int CONNECTION_ATTEMPT = 0x001C;  // indication
    static final int SUCCESS = 0x0100;
    static final int ERROR = 0x0110;

    static final int CHANNEL_NUMBER = 0x000C;
    static final int LIFETIME = 0x000D;
    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int XOR_PEER_ADDRESS = 0x0012;
    static final int DATA_ATTR = 0x0013;
    static final int REALM = 0x0014;
    static final int NONCE = 0x0015;
    static final int XOR_RELAYED_ADDRESS = 0x0016;
    static final int REQUESTED_ADDRESS_FAMILY = 0x0017;
    static final int EVEN_PORT = 0x0018;
    static final int REQUESTED_TRANSPORT = 0x0019;
    static final int DONT_FRAGMENT = 0x001A;
    static final int RESERVATION_TOKEN = 0x0022;
    static final int ADDITIONAL_ADDRESS_FAMILY = 0x8000;
    static final int ADDRESS_ERROR_CODE = 0x8001;
    static final int FINGERPRINT = 0x8028;
    static final int CONNECTION_ID = 0x002A;

    static final byte[] UDP = {17, 0, 0, 0};
    static final byte[] TCP = {6, 0, 0, 0};
    static final byte[] IPV4 = {1, 0, 0, 0};
    static final byte[] IPV6 = {2, 0, 0, 0};

    /** One attribute whose value may depend on the transaction id (XOR-PEER-ADDRESS does). */
    record Attr(int type, byte[] value, InetSocketAddress xorAddress) {
        static Attr of(int type, byte[] value) {
            return new Attr(type, value, null);
        }

        static Attr peer(InetSocketAddress peer) {
            return new Attr(XOR_PEER_ADDRESS, null, peer);
        }

        byte[] valueFor(byte[] tid) {
            return xorAddress != null ? TurnTestClient.xorAddress(xorAddress, tid) : value;
        }
    }

    /** Data from a peer: its address (null for ChannelData) or channel (-1 for a Data indication), and the bytes. */
    record Data(int channel, InetSocketAddress peer, byte[] bytes) {
    }

    private final DatagramSocket udp;
    private final Socket tcp;
    private final DataInputStream tcpIn;
    private final OutputStream tcpOut;
    private final InetSocketAddress server;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private String username;
    private byte[] key;
    private String realm;
    private String nonce;

    private TurnTestClient(DatagramSocket udp, Socket tcp, InetSocketAddress server, String username, String password,
                           String realm) throws Exception {
        this.udp = udp;
        this.tcp = tcp;
        this.tcpIn = tcp == null ? null : new DataInputStream(tcp.getInputStream());
        this.tcpOut = tcp == null ? null : tcp.getOutputStream();
        this.server = server;
        credentials(username, password, realm);
    }

    /** A UDP client on 127.0.0.1 (the constructor the older tests use). */
    TurnTestClient(InetSocketAddress server, String username, String password, String realm) throws Exception {
        this(udpSocket(new InetSocketAddress("127.0.0.1", 0)), null, server, username, password, realm);
    }

    /** A UDP client bound to the loopback address of {@code server}'s family. */
    static TurnTestClient udp(InetSocketAddress server, String username, String password) throws Exception {
        return new TurnTestClient(udpSocket(new InetSocketAddress(server.getAddress(), 0)), null, server, username,
                password, "switchboard");
    }

    static TurnTestClient tcp(InetSocketAddress server, String username, String password) throws Exception {
        Socket s = new Socket();
        s.connect(server, 5000);
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        return new TurnTestClient(null, s, server, username, password, "switchboard");
    }

    /** A client over a stream already connected to {@code server}, e.g. a TLS socket (RFC 8656 framing as TCP). */
    static TurnTestClient stream(Socket connected, InetSocketAddress server, String username, String password)
            throws Exception {
        connected.setSoTimeout(5000);
        return new TurnTestClient(null, connected, server, username, password, "switchboard");
    }

    private static DatagramSocket udpSocket(InetSocketAddress local) throws IOException {
        DatagramSocket s = new DatagramSocket(local);
        s.setSoTimeout(5000);
        return s;
    }

    /** From now on, requests are signed as this user (the realm and nonce learnt so far are kept). */
    void credentials(String username, String password, String realm) throws Exception {
        this.username = username;
        this.key = MessageDigest.getInstance("MD5")
                .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The nonce the next signed request carries (for stale-nonce tests). */
    void nonce(String nonce) {
        this.nonce = nonce;
    }

    String nonce() {
        return nonce;
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) (udp != null ? udp.getLocalSocketAddress() : tcp.getLocalSocketAddress());
    }

    /** TURN REST-API credentials (coturn's use-auth-secret) for {@code user}, valid for {@code seconds}. */
    static String[] restCredentials(String secret, String user, long seconds) throws Exception {
        String name = (System.currentTimeMillis() / 1000 + seconds) + ":" + user;
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return new String[]{name,
                Base64.getEncoder().encodeToString(mac.doFinal(name.getBytes(StandardCharsets.UTF_8)))};
    }

    // ---- the methods

    /** Allocate: first unauthenticated (expects 401 with REALM and NONCE), then with credentials. */
    StunTestClient.Response allocate(Attr... extra) throws Exception {
        challenge();
        List<Attr> attrs = new ArrayList<>(List.of(Attr.of(REQUESTED_TRANSPORT, UDP)));
        attrs.addAll(List.of(extra));
        return request(ALLOCATE, true, attrs.toArray(Attr[]::new));
    }

    /** An unauthenticated Allocate, which must be answered 401 with REALM and NONCE; both are kept. */
    StunTestClient.Response challenge() throws Exception {
        StunTestClient.Response challenge = request(ALLOCATE, false, Attr.of(REQUESTED_TRANSPORT, UDP));
        assertEquals(ALLOCATE | ERROR, challenge.type());
        assertEquals(401, challenge.errorCode());
        realm = new String(challenge.attribute(REALM), StandardCharsets.UTF_8);
        nonce = new String(challenge.attribute(NONCE), StandardCharsets.UTF_8);
        return challenge;
    }

    /** An allocation that must succeed; its relayed address. */
    InetSocketAddress allocated(Attr... extra) throws Exception {
        StunTestClient.Response r = allocate(extra);
        assertEquals(ALLOCATE | SUCCESS, r.type(), () -> "Allocate failed: " + describe(r));
        return relayed(r);
    }

    StunTestClient.Response createPermission(InetSocketAddress... peers) throws Exception {
        return request(CREATE_PERMISSION, true, Arrays.stream(peers).map(Attr::peer).toArray(Attr[]::new));
    }

    StunTestClient.Response channelBind(int channel, InetSocketAddress peer) throws Exception {
        return request(CHANNEL_BIND, true, Attr.of(CHANNEL_NUMBER, new byte[]{(byte) (channel >>> 8),
                (byte) channel, 0, 0}), Attr.peer(peer));
    }

    StunTestClient.Response refresh(int lifetime) throws Exception {
        return request(REFRESH, true, Attr.of(LIFETIME, ByteBuffer.allocate(4).putInt(lifetime).array()));
    }

    /** A Send indication to {@code peer}, with {@code extra} attributes after XOR-PEER-ADDRESS and DATA. */
    void send(InetSocketAddress peer, byte[] data, Attr... extra) throws Exception {
        byte[] tid = StunTestClient.transactionId();
        List<Attr> attrs = new ArrayList<>(List.of(Attr.peer(peer), Attr.of(DATA_ATTR, data)));
        attrs.addAll(List.of(extra));
        write(message(SEND, tid, false, attrs.toArray(Attr[]::new)));
    }

    void sendChannelData(int channel, byte[] data) throws Exception {
        int padded = tcp != null ? (data.length + 3) & ~3 : data.length; // RFC 8656 §12.5: padded on streams
        ByteBuffer b = ByteBuffer.allocate(4 + padded);
        b.putShort((short) channel).putShort((short) data.length).put(data);
        write(b.array());
    }

    /** The next data from a peer, as a Data indication or ChannelData. */
    Data receiveData() throws Exception {
        while (true) {
            byte[] msg = pending.isEmpty() ? read() : pending.poll();
            int first = msg[0] & 0xFF;
            if (first >= 0x40 && first <= 0x7F) {
                int length = ((msg[2] & 0xff) << 8) | (msg[3] & 0xff);
                return new Data(((msg[0] & 0xff) << 8) | (msg[1] & 0xff), null, Arrays.copyOfRange(msg, 4, 4 + length));
            }
            int type = ((msg[0] & 0xff) << 8) | (msg[1] & 0xff);
            if (type == DATA) {
                StunTestClient.Response r = new StunTestClient.Response(type, Arrays.copyOfRange(msg, 8, 20), msg);
                byte[] data = r.attribute(DATA_ATTR);
                assertNotNull(data, "DATA attribute");
                return new Data(-1, xorPeer(r), data);
            }
            // a stray response: not data
        }
    }

    /** Data bytes only (the older tests' view). */
    byte[] receiveDataBytes() throws Exception {
        return receiveData().bytes();
    }

    /** The next indication of {@code type} (e.g. ConnectionAttempt); other messages meanwhile are kept. */
    StunTestClient.Response awaitIndication(int type) throws Exception {
        for (var it = pending.iterator(); it.hasNext(); ) {
            byte[] msg = it.next();
            if ((((msg[0] & 0xff) << 8) | (msg[1] & 0xff)) == type) {
                it.remove();
                return new StunTestClient.Response(type, Arrays.copyOfRange(msg, 8, 20), msg);
            }
        }
        while (true) {
            byte[] msg = read();
            if ((((msg[0] & 0xff) << 8) | (msg[1] & 0xff)) == type) {
                return new StunTestClient.Response(type, Arrays.copyOfRange(msg, 8, 20), msg);
            }
            pending.add(msg);
        }
    }

    /** The TCP socket, for a connection that carries raw bytes after a ConnectionBind (RFC 6062); null on UDP. */
    Socket tcpSocket() {
        return tcp;
    }

    /** True when nothing arrives within {@code millis}. */
    boolean nothingWithin(int millis) throws Exception {
        if (!pending.isEmpty()) {
            return false;
        }
        setTimeout(millis);
        try {
            pending.add(read());
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            setTimeout(5000);
        }
    }

    // ---- requests

    /** Sends one request and returns its answer (same transaction id); other messages meanwhile are kept. */
    StunTestClient.Response request(int method, boolean authenticated, Attr... attributes) throws Exception {
        byte[] tid = StunTestClient.transactionId();
        return exchange(message(method, tid, authenticated, attributes), tid);
    }

    /** Sends raw bytes as a request with transaction id {@code tid} and returns its answer. */
    StunTestClient.Response exchange(byte[] request, byte[] tid) throws Exception {
        write(request);
        while (true) {
            byte[] msg = read();
            if (msg.length >= 20 && (msg[0] & 0xC0) == 0 && Arrays.equals(tid, Arrays.copyOfRange(msg, 8, 20))) {
                return StunTestClient.parse(msg, msg.length, tid);
            }
            pending.add(msg);
        }
    }

    byte[] message(int type, byte[] tid, boolean authenticated, Attr... attributes) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Attr a : attributes) {
            attribute(body, a.type(), a.valueFor(tid));
        }
        if (authenticated) {
            attribute(body, USERNAME, username.getBytes(StandardCharsets.UTF_8));
            attribute(body, REALM, realm.getBytes(StandardCharsets.UTF_8));
            attribute(body, NONCE, nonce.getBytes(StandardCharsets.UTF_8));
        }
        byte[] attrs = body.toByteArray();
        int length = attrs.length + (authenticated ? 24 : 0) + 8;
        ByteBuffer b = ByteBuffer.allocate(20 + length);
        b.putShort((short) type).putShort((short) length).putInt(StunTestClient.MAGIC_COOKIE).put(tid).put(attrs);
        if (authenticated) {
            // HMAC over everything before MESSAGE-INTEGRITY, with the length counting up to it (RFC 8489 §14.5)
            b.putShort(2, (short) (attrs.length + 24));
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(b.array(), 0, 20 + attrs.length);
            b.putShort((short) MESSAGE_INTEGRITY).putShort((short) 20).put(mac.doFinal());
            b.putShort(2, (short) length);
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putShort((short) FINGERPRINT).putShort((short) 4).putInt((int) crc.getValue() ^ 0x5354554e);
        return b.array();
    }

    private static void attribute(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type >>> 8);
        out.write(type);
        out.write(value.length >>> 8);
        out.write(value.length);
        out.writeBytes(value);
        for (int p = value.length; p % 4 != 0; p++) {
            out.write(0);
        }
    }

    // ---- wire

    private void write(byte[] bytes) throws IOException {
        if (udp != null) {
            udp.send(new DatagramPacket(bytes, bytes.length, server));
        } else {
            tcpOut.write(bytes);
            tcpOut.flush();
        }
    }

    /** One datagram, or one frame of the stream (STUN by its length, ChannelData by its padded length). */
    private byte[] read() throws IOException {
        if (udp != null) {
            byte[] buf = new byte[65_536];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            udp.receive(p);
            return Arrays.copyOf(buf, p.getLength());
        }
        byte[] head = new byte[4];
        tcpIn.readFully(head);
        int length = ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        boolean channel = (head[0] & 0xC0) == 0x40;
        int rest = channel ? (length + 3) & ~3 : 16 + length;
        byte[] msg = Arrays.copyOf(head, 4 + rest);
        tcpIn.readFully(msg, 4, rest);
        return channel ? Arrays.copyOf(msg, 4 + length) : msg;
    }

    private void setTimeout(int millis) throws IOException {
        if (udp != null) {
            udp.setSoTimeout(millis);
        } else {
            tcp.setSoTimeout(millis);
        }
    }

    // ---- addresses

    /** XOR-RELAYED-ADDRESS of an Allocate success. */
    static InetSocketAddress relayed(StunTestClient.Response r) throws Exception {
        byte[] v = r.attribute(XOR_RELAYED_ADDRESS);
        assertNotNull(v, "XOR-RELAYED-ADDRESS");
        return unxor(v, r.tid());
    }

    /** Every XOR-RELAYED-ADDRESS of an Allocate success, in order (two for a dual allocation). */
    static List<InetSocketAddress> allRelayed(StunTestClient.Response r) throws Exception {
        List<InetSocketAddress> out = new ArrayList<>();
        byte[] raw = r.raw();
        int pos = 20;
        while (pos + 4 <= raw.length) {
            int t = ((raw[pos] & 0xff) << 8) | (raw[pos + 1] & 0xff);
            int len = ((raw[pos + 2] & 0xff) << 8) | (raw[pos + 3] & 0xff);
            if (t == XOR_RELAYED_ADDRESS) {
                out.add(unxor(Arrays.copyOfRange(raw, pos + 4, pos + 4 + len), r.tid()));
            }
            pos += 4 + ((len + 3) & ~3);
        }
        return out;
    }

    static InetSocketAddress xorPeer(StunTestClient.Response r) throws Exception {
        byte[] v = r.attribute(XOR_PEER_ADDRESS);
        assertNotNull(v, "XOR-PEER-ADDRESS");
        return unxor(v, r.tid());
    }

    private static InetSocketAddress unxor(byte[] v, byte[] tid) throws Exception {
        int port = (((v[2] & 0xff) << 8) | (v[3] & 0xff)) ^ (StunTestClient.MAGIC_COOKIE >>> 16);
        byte[] addr = Arrays.copyOfRange(v, 4, v[1] == 1 ? 8 : 20);
        byte[] mask = ByteBuffer.allocate(16).putInt(StunTestClient.MAGIC_COOKIE).put(tid).array();
        for (int i = 0; i < addr.length; i++) {
            addr[i] ^= mask[i];
        }
        return new InetSocketAddress(InetAddress.getByAddress(addr), port);
    }

    static byte[] xorAddress(InetSocketAddress a, byte[] tid) {
        byte[] addr = a.getAddress().getAddress();
        byte[] mask = ByteBuffer.allocate(16).putInt(StunTestClient.MAGIC_COOKIE).put(tid).array();
        ByteBuffer v = ByteBuffer.allocate(4 + addr.length);
        v.put((byte) 0).put((byte) (addr.length == 4 ? 1 : 2))
                .putShort((short) (a.getPort() ^ (StunTestClient.MAGIC_COOKIE >>> 16)));
        for (int i = 0; i < addr.length; i++) {
            v.put((byte) (addr[i] ^ mask[i]));
        }
        return v.array();
    }

    /** "Allocate error 437 Allocation Mismatch"-style text for assertion messages. */
    static String describe(StunTestClient.Response r) {
        String s = String.format("type 0x%04x", r.type());
        byte[] e = r.attribute(StunTestClient.ERROR_CODE);
        if (e != null) {
            s += " error " + ((e[2] & 7) * 100 + (e[3] & 0xff)) + " "
                    + new String(e, 4, e.length - 4, StandardCharsets.UTF_8);
        }
        return s;
    }

    @Override
    public void close() throws IOException {
        if (udp != null) {
            udp.close();
        } else {
            tcp.close();
        }
    }
}
