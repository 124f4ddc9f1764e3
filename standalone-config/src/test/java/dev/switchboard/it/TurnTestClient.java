package dev.switchboard.it;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A minimal TURN client over UDP for the tests, written independently of the relay's codec: long-term credentials
 * (RFC 8489 §9.2) with its own HMAC-SHA1, XOR addresses done by hand.
 */
final class TurnTestClient implements AutoCloseable {

    static final int ALLOCATE = 0x0003;
    static final int REFRESH = 0x0004;
    static final int SEND = 0x0016;         // indication
    static final int DATA = 0x0017;         // indication
    static final int CREATE_PERMISSION = 0x0008;
    static final int SUCCESS = 0x0100;
    static final int ERROR = 0x0110;

    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int REALM = 0x0014;
    static final int NONCE = 0x0015;
    static final int XOR_PEER_ADDRESS = 0x0012;
    static final int DATA_ATTR = 0x0013;
    static final int XOR_RELAYED_ADDRESS = 0x0016;
    static final int LIFETIME = 0x000D;
    static final int REQUESTED_TRANSPORT = 0x0019;

    final DatagramSocket socket;
    private final InetSocketAddress server;
    private final String username;
    private final byte[] key;
    private String realm;
    private String nonce;

    TurnTestClient(InetSocketAddress server, String username, String password, String realm) throws Exception {
        this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        this.socket.setSoTimeout(5000);
        this.server = server;
        this.username = username;
        this.key = MessageDigest.getInstance("MD5")
                .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Allocate: first unauthenticated (expects 401 with REALM and NONCE), then with credentials. */
    StunTestClient.Response allocate() throws Exception {
        StunTestClient.Response challenge = exchange(ALLOCATE, false, REQUESTED_TRANSPORT, new byte[]{17, 0, 0, 0});
        assertEquals(ALLOCATE | ERROR, challenge.type());
        assertEquals(401, challenge.errorCode());
        realm = new String(challenge.attribute(REALM), StandardCharsets.UTF_8);
        nonce = new String(challenge.attribute(NONCE), StandardCharsets.UTF_8);
        return exchange(ALLOCATE, true, REQUESTED_TRANSPORT, new byte[]{17, 0, 0, 0});
    }

    StunTestClient.Response createPermission(InetSocketAddress peer) throws Exception {
        return exchange(CREATE_PERMISSION, true, XOR_PEER_ADDRESS, null, peer);
    }

    StunTestClient.Response refresh(int lifetime) throws Exception {
        return exchange(REFRESH, true, LIFETIME, ByteBuffer.allocate(4).putInt(lifetime).array());
    }

    void send(InetSocketAddress peer, byte[] data) throws Exception {
        byte[] tid = StunTestClient.transactionId();
        byte[] msg = message(SEND, tid, false, XOR_PEER_ADDRESS, xorAddress(peer, tid), DATA_ATTR, data);
        socket.send(new DatagramPacket(msg, msg.length, server));
    }

    /** Receives a Data indication and returns its DATA. */
    byte[] receiveData() throws Exception {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        byte[] msg = Arrays.copyOf(buf, p.getLength());
        int type = ((msg[0] & 0xff) << 8) | (msg[1] & 0xff);
        assertEquals(DATA, type, "a Data indication");
        StunTestClient.Response r = new StunTestClient.Response(type, Arrays.copyOfRange(msg, 8, 20), msg);
        byte[] data = r.attribute(DATA_ATTR);
        assertNotNull(data, "DATA attribute");
        return data;
    }

    /** XOR-RELAYED-ADDRESS of an Allocate success. */
    static InetSocketAddress relayed(StunTestClient.Response r) throws Exception {
        byte[] v = r.attribute(XOR_RELAYED_ADDRESS);
        assertNotNull(v, "XOR-RELAYED-ADDRESS");
        int port = (((v[2] & 0xff) << 8) | (v[3] & 0xff)) ^ (StunTestClient.MAGIC_COOKIE >>> 16);
        byte[] addr = Arrays.copyOfRange(v, 4, v[1] == 1 ? 8 : 20);
        byte[] mask = ByteBuffer.allocate(16).putInt(StunTestClient.MAGIC_COOKIE).put(r.tid()).array();
        for (int i = 0; i < addr.length; i++) {
            addr[i] ^= mask[i];
        }
        return new InetSocketAddress(InetAddress.getByAddress(addr), port);
    }

    private StunTestClient.Response exchange(int method, boolean authenticated, int attrType, byte[] value,
                                             InetSocketAddress... peers) throws Exception {
        byte[] tid = StunTestClient.transactionId();
        Object[] attrs = peers.length == 0 ? new Object[]{attrType, value}
                : new Object[]{attrType, xorAddress(peers[0], tid)};
        byte[] msg = message(method, tid, authenticated, attrs);
        socket.send(new DatagramPacket(msg, msg.length, server));
        byte[] buf = new byte[2048];
        DatagramPacket reply = new DatagramPacket(buf, buf.length);
        socket.receive(reply);
        return StunTestClient.parse(buf, reply.getLength(), tid);
    }

    private byte[] message(int type, byte[] tid, boolean authenticated, Object... attributes) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < attributes.length; i += 2) {
            attribute(body, (Integer) attributes[i], (byte[]) attributes[i + 1]);
        }
        if (authenticated) {
            attribute(body, USERNAME, username.getBytes(StandardCharsets.UTF_8));
            attribute(body, REALM, realm.getBytes(StandardCharsets.UTF_8));
            attribute(body, NONCE, nonce.getBytes(StandardCharsets.UTF_8));
        }
        byte[] attrs = body.toByteArray();
        int length = attrs.length + (authenticated ? 24 : 0);
        ByteBuffer b = ByteBuffer.allocate(20 + length);
        b.putShort((short) type).putShort((short) length).putInt(StunTestClient.MAGIC_COOKIE).put(tid).put(attrs);
        if (authenticated) {
            // HMAC over everything before MESSAGE-INTEGRITY, with the length already counting it (RFC 8489 §14.5)
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(b.array(), 0, 20 + attrs.length);
            b.putShort((short) MESSAGE_INTEGRITY).putShort((short) 20).put(mac.doFinal());
        }
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

    @Override
    public void close() {
        socket.close();
    }
}
