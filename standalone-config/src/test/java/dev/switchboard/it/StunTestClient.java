package dev.switchboard.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A deliberately independent STUN client for the tests: it shares no code with the relay's codec, so a bug there
 * cannot hide itself by being on both sides.
 */
final class StunTestClient {

    static final int MAGIC_COOKIE = 0x2112A442;
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    static final int BINDING_ERROR = 0x0111;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    static final int SOFTWARE = 0x8022;
    static final int FINGERPRINT = 0x8028;
    static final int ERROR_CODE = 0x0009;
    static final int UNKNOWN_ATTRIBUTES = 0x000A;

    private static final SecureRandom RANDOM = new SecureRandom();

    private StunTestClient() {
    }

    static byte[] transactionId() {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return id;
    }

    /** A Binding request carrying the given extra attributes (type, value) pairs. */
    static byte[] bindingRequest(byte[] tid, Object... attributes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < attributes.length; i += 2) {
            int type = (Integer) attributes[i];
            byte[] value = (byte[]) attributes[i + 1];
            body.write(type >>> 8);
            body.write(type);
            body.write(value.length >>> 8);
            body.write(value.length);
            body.writeBytes(value);
            for (int p = value.length; p % 4 != 0; p++) {
                body.write(0);
            }
        }
        byte[] attrs = body.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(20 + attrs.length);
        b.putShort((short) BINDING_REQUEST).putShort((short) attrs.length).putInt(MAGIC_COOKIE).put(tid).put(attrs);
        return b.array();
    }

    /** A parsed response; every attribute kept raw. */
    record Response(int type, byte[] tid, byte[] raw) {

        byte[] attribute(int wanted) {
            int pos = 20;
            while (pos + 4 <= raw.length) {
                int t = ((raw[pos] & 0xff) << 8) | (raw[pos + 1] & 0xff);
                int len = ((raw[pos + 2] & 0xff) << 8) | (raw[pos + 3] & 0xff);
                if (t == wanted) {
                    return Arrays.copyOfRange(raw, pos + 4, pos + 4 + len);
                }
                pos += 4 + ((len + 3) & ~3);
            }
            return null;
        }

        InetSocketAddress xorMappedAddress() throws IOException {
            byte[] v = attribute(XOR_MAPPED_ADDRESS);
            assertTrue(v != null, "no XOR-MAPPED-ADDRESS");
            int family = v[1];
            int port = (((v[2] & 0xff) << 8) | (v[3] & 0xff)) ^ (MAGIC_COOKIE >>> 16);
            byte[] mask = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(tid).array();
            byte[] addr = Arrays.copyOfRange(v, 4, family == 1 ? 8 : 20);
            for (int i = 0; i < addr.length; i++) {
                addr[i] ^= mask[i];
            }
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        }

        /** FINGERPRINT must be last and equal CRC-32 of everything before it XOR 0x5354554e (RFC 8489 §14.7). */
        void assertFingerprint() {
            int fpAt = raw.length - 8;
            assertTrue(fpAt >= 20, "message too short for FINGERPRINT");
            int t = ((raw[fpAt] & 0xff) << 8) | (raw[fpAt + 1] & 0xff);
            assertEquals(FINGERPRINT, t, "FINGERPRINT is not the last attribute");
            CRC32 crc = new CRC32();
            crc.update(raw, 0, fpAt);
            int expected = (int) crc.getValue() ^ 0x5354554e;
            int actual = ByteBuffer.wrap(raw, fpAt + 4, 4).getInt();
            assertEquals(expected, actual, "FINGERPRINT does not verify");
        }

        int errorCode() {
            byte[] v = attribute(ERROR_CODE);
            assertTrue(v != null, "no ERROR-CODE");
            return (v[2] & 0x7) * 100 + (v[3] & 0xff);
        }
    }

    static Response parse(byte[] raw, int length, byte[] expectedTid) {
        byte[] msg = Arrays.copyOf(raw, length);
        if (msg.length < 20) {
            fail("reply shorter than a STUN header: " + msg.length);
        }
        int type = ((msg[0] & 0xff) << 8) | (msg[1] & 0xff);
        int len = ((msg[2] & 0xff) << 8) | (msg[3] & 0xff);
        assertEquals(msg.length - 20, len, "STUN length field");
        assertEquals(MAGIC_COOKIE, ByteBuffer.wrap(msg, 4, 4).getInt(), "magic cookie");
        byte[] tid = Arrays.copyOfRange(msg, 8, 20);
        assertArrayEquals(expectedTid, tid, "transaction id");
        return new Response(type, tid, msg);
    }

    /** Reads one STUN message from a stream (STUN over TCP is framed by its own length field). */
    static Response readFramed(InputStream in, byte[] expectedTid) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[20];
        data.readFully(header);
        int len = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        byte[] msg = Arrays.copyOf(header, 20 + len);
        data.readFully(msg, 20, len);
        return parse(msg, msg.length, expectedTid);
    }
}
