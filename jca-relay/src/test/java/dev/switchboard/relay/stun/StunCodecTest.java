package dev.switchboard.relay.stun;

import dev.switchboard.relay.ice.IceAttribute;
import dev.switchboard.relay.ice.IceRole;
import dev.switchboard.relay.ice.IceStun;
import dev.switchboard.relay.ice.Priority;
import dev.switchboard.relay.turn.stun.AddressFamily;
import dev.switchboard.relay.turn.stun.ChannelNumber;
import dev.switchboard.relay.turn.stun.ConnectionId;
import dev.switchboard.relay.turn.stun.EvenPort;
import dev.switchboard.relay.turn.stun.Lifetime;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.ReservationToken;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnMethod;
import dev.switchboard.relay.turn.stun.TurnStun;

import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StunCodecTest {

    /** RFC 5780 §7.2: a comprehension-required type that neither the core nor TURN nor ICE registers. */
    private static final int CHANGE_REQUEST = 0x0003;
    /** Every type this relay knows, so that the TURN and ICE layouts are checked along with the core's. */
    private static final StunRegistry ALL = TurnStun.register(IceStun.REGISTRY);

    static final byte[] TID = TestMessages.TID;

    private final StunMessage m = new StunMessage();

    /** Encodes a Binding request with the given attributes; returns exactly the message bytes. */
    static byte[] request(Consumer<StunEncoder> attributes) {
        return message(StunMethod.BINDING, StunClass.REQUEST, attributes);
    }

    static byte[] message(int method, StunClass cls, Consumer<StunEncoder> attributes) {
        return TestMessages.encode(method, cls, attributes);
    }

    /** A message from a raw body (attribute bytes) with a correct header. */
    static byte[] raw(int type, int... body) {
        ByteBuffer b = ByteBuffer.allocate(20 + body.length);
        b.putShort((short) type).putShort((short) body.length).putInt(StunHeader.MAGIC_COOKIE).put(TID);
        for (int x : body) {
            b.put((byte) x);
        }
        return b.array();
    }

    private StunException decodeFails(byte[] bytes) {
        return assertThrows(StunException.class, () -> m.decode(ByteBuffer.wrap(bytes)));
    }

    // ------------------------------------------------------------------ header

    @Test
    void messageTypeInterleavesMethodAndClass() {
        assertEquals(0x0001, StunHeader.type(StunMethod.BINDING, StunClass.REQUEST));
        assertEquals(0x0011, StunHeader.type(StunMethod.BINDING, StunClass.INDICATION));
        assertEquals(0x0101, StunHeader.type(StunMethod.BINDING, StunClass.SUCCESS_RESPONSE));
        assertEquals(0x0111, StunHeader.type(StunMethod.BINDING, StunClass.ERROR_RESPONSE));
        assertEquals(0x0003, StunHeader.type(TurnMethod.ALLOCATE, StunClass.REQUEST));
        assertEquals(0x0113, StunHeader.type(TurnMethod.ALLOCATE, StunClass.ERROR_RESPONSE));
        assertEquals(0x0016, StunHeader.type(TurnMethod.SEND, StunClass.INDICATION));
        assertEquals(0x0017, StunHeader.type(TurnMethod.DATA, StunClass.INDICATION));
        assertEquals(0x001C, StunHeader.type(TurnMethod.CONNECTION_ATTEMPT, StunClass.INDICATION));
        assertEquals(0x3EEF, StunHeader.type(0xFFF, StunClass.REQUEST));
        for (int method = 0; method <= StunMethod.MAX; method++) {
            for (StunClass c : StunClass.values()) {
                int type = StunHeader.type(method, c);
                assertEquals(0, type & 0xC000);
                assertEquals(method, StunHeader.method(type));
                assertEquals(c, StunHeader.messageClass(type));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> StunHeader.type(0x1000, StunClass.REQUEST));
    }

    @Test
    void isStunChecksLeadingBitsCookieAndLength() {
        byte[] ok = request(e -> e.addText(StunAttribute.SOFTWARE, "x"));
        assertTrue(StunHeader.isStun(ByteBuffer.wrap(ok)));
        assertTrue(StunMessage.isStun(ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN)));

        byte[] topBits = ok.clone();
        topBits[0] |= (byte) 0x40;
        assertFalse(StunHeader.isStun(ByteBuffer.wrap(topBits)));
        byte[] cookie = ok.clone();
        cookie[7] ^= 1;
        assertFalse(StunHeader.isStun(ByteBuffer.wrap(cookie)));
        byte[] unaligned = ok.clone();
        unaligned[3] += 1;
        assertFalse(StunHeader.isStun(ByteBuffer.wrap(unaligned)));
        assertFalse(StunHeader.isStun(ByteBuffer.wrap(ok, 0, ok.length - 4)), "length says more than is there");
        assertFalse(StunHeader.isStun(ByteBuffer.wrap(Arrays.copyOf(ok, ok.length + 4))), "trailing bytes");
        assertFalse(StunHeader.isStun(ByteBuffer.wrap(ok, 0, 19)));
        assertFalse(StunHeader.isStun(ByteBuffer.allocate(0)));
    }

    @Test
    void isStunAndFrameLengthReadFromThePositionAndMoveNothing() {
        byte[] msg = request(e -> e.addText(StunAttribute.SOFTWARE, "abcdef"));
        ByteBuffer b = ByteBuffer.allocate(msg.length + 10);
        b.position(7);
        b.put(msg);
        b.flip().position(7);
        assertTrue(StunHeader.isStun(b));
        assertEquals(msg.length, StunHeader.frameLength(b));
        assertEquals(7, b.position());
        assertEquals(7 + msg.length, b.limit());
    }

    @Test
    void frameLengthNeedsOnlyTheHeader() {
        byte[] msg = request(e -> e.add(TurnAttribute.DATA, new byte[100]));
        assertEquals(msg.length, StunHeader.frameLength(ByteBuffer.wrap(msg, 0, 20)));
        assertEquals(msg.length, StunMessage.frameLength(ByteBuffer.wrap(msg)));
        assertEquals(-1, StunHeader.frameLength(ByteBuffer.wrap(msg, 0, 19)), "not enough bytes yet");
        byte[] garbage = "GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, StunHeader.frameLength(ByteBuffer.wrap(garbage)), "not STUN");
    }

    // ------------------------------------------------------------------ decode failures

    @Test
    void headerFailuresAreNotStunAndLeaveNoHeader() {
        byte[] ok = request(e -> { });
        byte[] cookie = ok.clone();
        cookie[4] = 0;
        byte[] topBits = ok.clone();
        topBits[0] = (byte) 0x80;
        for (byte[] bad : new byte[][]{new byte[0], Arrays.copyOf(ok, 19), cookie, topBits,
                Arrays.copyOf(ok, 24)}) {
            StunException e = decodeFails(bad);
            assertTrue(e.isNotStun());
            assertEquals(StunException.NOT_STUN, e.errorCode());
            assertFalse(m.hasHeader());
            assertFalse(m.isRequest());
        }
    }

    @Test
    void attributeOverrunIsBadRequestButKeepsTheHeader() {
        byte[] msg = raw(0x0001, 0x80, 0x22, 0x00, 0x08, 'a', 'b', 'c', 'd');
        StunException e = decodeFails(msg);
        assertEquals(ErrorCode.BAD_REQUEST, e.errorCode());
        assertFalse(e.isNotStun());
        assertTrue(m.hasHeader());
        assertTrue(m.isRequest());
        assertEquals(StunMethod.BINDING, m.method());
        assertArrayEquals(TID, m.transactionId());
        assertEquals(0, m.attributeCount(), "nothing indexed from a bad body");
    }

    @Test
    void missingPaddingIsAnOverrun() {
        // a 1-byte value needs 3 bytes of padding; the message ends after the value's 4-byte slot minus padding
        byte[] msg = raw(0x0001, 0x80, 0x22, 0x00, 0x05, 'a', 'b', 'c', 'd');
        assertEquals(ErrorCode.BAD_REQUEST, decodeFails(msg).errorCode());
    }

    @Test
    void fingerprintMustBeLast() {
        byte[] msg = request(e -> e.addFingerprint());
        byte[] extended = Arrays.copyOf(msg, msg.length + 4);
        extended[3] += 4;
        extended[msg.length] = (byte) 0x80; // SOFTWARE, empty
        extended[msg.length + 1] = 0x22;
        assertEquals(ErrorCode.BAD_REQUEST, decodeFails(extended).errorCode());
        StunEncoder encoder = new StunEncoder().begin(ByteBuffer.allocate(100), 1, StunClass.REQUEST, TID)
                .addFingerprint();
        assertThrows(IllegalStateException.class, () -> encoder.addEmpty(IceAttribute.USE_CANDIDATE));
    }

    @Test
    void integrityAndFingerprintLengthsAreChecked() {
        assertEquals(400, decodeFails(raw(1, 0x00, 0x08, 0x00, 0x10, new byte[16])).errorCode());
        assertEquals(400, decodeFails(raw(1, 0x00, 0x1C, 0x00, 0x0C, new byte[12])).errorCode());
        assertEquals(400, decodeFails(raw(1, 0x00, 0x1C, 0x00, 0x12, new byte[20])).errorCode());
        assertEquals(400, decodeFails(raw(1, 0x00, 0x1C, 0x00, 0x24, new byte[36])).errorCode());
        assertEquals(400, decodeFails(raw(1, 0x80, 0x28, 0x00, 0x08, new byte[8])).errorCode());
    }

    private static byte[] raw(int type, int a, int b, int c, int d, byte[] value) {
        int[] body = new int[4 + value.length];
        body[0] = a;
        body[1] = b;
        body[2] = c;
        body[3] = d;
        return raw(type, body);
    }

    // ------------------------------------------------------------------ attributes

    @Test
    void paddingIsZeroedOnSendAndIgnoredOnReceipt() throws Exception {
        for (int length = 0; length <= 9; length++) {
            byte[] value = new byte[length];
            Arrays.fill(value, (byte) 0x5A);
            byte[] msg = request(e -> e.add(0x8123, value));
            int padded = (length + 3) & ~3;
            assertEquals(20 + 4 + padded, msg.length);
            for (int p = 24 + length; p < msg.length; p++) {
                assertEquals(0, msg[p]);
                msg[p] = (byte) 0xFF; // receivers must ignore whatever is there
            }
            m.decode(ByteBuffer.wrap(msg));
            assertArrayEquals(value, m.value(0x8123));
            assertEquals(24, m.attributeOffset(0));
            assertEquals(length, m.attributeLength(0));
        }
    }

    @Test
    void onlyTheFirstOccurrenceCounts() throws Exception {
        m.decode(ByteBuffer.wrap(request(e -> e.addText(StunAttribute.SOFTWARE, "first")
                .addText(StunAttribute.SOFTWARE, "second"))));
        assertEquals("first", m.getSoftware());
        assertEquals(2, m.attributeCount());
        assertNull(m.getRealm());
        assertFalse(m.contains(StunAttribute.REALM));
    }

    @Test
    void xorAddressesRoundTripForIpv4AndIpv6() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("203.0.113.77"), 65535);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::dead:beef"), 1);
        for (int type : new int[]{StunAttribute.XOR_MAPPED_ADDRESS, TurnAttribute.XOR_PEER_ADDRESS,
                TurnAttribute.XOR_RELAYED_ADDRESS}) {
            for (InetSocketAddress a : new InetSocketAddress[]{v4, v6}) {
                byte[] msg = request(e -> e.addXorAddress(type, a));
                m.decode(ByteBuffer.wrap(msg));
                assertEquals(a, m.xorAddress(type));
                // the wire form really is XOR'ed: the plain bytes of the address do not appear
                byte[] plain = a.getAddress().getAddress();
                byte[] onWire = Arrays.copyOfRange(msg, 28, 28 + plain.length);
                assertFalse(Arrays.equals(plain, onWire));
                StunAddress holder = new StunAddress();
                assertTrue(m.getXorAddress(type, holder));
                assertEquals(a.getPort(), holder.port());
                assertArrayEquals(plain, holder.addressBytes());
            }
        }
    }

    @Test
    void plainAddressesRoundTrip() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("192.0.2.9"), 3478);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 5349);
        // and RFC 5780's RESPONSE-ORIGIN and OTHER-ADDRESS, which share the layout but are not the core's
        for (int type : new int[]{StunAttribute.MAPPED_ADDRESS, StunAttribute.ALTERNATE_SERVER, 0x802B, 0x802C}) {
            for (InetSocketAddress a : new InetSocketAddress[]{v4, v6}) {
                byte[] msg = request(e -> e.addAddress(type, a));
                m.decode(ByteBuffer.wrap(msg));
                assertEquals(a, m.address(type));
                assertArrayEquals(a.getAddress().getAddress(),
                        Arrays.copyOfRange(msg, 28, 28 + a.getAddress().getAddress().length));
                assertEquals(a.getPort(), (msg[26] & 0xFF) << 8 | (msg[27] & 0xFF));
            }
        }
    }

    /**
     * RFC 8489 §14.15: ALTERNATE-SERVER (0x8023) has MAPPED-ADDRESS's layout (§14.1), not XOR-MAPPED-ADDRESS's: the
     * bytes of 192.0.2.1:3478 and [2001:db8::1]:3478 written out by hand from the figure in §14.1.
     */
    @Test
    void alternateServerBytesAreMappedAddressLayout() throws Exception {
        InetSocketAddress a4 = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 3478);
        InetSocketAddress a6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 3478);
        byte[] v4 = request(e -> e.addAddress(StunAttribute.ALTERNATE_SERVER, a4));
        assertArrayEquals(new byte[]{(byte) 0x80, 0x23, 0x00, 0x08, 0x00, 0x01, 0x0D, (byte) 0x96,
                (byte) 192, 0, 2, 1}, Arrays.copyOfRange(v4, 20, 32));
        byte[] v6 = request(e -> e.addAddress(StunAttribute.ALTERNATE_SERVER, a6));
        assertArrayEquals(new byte[]{(byte) 0x80, 0x23, 0x00, 0x14, 0x00, 0x02, 0x0D, (byte) 0x96,
                0x20, 0x01, 0x0D, (byte) 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, Arrays.copyOfRange(v6, 20, 44));
    }

    @Test
    void ipv4MappedIpv6SourceIsSentAsIpv4() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = (byte) 198;
        mapped[13] = 51;
        mapped[14] = 100;
        mapped[15] = 7;
        // Inet6Address.getByAddress keeps the IPv6 form (InetAddress.getByAddress would turn it into IPv4)
        InetAddress v6form = Inet6Address.getByAddress(null, mapped, null);
        assertTrue(v6form instanceof Inet6Address);
        byte[] msg = request(e -> e.addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS,
                new InetSocketAddress(v6form, 40000)));
        m.decode(ByteBuffer.wrap(msg));
        StunAddress a = new StunAddress();
        assertTrue(m.getXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, a));
        assertEquals(StunAddress.FAMILY_IPV4, a.family());
        assertEquals(new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 40000), a.toInetSocketAddress());
    }

    @Test
    void addressesWithBadFamilyOrLengthAreRejected() {
        int[][] bad = {
                {0x00, 0x20, 0x00, 0x08, 0, 3, 0, 1, 1, 2, 3, 4},    // family 3
                {0x00, 0x20, 0x00, 0x08, 0, 2, 0, 1, 1, 2, 3, 4},    // IPv6 family, IPv4 length
                {0x00, 0x20, 0x00, 0x04, 0, 1, 0, 1},                // no address
                {0x00, 0x20, 0x00, 0x02, 0, 1, 0, 0},                // shorter than family+port
                {0x00, 0x01, 0x00, 0x0C, 0, 1, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8}, // IPv4 with extra bytes
        };
        for (int[] body : bad) {
            byte[] msg = raw(0x0001, body);
            try {
                m.decode(ByteBuffer.wrap(msg));
            } catch (StunException e) {
                throw new AssertionError("layout itself is fine", e);
            }
            int type = (body[0] << 8) | body[1];
            StunException e = assertThrows(StunException.class, () -> m.getXorAddress(type, new StunAddress()));
            assertEquals(400, e.errorCode());
            assertThrows(StunException.class, () -> m.getAddress(type, new StunAddress()));
            assertThrows(StunException.class, () -> m.validateKnownAttributes(ALL));
        }
    }

    @Test
    void textAttributesRoundTripWithinTheirLimits() throws Exception {
        String maxSoftware = "\u00e9".repeat(127); // 127 characters, 254 bytes
        String username = "u".repeat(508);
        byte[] msg = request(e -> e.addText(StunAttribute.SOFTWARE, maxSoftware)
                .addText(StunAttribute.USERNAME, username)
                .addText(StunAttribute.REALM, "r\u00e9alm")
                .addText(StunAttribute.NONCE, "n")
                .addText(StunAttribute.ALTERNATE_DOMAIN, "stun.example.org"));
        m.decode(ByteBuffer.wrap(msg));
        m.validateKnownAttributes(ALL);
        assertEquals(maxSoftware, m.getSoftware());
        assertEquals(username, m.getUsername());
        assertEquals("r\u00e9alm", m.getRealm());
        assertEquals("n", m.getNonce());
        assertEquals("stun.example.org", m.getString(StunAttribute.ALTERNATE_DOMAIN));
    }

    @Test
    void encoderRefusesTextBeyondTheSendingLimits() {
        StunEncoder e = new StunEncoder().begin(ByteBuffer.allocate(4096), 1, StunClass.REQUEST, TID);
        assertThrows(IllegalArgumentException.class, () -> e.addText(StunAttribute.SOFTWARE, "x".repeat(128)));
        assertThrows(IllegalArgumentException.class, () -> e.addText(StunAttribute.REALM, "\u00e9".repeat(128)));
        assertThrows(IllegalArgumentException.class, () -> e.addText(StunAttribute.USERNAME, "u".repeat(509)));
        assertThrows(IllegalArgumentException.class, () -> e.addText(StunAttribute.ALTERNATE_DOMAIN, "\u00e9"));
        assertThrows(IllegalArgumentException.class,
                () -> e.addText(StunAttribute.SOFTWARE, new byte[]{(byte) 0xC0, (byte) 0x80}));
        assertThrows(IllegalArgumentException.class, () -> e.addText(TurnAttribute.LIFETIME, "x"));
        assertThrows(IllegalArgumentException.class, () -> e.addErrorCode(400, "x".repeat(128)));
    }

    @Test
    void decoderRefusesTextBeyondTheReceivingLimits() throws Exception {
        // a receiver must accept up to 763 bytes (RFC 5389 compatibility), and no more
        m.decode(ByteBuffer.wrap(request(e -> e.add(StunAttribute.USERNAME, bytes('u', 763)))));
        assertEquals(763, m.getUsername().length());
        m.decode(ByteBuffer.wrap(request(e -> e.add(StunAttribute.USERNAME, bytes('u', 764)))));
        assertEquals(400, assertThrows(StunException.class, m::getUsername).errorCode());
        m.decode(ByteBuffer.wrap(request(e -> e.add(StunAttribute.SOFTWARE, bytes('s', 128)))));
        assertThrows(StunException.class, m::getSoftware);
        assertThrows(StunException.class, () -> m.validateKnownAttributes(ALL));
        m.decode(ByteBuffer.wrap(request(e -> e.add(StunAttribute.REALM, bytes('r', 127)))));
        assertEquals(127, m.getRealm().length());
        for (byte[] bad : new byte[][]{{(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}}) {
            m.decode(ByteBuffer.wrap(request(e -> e.add(StunAttribute.NONCE, bad))));
            assertThrows(StunException.class, m::getNonce, "overlong, surrogate, truncated, bad lead, > U+10FFFF");
        }
    }

    private static byte[] bytes(char c, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @Test
    void errorCodesRoundTripWithTheirReasonPhrases() throws Exception {
        // RFC 8489 §14.8's; TURN's are turn.stun.TurnErrorCodeTest's, 487 (Role Conflict) ice.RoleConflictTest's
        int[] codes = {300, 400, 401, 420, 438, 500};
        for (int code : codes) {
            String reason = ErrorCode.reason(code);
            assertTrue(reason != null && !reason.isEmpty(), "reason for " + code);
            byte[] msg = message(StunMethod.BINDING, StunClass.ERROR_RESPONSE, e -> e.addErrorCode(code));
            assertEquals(code / 100, msg[26]);
            assertEquals(code % 100, msg[27]);
            m.decode(ByteBuffer.wrap(msg));
            assertEquals(code, m.getErrorCode());
            assertEquals(reason, m.getErrorReason());
        }
        assertNull(ErrorCode.reason(487), "not the core's");
        assertNull(ErrorCode.reason(437), "not the core's");
        assertEquals("Unknown Attribute", ErrorCode.reason(420));
        assertEquals("Unauthenticated", ErrorCode.reason(401));
        assertNull(ErrorCode.reason(699));
        m.decode(ByteBuffer.wrap(message(1, StunClass.ERROR_RESPONSE, e -> e.addErrorCode(699, "Custom"))));
        assertEquals(699, m.getErrorCode());
        assertEquals("Custom", m.getErrorReason());
        m.decode(ByteBuffer.wrap(message(1, StunClass.ERROR_RESPONSE, e -> e.addErrorCode(612))));
        assertEquals(612, m.getErrorCode());
        assertEquals("", m.getErrorReason());
        assertThrows(IllegalArgumentException.class,
                () -> new StunEncoder().begin(ByteBuffer.allocate(64), 1, StunClass.ERROR_RESPONSE, TID)
                        .addErrorCode(299));
        assertThrows(IllegalArgumentException.class,
                () -> new StunEncoder().begin(ByteBuffer.allocate(64), 1, StunClass.ERROR_RESPONSE, TID)
                        .addErrorCode(700));
    }

    @Test
    void errorCodesOutOfRangeAreRejected() throws Exception {
        for (int[] classAndNumber : new int[][]{{2, 0}, {7, 0}, {4, 100}, {0, 0}}) {
            m.decode(ByteBuffer.wrap(raw(0x0111, 0x00, 0x09, 0x00, 0x04, 0, 0, classAndNumber[0],
                    classAndNumber[1])));
            assertEquals(400, assertThrows(StunException.class, m::getErrorCode).errorCode());
        }
        m.decode(ByteBuffer.wrap(raw(0x0111, 0x00, 0x09, 0x00, 0x02, 0, 4, 0, 0)));
        assertThrows(StunException.class, m::getErrorCode);
        // reserved bits are ignored (§14.8)
        m.decode(ByteBuffer.wrap(raw(0x0111, 0x00, 0x09, 0x00, 0x04, 0xFF, 0xFF, 0xFC, 20)));
        assertEquals(420, m.getErrorCode());
    }

    @Test
    void unknownAttributesRoundTrip() throws Exception {
        int[] types = {0x7F01, 0x0003, 0x002F};
        m.decode(ByteBuffer.wrap(message(1, StunClass.ERROR_RESPONSE,
                e -> e.addErrorCode(420).addUnknownAttributes(types, 3))));
        int[] out = new int[8];
        assertEquals(3, m.getUnknownAttributes(out));
        assertArrayEquals(types, Arrays.copyOf(out, 3));
        int[] small = new int[2];
        assertEquals(3, m.getUnknownAttributes(small), "reports the full count");
        assertArrayEquals(new int[]{0x7F01, 0x0003}, small);
        m.decode(ByteBuffer.wrap(raw(0x0111, 0x00, 0x0A, 0x00, 0x03, 0x7F, 0x01, 0x00, 0)));
        assertThrows(StunException.class, () -> m.getUnknownAttributes(out));
    }

    @Test
    void unknownComprehensionRequiredAttributesAreListedOnce() throws Exception {
        m.decode(ByteBuffer.wrap(request(e -> e.add(0x7F01, new byte[4])
                .addText(StunAttribute.SOFTWARE, "x")
                .add(0xC001, new byte[1])           // comprehension-optional: never listed
                .addUnsigned32(CHANGE_REQUEST, 0)
                .add(0x7F01, new byte[0])           // duplicate
                .add(Priority.ATTRIBUTE, 1))));
        AttributeSet understood = AttributeSet.of(IceAttribute.PRIORITY);
        int[] out = new int[8];
        assertEquals(2, m.unknownComprehensionRequired(understood, out));
        assertArrayEquals(new int[]{0x7F01, CHANGE_REQUEST}, Arrays.copyOf(out, 2));
        assertEquals(1, m.unknownComprehensionRequired(understood, new int[1]), "capped at the array size");
        assertEquals(0, m.unknownComprehensionRequired(understood.with(0x7F01, CHANGE_REQUEST), out));
        assertTrue(StunAttribute.isComprehensionRequired(0x7FFF));
        assertFalse(StunAttribute.isComprehensionRequired(0x8000));
    }

    @Test
    void numericAndFlagAttributesRoundTrip() throws Exception {
        byte[] userHash = new byte[32];
        Arrays.fill(userHash, (byte) 7);
        byte[] msg = message(TurnMethod.ALLOCATE, StunClass.REQUEST, e -> e
                .add(Lifetime.ATTRIBUTE, 0xFFFFFFFFL)
                .add(ChannelNumber.ATTRIBUTE, 0x4001)
                .add(RequestedTransport.ATTRIBUTE, 17)
                .add(AddressFamily.REQUESTED, StunAddress.FAMILY_IPV6)
                .add(AddressFamily.ADDITIONAL, StunAddress.FAMILY_IPV6)
                .add(EvenPort.ATTRIBUTE, 1)
                .addEmpty(TurnAttribute.DONT_FRAGMENT)
                .add(ReservationToken.ATTRIBUTE, 0x0102030405060708L)
                .add(IceRole.CONTROLLING, -1L)
                .add(Priority.ATTRIBUTE, 0x6e0001ffL)
                .addEmpty(IceAttribute.USE_CANDIDATE)
                .add(ConnectionId.ATTRIBUTE, 42)
                .addPasswordAlgorithm(StunKeys.PASSWORD_ALGORITHM_SHA256)
                .addUserHash(userHash)
                .add(TurnAttribute.DATA, new byte[]{1, 2, 3}));
        m.decode(ByteBuffer.wrap(msg));
        m.validateKnownAttributes(ALL);
        assertEquals(TurnMethod.ALLOCATE, m.method());
        assertEquals(0xFFFFFFFFL, Lifetime.get(m));
        assertEquals(0x4001, ChannelNumber.get(m));
        assertEquals(17, RequestedTransport.get(m));
        assertEquals(StunAddress.FAMILY_IPV6, AddressFamily.REQUESTED.get(m));
        assertEquals(StunAddress.FAMILY_IPV6, AddressFamily.ADDITIONAL.get(m));
        assertEquals(1, EvenPort.get(m));
        assertTrue(m.contains(TurnAttribute.DONT_FRAGMENT));
        assertEquals(0x0102030405060708L, ReservationToken.get(m));
        assertEquals(-1L, IceRole.CONTROLLING.tieBreaker(m));
        assertEquals(0x6e0001ffL, Priority.get(m));
        assertEquals(42, ConnectionId.get(m));
        assertEquals(StunKeys.PASSWORD_ALGORITHM_SHA256, m.getPasswordAlgorithm());
        byte[] hash = new byte[32];
        assertTrue(m.getUserHash(hash, 0));
        assertArrayEquals(userHash, hash);
        assertArrayEquals(new byte[]{1, 2, 3}, m.value(TurnAttribute.DATA));

        m.decode(ByteBuffer.wrap(request(e -> { })));
        assertEquals(-1, Lifetime.get(m));
        assertEquals(-1, ChannelNumber.get(m));
        assertEquals(-1, RequestedTransport.get(m));
        assertEquals(-1, EvenPort.get(m));
        assertEquals(-1, m.getErrorCode());
        assertEquals(-1, m.getPasswordAlgorithm());
        assertFalse(m.getUserHash(hash, 0));
        assertThrows(StunException.class, () -> IceRole.CONTROLLED.tieBreaker(m));
    }

    @Test
    void fixedSizeAttributesWithTheWrongSizeAreRejected() throws Exception {
        m.decode(ByteBuffer.wrap(request(e -> e.add(TurnAttribute.LIFETIME, new byte[3]))));
        assertThrows(StunException.class, () -> Lifetime.get(m));
        assertThrows(StunException.class, () -> m.validateKnownAttributes(ALL));
        m.decode(ByteBuffer.wrap(request(e -> e.add(TurnAttribute.REQUESTED_ADDRESS_FAMILY, new byte[]{3, 0, 0, 0}))));
        assertThrows(StunException.class, () -> AddressFamily.REQUESTED.get(m));
        m.decode(ByteBuffer.wrap(request(e -> e.add(IceAttribute.USE_CANDIDATE, new byte[1]))));
        assertThrows(StunException.class, () -> m.validateKnownAttributes(ALL));
        m.decode(ByteBuffer.wrap(request(e -> e.add(StunAttribute.PASSWORD_ALGORITHM, new byte[]{0, 2, 0, 9}))));
        assertThrows(StunException.class, m::getPasswordAlgorithm, "parameters overrun the value");
        m.decode(ByteBuffer.wrap(request(e -> e.add(StunAttribute.PASSWORD_ALGORITHMS,
                new byte[]{0, 1, 0, 0, 0, 2, 0, 0}))));
        m.validateKnownAttributes(ALL);
    }

    // ------------------------------------------------------------------ integrity

    @Test
    void integrityFingerprintAndSha256TogetherAllVerify() throws Exception {
        byte[] key = StunKeys.longTerm("user", "realm", "pass");
        byte[] msg = request(e -> e.addText(StunAttribute.USERNAME, "user")
                .addMessageIntegrity(key)
                .addMessageIntegritySha256(key)
                .addFingerprint());
        m.decode(ByteBuffer.wrap(msg));
        assertTrue(m.checkMessageIntegrity(key));
        assertTrue(m.checkMessageIntegritySha256(key));
        assertTrue(m.checkFingerprint());
        byte[] other = StunKeys.longTerm("user", "realm", "other");
        assertFalse(m.checkMessageIntegrity(other));
        assertFalse(m.checkMessageIntegritySha256(other));
    }

    @Test
    void truncatedSha256IntegrityVerifies() throws Exception {
        byte[] key = StunKeys.shortTerm("secret");
        for (int length = 16; length <= 32; length += 4) {
            int len = length;
            byte[] msg = request(e -> e.addText(StunAttribute.SOFTWARE, "sw").addMessageIntegritySha256(key, len));
            m.decode(ByteBuffer.wrap(msg));
            assertEquals(len, m.attributeLength(m.indexOf(StunAttribute.MESSAGE_INTEGRITY_SHA256)));
            assertTrue(m.checkMessageIntegritySha256(key));
            msg[msg.length - 1] ^= 1;
            m.decode(ByteBuffer.wrap(msg));
            assertFalse(m.checkMessageIntegritySha256(key));
        }
        StunEncoder e = new StunEncoder().begin(ByteBuffer.allocate(256), 1, StunClass.REQUEST, TID);
        for (int bad : new int[]{12, 18, 36}) {
            assertThrows(IllegalArgumentException.class, () -> e.addMessageIntegritySha256(key, bad));
        }
    }

    @Test
    void attributesAfterIntegrityAreIgnored() throws Exception {
        byte[] key = StunKeys.shortTerm("secret");
        byte[] msg = request(e -> e.addMessageIntegrity(key)
                .addText(StunAttribute.SOFTWARE, "ignored")
                .add(0x7F01, new byte[4])
                .addMessageIntegritySha256(key)
                .addText(StunAttribute.REALM, "ignored too")
                .addFingerprint());
        m.decode(ByteBuffer.wrap(msg));
        assertEquals(3, m.attributeCount());
        assertEquals(StunAttribute.MESSAGE_INTEGRITY, m.attributeType(0));
        assertEquals(StunAttribute.MESSAGE_INTEGRITY_SHA256, m.attributeType(1));
        assertEquals(StunAttribute.FINGERPRINT, m.attributeType(2));
        assertNull(m.getSoftware());
        AttributeSet integrityOnly = AttributeSet.of(StunAttribute.MESSAGE_INTEGRITY,
                StunAttribute.MESSAGE_INTEGRITY_SHA256);
        assertEquals(0, m.unknownComprehensionRequired(integrityOnly, new int[4]), "0x7f01 came after integrity");
        assertTrue(m.checkMessageIntegrity(key));
        assertTrue(m.checkMessageIntegritySha256(key)); // its length adjustment covers the ignored attributes
        assertTrue(m.checkFingerprint());
    }

    @Test
    void integrityWithoutTheAttributeIsFalse() throws Exception {
        m.decode(ByteBuffer.wrap(request(e -> { })));
        assertFalse(m.checkMessageIntegrity(new byte[16]));
        assertFalse(m.checkMessageIntegritySha256(new byte[16]));
        assertFalse(m.checkFingerprint());
    }

    @Test
    void encodingIntoADirectBufferAtAnOffsetGivesTheSameBytes() throws Exception {
        byte[] key = StunKeys.shortTerm("pw");
        Consumer<StunEncoder> attributes = e -> e.addText(StunAttribute.SOFTWARE, "direct")
                .addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, new InetSocketAddress("10.1.2.3", 999))
                .addMessageIntegrity(key).addMessageIntegritySha256(key, 24).addFingerprint();
        byte[] heap = request(attributes);
        ByteBuffer direct = ByteBuffer.allocateDirect(512);
        direct.position(13);
        StunEncoder e = new StunEncoder().begin(direct, StunMethod.BINDING, StunClass.REQUEST, TID);
        attributes.accept(e);
        ByteBuffer out = e.finish();
        assertEquals(13, out.position());
        byte[] copy = new byte[out.remaining()];
        out.duplicate().get(copy);
        assertArrayEquals(heap, copy);
        m.decode(out);
        assertEquals(13, out.position(), "decode moves nothing");
        assertTrue(m.checkMessageIntegrity(key));
        assertTrue(m.checkMessageIntegritySha256(key));
        assertTrue(m.checkFingerprint());
    }

    @Test
    void encoderRefusesToOverflowItsBuffer() {
        assertThrows(BufferOverflowException.class,
                () -> new StunEncoder().begin(ByteBuffer.allocate(19), 1, StunClass.REQUEST, TID));
        StunEncoder e = new StunEncoder().begin(ByteBuffer.allocate(32), 1, StunClass.REQUEST, TID);
        assertThrows(BufferOverflowException.class, () -> e.add(TurnAttribute.DATA, new byte[9]), "with padding");
        e.add(TurnAttribute.DATA, new byte[8]);
        assertEquals(32, e.length());
        StunEncoder big = new StunEncoder().begin(ByteBuffer.allocate(70_000), 1, StunClass.REQUEST, TID);
        big.add(TurnAttribute.DATA, new byte[65_000]);
        assertThrows(BufferOverflowException.class, () -> big.add(TurnAttribute.DATA, new byte[600]),
                "the 16-bit length field would overflow");
    }

    @Test
    void largestMessageDecodes() throws Exception {
        byte[] msg = request(e -> e.add(TurnAttribute.DATA, new byte[StunHeader.MAX_BODY_LENGTH - 4]));
        assertEquals(StunHeader.MAX_MESSAGE_LENGTH, msg.length);
        m.decode(ByteBuffer.wrap(msg));
        assertEquals(StunHeader.MAX_BODY_LENGTH - 4, m.attributeLength(0));
        m.decode(ByteBuffer.wrap(request(e -> { })));
        assertEquals(20, m.size());
    }

    @Test
    void manyAttributesGrowTheIndex() throws Exception {
        byte[] msg = request(e -> {
            for (int i = 0; i < 1000; i++) {
                e.addEmpty(0x8100 + i);
            }
        });
        m.decode(ByteBuffer.wrap(msg));
        assertEquals(1000, m.attributeCount());
        assertEquals(0x8100 + 999, m.attributeType(999));
    }

    // ------------------------------------------------------------------ keys and helpers

    @Test
    void hmacMatchesTheJdkMacForShortAndLongKeys() throws Exception {
        java.util.Random random = new java.util.Random(42);
        for (String[] alg : new String[][]{{"HmacSHA1", "1"}, {"HmacSHA256", "256"}}) {
            Hmac ours = alg[1].equals("1") ? Hmac.sha1() : Hmac.sha256();
            javax.crypto.Mac jdk = javax.crypto.Mac.getInstance(alg[0]);
            for (int keyLength : new int[]{0, 1, 16, 63, 64, 65, 200}) {
                byte[] key = new byte[keyLength];
                byte[] data = new byte[random.nextInt(300)];
                random.nextBytes(key);
                random.nextBytes(data);
                ours.init(key);
                ours.update(data, 0, data.length);
                byte[] got = new byte[ours.macLength()];
                ours.doFinal(got, 0);
                if (keyLength == 0) {
                    continue; // SecretKeySpec refuses empty keys to compare against
                }
                jdk.init(new javax.crypto.spec.SecretKeySpec(key, alg[0]));
                assertArrayEquals(jdk.doFinal(data), got, alg[0] + " key " + keyLength);
            }
        }
    }

    @Test
    void longTermKeyIsMd5OfUserRealmPassword() throws Exception {
        byte[] expected = MessageDigest.getInstance("MD5").digest("user:realm:pass".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(expected, StunKeys.longTerm("user", "realm", "pass"));
        byte[] sha = MessageDigest.getInstance("SHA-256").digest("user:realm:pass".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(sha, StunKeys.longTerm("user", "realm", "pass", StunKeys.PASSWORD_ALGORITHM_SHA256));
        assertThrows(StunException.class, () -> StunKeys.longTerm("u", "r", "p", 3));
    }

    @Test
    void opaqueStringNormalisesMapsSpacesAndRejectsControls() throws Exception {
        assertEquals("caf\u00e9", OpaqueString.prepare("cafe\u0301"));
        assertEquals("a b", OpaqueString.prepare("a\u00a0b"));
        assertEquals("a b", OpaqueString.prepare("a\u3000b"));
        assertEquals("VOkJxbRl1RmTxUk/WvJxBt", OpaqueString.prepare("VOkJxbRl1RmTxUk/WvJxBt"));
        for (String bad : new String[]{"", "a\u0000b", "tab\there", "soft\u00adhyphen", "\ue000", "\ud800"}) {
            assertEquals(400, assertThrows(StunException.class, () -> OpaqueString.prepare(bad)).errorCode(), bad);
        }
        assertArrayEquals("caf\u00e9".getBytes(StandardCharsets.UTF_8), StunKeys.shortTerm("cafe\u0301"));
    }

    @Test
    void utf8CountsCodePointsAndRejectsMalformedSequences() {
        byte[] mixed = "a\u00e9\u20ac\ud83d\ude00".getBytes(StandardCharsets.UTF_8);
        assertEquals(4, Utf8.codePoints(mixed, 0, mixed.length));
        assertEquals(-1, Utf8.codePoints(mixed, 0, mixed.length - 1));
        assertEquals(0, Utf8.codePoints(new byte[0], 0, 0));
    }

    @Test
    void attributeNamesAndSets() {
        assertEquals("XOR-MAPPED-ADDRESS", StunAttribute.name(StunAttribute.XOR_MAPPED_ADDRESS));
        assertEquals("0x7f01", StunAttribute.name(0x7F01));
        assertEquals("0x000d", StunAttribute.name(TurnAttribute.LIFETIME), "a TURN type is not the core's");
        assertEquals("LIFETIME", ALL.attributeName(TurnAttribute.LIFETIME));
        assertTrue(StunRegistry.RFC_8489.knows(StunAttribute.ALTERNATE_DOMAIN));
        assertFalse(StunRegistry.RFC_8489.knows(0x7F01));
        assertEquals("Binding", StunMethod.name(StunMethod.BINDING));
        assertEquals("0x009", StunMethod.name(TurnMethod.CHANNEL_BIND));
        assertEquals("ChannelBind", TurnMethod.name(TurnMethod.CHANNEL_BIND));
        AttributeSet s = AttributeSet.of(1, 0xFFFF);
        assertTrue(s.contains(1) && s.contains(0xFFFF));
        assertFalse(s.contains(2) || s.contains(-1) || s.contains(0x10000));
        assertFalse(AttributeSet.of().contains(1));
    }

    @Test
    void stunAddressSetAndCopy() throws Exception {
        StunAddress a = new StunAddress().set(StunAddress.FAMILY_IPV4, new byte[]{10, 0, 0, 1}, 0, 80);
        assertEquals("10.0.0.1:80", a.toString());
        StunAddress b = new StunAddress().set(a);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 443);
        b.set(v6);
        assertEquals(StunAddress.FAMILY_IPV6, b.family());
        b.set(v6); // same InetAddress instance again: the cached bytes must still be right
        assertEquals(v6, b.toInetSocketAddress());
        b.set(StunAddress.FAMILY_IPV4, new byte[]{1, 1, 1, 1}, 0, 1);
        b.set(v6); // and after another set in between
        assertEquals(v6, b.toInetSocketAddress());
        assertThrows(IllegalArgumentException.class, () -> a.set(3, new byte[16], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> a.set(1, new byte[4], 0, 65536));
        assertThrows(IllegalArgumentException.class,
                () -> a.set(InetSocketAddress.createUnresolved("example.org", 1)));
    }
}
