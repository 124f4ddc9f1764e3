package dev.switchboard.relay.ice;

import dev.switchboard.relay.ice.RoleConflict.Resolution;
import dev.switchboard.relay.stun.AttributeSet;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunKeys;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.stun.StunRegistry;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connectivity check as Chromium (libwebrtc) sends it to an ICE-lite server, built byte by byte from RFC 8445
 * §7.2.2 and RFC 8489 §14.5, §14.7 with the JDK's HMAC-SHA1 and CRC-32 (so not by the codec under test):
 * USERNAME "serverUfrag:browserUfrag", GOOG-NETWORK-INFO (0xC057, comprehension-optional), ICE-CONTROLLING,
 * USE-CANDIDATE, PRIORITY, MESSAGE-INTEGRITY under the server's password, FINGERPRINT; in libwebrtc's order.
 * Then decoded through the ICE classes and answered, with a success and with 487.
 */
class IceBindingRequestTest {

    private static final String SERVER_UFRAG = "s3rV";
    private static final String BROWSER_UFRAG = "Br0w";
    private static final String SERVER_PASSWORD = "asd88fgpdd777uzjYhagZg"; // ice-pwd: 22 characters or more
    private static final long PRIORITY = 0x6E7F1EFFL; // peer-reflexive type preference 110, as Chromium sends
    private static final long TIE_BREAKER = 0xA1B2C3D4E5F60718L;
    private static final byte[] TID = "chromeTxId12".getBytes(StandardCharsets.US_ASCII);

    private static byte[] chromiumRequest() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        attribute(body, 0x0006, (SERVER_UFRAG + ":" + BROWSER_UFRAG).getBytes(StandardCharsets.UTF_8));
        attribute(body, 0xC057, new byte[]{0x00, 0x01, 0x00, 0x0A}); // network id 1, cost 10
        attribute(body, 0x802A, ByteBuffer.allocate(8).putLong(TIE_BREAKER).array());
        attribute(body, 0x0025, new byte[0]);
        attribute(body, 0x0024, ByteBuffer.allocate(4).putInt((int) PRIORITY).array());
        // MESSAGE-INTEGRITY: HMAC-SHA1 over the message up to it, with the length counting it (RFC 8489 §14.5)
        byte[] beforeIntegrity = message(body.toByteArray(), 24);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SERVER_PASSWORD.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        attribute(body, 0x0008, mac.doFinal(beforeIntegrity));
        // FINGERPRINT: CRC-32 of the message up to it, the length counting it, XOR 0x5354554e (§14.7)
        CRC32 crc = new CRC32();
        crc.update(message(body.toByteArray(), 8));
        attribute(body, 0x8028, ByteBuffer.allocate(4).putInt((int) crc.getValue() ^ 0x5354554E).array());
        return message(body.toByteArray(), 0);
    }

    private static void attribute(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type >>> 8);
        out.write(type);
        out.write(value.length >>> 8);
        out.write(value.length);
        out.writeBytes(value);
        out.writeBytes(new byte[(4 - value.length % 4) % 4]);
    }

    /** A Binding request header over {@code body}, its length counting {@code extra} more bytes. */
    private static byte[] message(byte[] body, int extra) {
        return ByteBuffer.allocate(20 + body.length).putShort((short) 0x0001).putShort((short) (body.length + extra))
                .putInt(0x2112A442).put(TID).put(body).array();
    }

    @Test
    void decodesThroughTheIceClasses() throws Exception {
        byte[] bytes = chromiumRequest();
        StunMessage m = new StunMessage();
        m.decode(ByteBuffer.wrap(bytes));

        assertTrue(m.isRequest());
        assertEquals(StunMethod.BINDING, m.method());
        assertEquals(0, m.unknownComprehensionRequired(IceStun.REGISTRY.types(), new int[8]),
                "GOOG-NETWORK-INFO is comprehension-optional; the rest is RFC 8489's or ICE's");
        IceStun.REGISTRY.validate(m);
        assertEquals(SERVER_UFRAG + ":" + BROWSER_UFRAG, m.getUsername());
        assertTrue(m.checkMessageIntegrity(StunKeys.shortTerm(SERVER_PASSWORD)));
        assertTrue(m.checkFingerprint());

        assertEquals(PRIORITY, Priority.get(m));
        assertTrue(UseCandidate.isPresent(m));
        assertTrue(IceRole.CONTROLLING.isPresent(m));
        assertEquals(TIE_BREAKER, IceRole.CONTROLLING.tieBreaker(m));
        assertEquals(Resolution.NONE, RoleConflict.resolve(false, 1, m), "a lite agent is controlled");
        assertEquals("StunMessage(Binding REQUEST, " + bytes.length + " bytes: USERNAME/9, 0xc057/4, "
                + "ICE-CONTROLLING/8, USE-CANDIDATE/0, PRIORITY/4, MESSAGE-INTEGRITY/20, FINGERPRINT/4)",
                IceStun.REGISTRY.describe(m));
    }

    @Test
    void theCoreRegistryAloneDoesNotUnderstandTheIceAttributes() throws Exception {
        StunMessage m = new StunMessage();
        m.decode(ByteBuffer.wrap(chromiumRequest()));
        AttributeSet core = StunRegistry.RFC_8489.types();
        int[] unknown = new int[8];
        assertEquals(2, m.unknownComprehensionRequired(core, unknown), "PRIORITY and USE-CANDIDATE: a 420");
        assertArrayEquals(new int[]{IceAttribute.USE_CANDIDATE, IceAttribute.PRIORITY}, Arrays.copyOf(unknown, 2));
    }

    @Test
    void ourEncoderWritesTheSameBytes() throws Exception {
        ByteBuffer out = ByteBuffer.allocate(256);
        new StunEncoder().begin(out, StunMethod.BINDING, StunClass.REQUEST, TID)
                .addText(StunAttribute.USERNAME, SERVER_UFRAG + ":" + BROWSER_UFRAG)
                .add(0xC057, new byte[]{0x00, 0x01, 0x00, 0x0A})
                .add(IceRole.CONTROLLING, TIE_BREAKER)
                .addEmpty(IceAttribute.USE_CANDIDATE)
                .add(Priority.ATTRIBUTE, PRIORITY)
                .addMessageIntegrity(StunKeys.shortTerm(SERVER_PASSWORD))
                .addFingerprint()
                .finish();
        assertArrayEquals(chromiumRequest(), Arrays.copyOfRange(out.array(), out.position(), out.limit()));
    }

    @Test
    void isAnsweredWithTheMappedAddressOrWith487() throws Exception {
        StunMessage request = new StunMessage();
        request.decode(ByteBuffer.wrap(chromiumRequest()));
        byte[] key = StunKeys.shortTerm(SERVER_PASSWORD);
        InetSocketAddress browser = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 50123);
        StunEncoder encoder = new StunEncoder();
        StunMessage reply = new StunMessage();

        ByteBuffer ok = encoder.beginResponse(ByteBuffer.allocate(256), request, StunClass.SUCCESS_RESPONSE)
                .addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, browser)
                .addMessageIntegrity(key).addFingerprint().finish();
        reply.decode(ok);
        assertEquals(StunClass.SUCCESS_RESPONSE, reply.messageClass());
        assertTrue(reply.hasTransactionId(TID, 0));
        assertEquals(browser, reply.xorMappedAddress());
        assertTrue(reply.checkMessageIntegrity(key) && reply.checkFingerprint());

        // Were this agent controlling too, with the larger tie-breaker, it would refuse the check (§7.3.1.1)
        assertEquals(Resolution.ANSWER_487, RoleConflict.resolve(true, -1L, request));
        ByteBuffer refusal = RoleConflict.addErrorCode(
                        encoder.beginResponse(ByteBuffer.allocate(256), request, StunClass.ERROR_RESPONSE))
                .addMessageIntegrity(key).addFingerprint().finish();
        reply.decode(refusal);
        assertEquals(StunClass.ERROR_RESPONSE, reply.messageClass());
        assertEquals(RoleConflict.CODE, reply.getErrorCode());
        assertEquals("Role Conflict", reply.getErrorReason());
        assertTrue(reply.checkMessageIntegrity(key) && reply.checkFingerprint());
    }
}
