package dev.switchboard.relay.stun;

import dev.switchboard.relay.ice.IceRole;
import dev.switchboard.relay.ice.IceStun;
import dev.switchboard.relay.ice.Priority;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static dev.switchboard.relay.stun.StunVectors.RFC5769_LT_NONCE;
import static dev.switchboard.relay.stun.StunVectors.RFC5769_LT_PASSWORD;
import static dev.switchboard.relay.stun.StunVectors.RFC5769_LT_REALM;
import static dev.switchboard.relay.stun.StunVectors.RFC5769_LT_USERNAME;
import static dev.switchboard.relay.stun.StunVectors.RFC5769_PASSWORD;
import static dev.switchboard.relay.stun.StunVectors.RFC5769_REQUEST;
import static dev.switchboard.relay.stun.StunVectors.RFC5769_REQUEST_LONG_TERM;
import static dev.switchboard.relay.stun.StunVectors.RFC5769_RESPONSE_IPV4;
import static dev.switchboard.relay.stun.StunVectors.RFC5769_RESPONSE_IPV6;
import static dev.switchboard.relay.stun.StunVectors.RFC5769_USERNAME;
import static dev.switchboard.relay.stun.StunVectors.RFC8489_NONCE;
import static dev.switchboard.relay.stun.StunVectors.RFC8489_REQUEST_SHA256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every test vector of RFC 5769, plus RFC 8489 Appendix B.1 (with its erratum): decoded, integrity and
 * fingerprint verified on the given bytes, and re-encoded byte for byte where the vector's padding is zeros (the
 * RFC 5769 §2.1–§2.3 vectors pad SOFTWARE/USERNAME with spaces, which an encoder following RFC 8489 does not).
 */
class Rfc5769VectorsTest {

    private static final byte[] TID_1 = StunVectors.bytes(
            0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae);
    private static final byte[] TID_2 = StunVectors.bytes(
            0x78, 0xad, 0x34, 0x33, 0xc6, 0xad, 0x72, 0xc0, 0x29, 0xda, 0x41, 0x2e);

    private final StunMessage m = new StunMessage();

    private static ByteBuffer buffer(byte[] b) {
        return ByteBuffer.wrap(b.clone());
    }

    @Test
    void sampleRequestDecodesAndVerifies() throws Exception {
        assertTrue(StunHeader.isStun(buffer(RFC5769_REQUEST)));
        assertEquals(RFC5769_REQUEST.length, StunHeader.frameLength(buffer(RFC5769_REQUEST)));

        m.decode(buffer(RFC5769_REQUEST));
        assertEquals(StunMethod.BINDING, m.method());
        assertEquals(StunClass.REQUEST, m.messageClass());
        assertArrayEquals(TID_1, m.transactionId());
        assertEquals(6, m.attributeCount());
        assertEquals("STUN test client", m.getSoftware());
        assertEquals(0x6e0001ffL, Priority.get(m));
        assertEquals(0x932ff9b151263b36L, IceRole.CONTROLLED.tieBreaker(m));
        assertEquals(RFC5769_USERNAME, m.getUsername());
        m.validateKnownAttributes(IceStun.REGISTRY);

        byte[] key = StunKeys.shortTerm(RFC5769_PASSWORD);
        assertTrue(m.checkMessageIntegrity(key));
        assertTrue(m.checkFingerprint());
        assertFalse(m.checkMessageIntegrity(StunKeys.shortTerm(RFC5769_PASSWORD + "x")));
        assertFalse(m.hasMessageIntegritySha256());
    }

    @Test
    void sampleRequestReencodesIdenticallyUpToTheSpacePadding() throws Exception {
        byte[] key = StunKeys.shortTerm(RFC5769_PASSWORD);
        ByteBuffer out = ByteBuffer.allocate(512);
        new StunEncoder().begin(out, StunMethod.BINDING, StunClass.REQUEST, TID_1)
                .addText(StunAttribute.SOFTWARE, "STUN test client")
                .add(Priority.ATTRIBUTE, 0x6e0001ffL)
                .add(IceRole.CONTROLLED, 0x932ff9b151263b36L)
                .addText(StunAttribute.USERNAME, RFC5769_USERNAME)
                .addMessageIntegrity(key)
                .addFingerprint()
                .finish();
        byte[] ours = Arrays.copyOfRange(out.array(), out.position(), out.limit());
        assertEquals(RFC5769_REQUEST.length, ours.length);
        int usernamePadding = 20 + 20 + 8 + 12 + 4 + 9;
        assertArrayEquals(Arrays.copyOf(RFC5769_REQUEST, usernamePadding), Arrays.copyOf(ours, usernamePadding));
        // the vector pads USERNAME with spaces, we pad with zeros; our own integrity and fingerprint hold
        assertArrayEquals(new byte[3], Arrays.copyOfRange(ours, usernamePadding, usernamePadding + 3));
        m.decode(ByteBuffer.wrap(ours));
        assertTrue(m.checkMessageIntegrity(key));
        assertTrue(m.checkFingerprint());
    }

    @Test
    void ipv4ResponseDecodesAndVerifies() throws Exception {
        m.decode(buffer(RFC5769_RESPONSE_IPV4));
        assertEquals(StunMethod.BINDING, m.method());
        assertEquals(StunClass.SUCCESS_RESPONSE, m.messageClass());
        assertArrayEquals(TID_1, m.transactionId());
        assertEquals("test vector", m.getSoftware());

        StunAddress a = new StunAddress();
        assertTrue(m.getXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, a));
        assertEquals(StunAddress.FAMILY_IPV4, a.family());
        assertEquals(32853, a.port());
        assertArrayEquals(StunVectors.bytes(192, 0, 2, 1), a.addressBytes());
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853), m.xorMappedAddress());

        assertTrue(m.checkMessageIntegrity(StunKeys.shortTerm(RFC5769_PASSWORD)));
        assertTrue(m.checkFingerprint());
    }

    @Test
    void ipv4XorMappedAddressEncodesToTheVectorBytes() throws Exception {
        byte[] attribute = encodeXorMapped(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
        assertArrayEquals(Arrays.copyOfRange(RFC5769_RESPONSE_IPV4, 36, 48), attribute);
    }

    @Test
    void ipv6ResponseDecodesAndVerifies() throws Exception {
        m.decode(buffer(RFC5769_RESPONSE_IPV6));
        assertEquals(StunClass.SUCCESS_RESPONSE, m.messageClass());
        assertEquals("test vector", m.getSoftware());

        StunAddress a = new StunAddress();
        assertTrue(m.getXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, a));
        assertEquals(StunAddress.FAMILY_IPV6, a.family());
        assertEquals(32853, a.port());
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
                m.xorMappedAddress());

        assertTrue(m.checkMessageIntegrity(StunKeys.shortTerm(RFC5769_PASSWORD)));
        assertTrue(m.checkFingerprint());
    }

    @Test
    void ipv6XorMappedAddressEncodesToTheVectorBytes() throws Exception {
        byte[] attribute = encodeXorMapped(
                new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
        assertArrayEquals(Arrays.copyOfRange(RFC5769_RESPONSE_IPV6, 36, 60), attribute);
    }

    /** A response with the vectors' transaction id and only XOR-MAPPED-ADDRESS; returns that attribute. */
    private static byte[] encodeXorMapped(InetSocketAddress address) {
        ByteBuffer out = ByteBuffer.allocate(128);
        new StunEncoder().begin(out, StunMethod.BINDING, StunClass.SUCCESS_RESPONSE, TID_1)
                .addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, address)
                .finish();
        return Arrays.copyOfRange(out.array(), 20, out.limit());
    }

    @Test
    void longTermRequestDecodesAndVerifies() throws Exception {
        m.decode(buffer(RFC5769_REQUEST_LONG_TERM));
        assertEquals(StunMethod.BINDING, m.method());
        assertEquals(StunClass.REQUEST, m.messageClass());
        assertArrayEquals(TID_2, m.transactionId());
        assertEquals(RFC5769_LT_USERNAME, m.getUsername());
        assertEquals(RFC5769_LT_NONCE, m.getNonce());
        assertEquals(RFC5769_LT_REALM, m.getRealm());
        assertFalse(m.hasFingerprint());
        assertFalse(m.checkFingerprint());

        byte[] key = StunKeys.longTerm(m.getUsername(), m.getRealm(), RFC5769_LT_PASSWORD);
        assertTrue(m.checkMessageIntegrity(key));
        assertFalse(m.checkMessageIntegrity(StunKeys.longTerm(RFC5769_LT_USERNAME, "example.com",
                RFC5769_LT_PASSWORD)));
    }

    @Test
    void longTermRequestReencodesByteForByte() throws Exception {
        byte[] key = StunKeys.longTerm(RFC5769_LT_USERNAME, RFC5769_LT_REALM, RFC5769_LT_PASSWORD);
        ByteBuffer out = ByteBuffer.allocate(512);
        new StunEncoder().begin(out, StunMethod.BINDING, StunClass.REQUEST, TID_2)
                .addText(StunAttribute.USERNAME, RFC5769_LT_USERNAME)
                .addText(StunAttribute.NONCE, RFC5769_LT_NONCE)
                .addText(StunAttribute.REALM, RFC5769_LT_REALM)
                .addMessageIntegrity(key)
                .finish();
        assertArrayEquals(RFC5769_REQUEST_LONG_TERM, Arrays.copyOfRange(out.array(), 0, out.limit()));
    }

    @Test
    void rfc8489Sha256RequestWithUserHashVerifies() throws Exception {
        m.decode(buffer(RFC8489_REQUEST_SHA256));
        assertEquals(StunClass.REQUEST, m.messageClass());
        assertEquals(RFC8489_NONCE, m.getNonce());
        assertEquals(RFC5769_LT_REALM, m.getRealm());
        assertEquals(StunKeys.PASSWORD_ALGORITHM_SHA256, m.getPasswordAlgorithm());
        m.validateKnownAttributes(IceStun.REGISTRY);

        byte[] userHash = new byte[32];
        assertTrue(m.getUserHash(userHash, 0));
        assertArrayEquals(StunKeys.userHash(RFC5769_LT_USERNAME, RFC5769_LT_REALM), userHash);

        byte[] key = StunKeys.longTerm(RFC5769_LT_USERNAME, RFC5769_LT_REALM, RFC5769_LT_PASSWORD,
                StunKeys.PASSWORD_ALGORITHM_SHA256);
        assertTrue(m.checkMessageIntegritySha256(key));
        assertFalse(m.checkMessageIntegritySha256(StunKeys.longTerm(RFC5769_LT_USERNAME, RFC5769_LT_REALM,
                RFC5769_LT_PASSWORD)));
        assertFalse(m.hasMessageIntegrity());
    }

    @Test
    void rfc8489Sha256RequestReencodesByteForByte() throws Exception {
        byte[] key = StunKeys.longTerm(RFC5769_LT_USERNAME, RFC5769_LT_REALM, RFC5769_LT_PASSWORD,
                StunKeys.PASSWORD_ALGORITHM_SHA256);
        ByteBuffer out = ByteBuffer.allocate(512);
        new StunEncoder().begin(out, StunMethod.BINDING, StunClass.REQUEST, TID_2)
                .addUserHash(StunKeys.userHash(RFC5769_LT_USERNAME, RFC5769_LT_REALM))
                .addText(StunAttribute.NONCE, RFC8489_NONCE)
                .addText(StunAttribute.REALM, RFC5769_LT_REALM)
                .addPasswordAlgorithm(StunKeys.PASSWORD_ALGORITHM_SHA256)
                .addMessageIntegritySha256(key)
                .finish();
        assertArrayEquals(RFC8489_REQUEST_SHA256, Arrays.copyOfRange(out.array(), 0, out.limit()));
    }

    @Test
    void everyVectorFailsVerificationWhenAnyCoveredByteChanges() throws Exception {
        byte[] key = StunKeys.shortTerm(RFC5769_PASSWORD);
        for (byte[] vector : new byte[][]{RFC5769_REQUEST, RFC5769_RESPONSE_IPV4, RFC5769_RESPONSE_IPV6}) {
            int fingerprintAt = vector.length - 8;
            for (int i = 0; i < fingerprintAt; i++) {
                if (i == 2 || i == 3) {
                    continue; // changing the length field breaks framing instead
                }
                byte[] copy = vector.clone();
                copy[i] ^= 0x01;
                try {
                    m.decode(ByteBuffer.wrap(copy));
                } catch (StunException e) {
                    continue; // corrupting an attribute header may make the layout invalid: also a rejection
                }
                assertFalse(m.checkFingerprint(), "fingerprint survived a flip at " + i);
                boolean inIntegrityValue = i >= fingerprintAt - 20;
                if (!inIntegrityValue && m.hasMessageIntegrity()) {
                    assertFalse(m.checkMessageIntegrity(key), "integrity survived a flip at " + i);
                }
            }
        }
    }
}
