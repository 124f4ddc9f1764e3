package dev.switchboard.relay.binding;

import dev.switchboard.relay.ice.IceAttribute;
import dev.switchboard.relay.ice.IceRole;
import dev.switchboard.relay.ice.Priority;
import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunHeader;
import dev.switchboard.relay.stun.StunKeys;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.transport.Outcome;
import dev.switchboard.relay.transport.PacketHandler;
import dev.switchboard.relay.transport.Protocol;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class StunBindingHandlerTest {

    /** RFC 5780 §7.2: NAT behaviour discovery, which this server does not do. */
    private static final int CHANGE_REQUEST = 0x0003;

    private static final String SOFTWARE = "Switchboard test";
    private static final byte[] TID = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2};

    private final StunBindingHandler handler = new StunBindingHandler(SOFTWARE);
    private final CapturingFlow flow = CapturingFlow.udp();
    private final ByteBuffer scratch = ByteBuffer.allocate(PacketHandler.SCRATCH_SIZE);

    private static InetSocketAddress address(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static final InetSocketAddress CLIENT_V4 = address("198.51.100.20", 54321);
    private static final InetSocketAddress CLIENT_V6 = address("2001:db8::42", 61000);

    static byte[] message(int method, StunClass cls, Consumer<StunEncoder> attributes) {
        ByteBuffer out = ByteBuffer.allocate(2048);
        StunEncoder e = new StunEncoder().begin(out, method, cls, TID);
        attributes.accept(e);
        e.finish();
        return Arrays.copyOfRange(out.array(), out.position(), out.limit());
    }

    static byte[] bindingRequest(Consumer<StunEncoder> attributes) {
        return message(StunMethod.BINDING, StunClass.REQUEST, attributes);
    }

    private Outcome handle(byte[] packet, InetSocketAddress source) {
        return handle(packet, source, flow);
    }

    private Outcome handle(byte[] packet, InetSocketAddress source, Flow via) {
        scratch.clear();
        return handler.handle(ByteBuffer.wrap(packet), source, via, scratch);
    }

    /** Decodes a reply with the codec and checks what every reply must have: our id, SOFTWARE, FINGERPRINT. */
    private static StunMessage reply(CapturingFlow.Sent sent, InetSocketAddress expectedTo) throws StunException {
        assertEquals(expectedTo, sent.to());
        StunMessage r = new StunMessage();
        r.decode(ByteBuffer.wrap(sent.bytes()));
        assertArrayEquals(TID, r.transactionId());
        assertEquals(StunMethod.BINDING, r.method());
        assertEquals(SOFTWARE, r.getSoftware());
        assertTrue(r.checkFingerprint(), "FINGERPRINT verifies");
        assertEquals(StunAttribute.FINGERPRINT, r.attributeType(r.attributeCount() - 1));
        assertIndependentFingerprint(sent.bytes());
        return r;
    }

    /** RFC 8489 §14.7 recomputed here with java.util.zip, so a codec bug cannot vouch for itself. */
    private static void assertIndependentFingerprint(byte[] raw) {
        int at = raw.length - 8;
        assertEquals(0x80, raw[at] & 0xFF);
        assertEquals(0x28, raw[at + 1] & 0xFF);
        CRC32 crc = new CRC32();
        crc.update(raw, 0, at);
        assertEquals((int) crc.getValue() ^ 0x5354554E, ByteBuffer.wrap(raw, at + 4, 4).getInt());
    }

    // ------------------------------------------------------------------ success

    @Test
    void bindingRequestFromIpv4GetsItsAddressBack() throws Exception {
        assertEquals(Outcome.HANDLED, handle(bindingRequest(e -> { }), CLIENT_V4));
        StunMessage r = reply(flow.only(), CLIENT_V4);
        assertEquals(StunClass.SUCCESS_RESPONSE, r.messageClass());
        assertEquals(0x0101, r.type());
        assertEquals(CLIENT_V4, r.xorMappedAddress());
        assertEquals(-1, r.getErrorCode());
    }

    @Test
    void bindingRequestFromIpv6GetsItsAddressBack() throws Exception {
        assertEquals(Outcome.HANDLED, handle(bindingRequest(e -> e.addFingerprint()), CLIENT_V6));
        StunMessage r = reply(flow.only(), CLIENT_V6);
        assertEquals(StunClass.SUCCESS_RESPONSE, r.messageClass());
        assertEquals(CLIENT_V6, r.xorMappedAddress());
        // independent decode of the XOR: port ^ 0x2112, address ^ (cookie || transaction id)
        byte[] raw = flow.only().bytes();
        int xma = r.attributeOffset(r.indexOf(StunAttribute.XOR_MAPPED_ADDRESS));
        assertEquals(2, raw[xma + 1]);
        assertEquals(61000, (((raw[xma + 2] & 0xFF) << 8) | (raw[xma + 3] & 0xFF)) ^ 0x2112);
        byte[] mask = ByteBuffer.allocate(16).putInt(StunHeader.MAGIC_COOKIE).put(TID).array();
        byte[] ip = new byte[16];
        for (int i = 0; i < 16; i++) {
            ip[i] = (byte) (raw[xma + 4 + i] ^ mask[i]);
        }
        assertEquals(CLIENT_V6.getAddress(), InetAddress.getByAddress(ip));
    }

    @Test
    void ipv4MappedSourceIsReportedAsIpv4() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(CLIENT_V4.getAddress().getAddress(), 0, mapped, 12, 4);
        InetSocketAddress source = new InetSocketAddress(Inet6Address.getByAddress(null, mapped, null), 54321);
        assertEquals(Outcome.HANDLED, handle(bindingRequest(e -> { }), source));
        assertEquals(CLIENT_V4, reply(flow.only(), source).xorMappedAddress());
    }

    @Test
    void tcpFlowGetsTheSameAnswer() throws Exception {
        CapturingFlow tcp = new CapturingFlow(Protocol.TCP, address("127.0.0.1", 3478), CLIENT_V4);
        assertEquals(Outcome.HANDLED, handle(bindingRequest(e -> { }), CLIENT_V4, tcp));
        assertEquals(CLIENT_V4, reply(tcp.only(), CLIENT_V4).xorMappedAddress());
    }

    @Test
    void iceAndCredentialAttributesAreUnderstoodAndIgnored() throws Exception {
        byte[] key = StunKeys.shortTerm("password");
        byte[] request = bindingRequest(e -> e.addText(StunAttribute.USERNAME, "a:b")
                .add(Priority.ATTRIBUTE, 0x6e0001ffL)
                .add(IceRole.CONTROLLING, 42)
                .addEmpty(IceAttribute.USE_CANDIDATE)
                .add(0xC0DE, new byte[3]) // unknown but comprehension-optional
                .addMessageIntegrity(key)
                .addFingerprint());
        assertEquals(Outcome.HANDLED, handle(request, CLIENT_V4));
        assertEquals(StunClass.SUCCESS_RESPONSE, reply(flow.only(), CLIENT_V4).messageClass());
    }

    @Test
    void readsFromThePacketPositionAndWritesIntoScratch() throws Exception {
        byte[] request = bindingRequest(e -> { });
        ByteBuffer packet = ByteBuffer.allocate(request.length + 40);
        packet.position(17);
        packet.put(request).flip().position(17);
        ByteBuffer direct = ByteBuffer.allocateDirect(PacketHandler.SCRATCH_SIZE);
        assertEquals(Outcome.HANDLED, handler.handle(packet, CLIENT_V4, flow, direct));
        assertEquals(CLIENT_V4, reply(flow.only(), CLIENT_V4).xorMappedAddress());
    }

    // ------------------------------------------------------------------ errors

    @Test
    void unknownComprehensionRequiredAttributesGet420() throws Exception {
        byte[] request = bindingRequest(e -> e.add(0x7F01, new byte[]{1, 2, 3, 4})
                .addUnsigned32(CHANGE_REQUEST, 0x06)
                .add(0x7F01, new byte[0])
                .add(0xC001, new byte[2]));
        assertEquals(Outcome.HANDLED, handle(request, CLIENT_V4));
        StunMessage r = reply(flow.only(), CLIENT_V4);
        assertEquals(StunClass.ERROR_RESPONSE, r.messageClass());
        assertEquals(0x0111, r.type());
        assertEquals(ErrorCode.UNKNOWN_ATTRIBUTE, r.getErrorCode());
        assertEquals("Unknown Attribute", r.getErrorReason());
        int[] unknown = new int[8];
        assertEquals(2, r.getUnknownAttributes(unknown));
        assertArrayEquals(new int[]{0x7F01, CHANGE_REQUEST}, Arrays.copyOf(unknown, 2));
        assertNull(r.xorMappedAddress());
    }

    @Test
    void unknownAttributesListIsCapped() throws Exception {
        byte[] request = bindingRequest(e -> {
            for (int t = 0x7000; t < 0x7000 + 100; t++) {
                e.addEmpty(t);
            }
        });
        assertEquals(Outcome.HANDLED, handle(request, CLIENT_V4));
        StunMessage r = reply(flow.only(), CLIENT_V4);
        assertEquals(StunBindingHandler.MAX_UNKNOWN, r.getUnknownAttributes(new int[0]));
    }

    @Test
    void attributeOverrunningTheMessageGets400() throws Exception {
        byte[] request = bindingRequest(e -> e.add(StunAttribute.SOFTWARE, "abcd".getBytes(StandardCharsets.UTF_8)));
        request[22] = 0;
        request[23] = 40; // SOFTWARE now claims 40 bytes in a 4-byte body
        assertBadRequest(request);
    }

    @Test
    void xorMappedAddressWithAnUnknownFamilyGets400() throws Exception {
        byte[] request = bindingRequest(e -> e.add(StunAttribute.XOR_MAPPED_ADDRESS,
                new byte[]{0, 3, 0x12, 0x34, 1, 2, 3, 4}));
        assertBadRequest(request);
    }

    @Test
    void badKnownAttributeLayoutsGet400() throws Exception {
        assertBadRequest(bindingRequest(e -> e.add(StunAttribute.MESSAGE_INTEGRITY, new byte[16])));
        assertBadRequest(bindingRequest(e -> e.add(IceAttribute.PRIORITY, new byte[2])));
        assertBadRequest(bindingRequest(e -> e.add(StunAttribute.USERNAME, new byte[]{(byte) 0xC0, (byte) 0x80})));
        assertBadRequest(bindingRequest(e -> e.add(StunAttribute.ERROR_CODE, new byte[]{0, 0, 9, 0})));
        // FINGERPRINT not last
        byte[] request = bindingRequest(e -> e.addFingerprint());
        byte[] extended = Arrays.copyOf(request, request.length + 4);
        extended[3] += 4;
        extended[request.length] = (byte) 0x80;
        extended[request.length + 1] = 0x22;
        assertBadRequest(extended);
    }

    private void assertBadRequest(byte[] request) throws StunException {
        flow.sent.clear();
        assertEquals(Outcome.MALFORMED, handle(request, CLIENT_V4));
        StunMessage r = reply(flow.only(), CLIENT_V4);
        assertEquals(StunClass.ERROR_RESPONSE, r.messageClass());
        assertEquals(ErrorCode.BAD_REQUEST, r.getErrorCode());
        assertEquals("Bad Request", r.getErrorReason());
    }

    @Test
    void wrongFingerprintIsDiscardedSilently() {
        byte[] request = bindingRequest(e -> e.addText(StunAttribute.SOFTWARE, "client").addFingerprint());
        request[request.length - 1] ^= 1;
        assertEquals(Outcome.MALFORMED, handle(request, CLIENT_V4));
        assertEquals(List.of(), flow.sent);
    }

    // ------------------------------------------------------------------ silence

    @Test
    void bindingIndicationIsAcceptedWithoutReply() {
        assertEquals(Outcome.HANDLED, handle(message(StunMethod.BINDING, StunClass.INDICATION,
                e -> e.addFingerprint()), CLIENT_V4));
        assertEquals(List.of(), flow.sent);
    }

    @Test
    void indicationsAreNeverAnswered() {
        byte[] unknownAttribute = message(StunMethod.BINDING, StunClass.INDICATION, e -> e.add(0x7F01, new byte[4]));
        assertEquals(Outcome.DROPPED, handle(unknownAttribute, CLIENT_V4));
        byte[] overrun = message(StunMethod.BINDING, StunClass.INDICATION, e -> e.add(0x8022, new byte[4]));
        overrun[23] = 40;
        assertEquals(Outcome.MALFORMED, handle(overrun, CLIENT_V4));
        byte[] badFamily = message(StunMethod.BINDING, StunClass.INDICATION,
                e -> e.add(StunAttribute.XOR_MAPPED_ADDRESS, new byte[]{0, 9, 0, 0, 1, 2, 3, 4}));
        assertEquals(Outcome.MALFORMED, handle(badFamily, CLIENT_V4));
        assertEquals(List.of(), flow.sent);
    }

    @Test
    void responsesArrivingAtTheServerAreDropped() {
        assertEquals(Outcome.DROPPED, handle(message(StunMethod.BINDING, StunClass.SUCCESS_RESPONSE,
                e -> e.addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, CLIENT_V4)), CLIENT_V4));
        assertEquals(Outcome.DROPPED, handle(message(StunMethod.BINDING, StunClass.ERROR_RESPONSE,
                e -> e.addErrorCode(400)), CLIENT_V4));
        byte[] brokenResponse = message(StunMethod.BINDING, StunClass.SUCCESS_RESPONSE, e -> e.add(0x8022, new byte[4]));
        brokenResponse[23] = 40;
        assertEquals(Outcome.DROPPED, handle(brokenResponse, CLIENT_V4));
        assertEquals(List.of(), flow.sent);
    }

    @Test
    void requestsOfOtherMethodsAreDiscardedAsRfc8489Section6_3Says() {
        // §6.3: a message whose method is not supported fails the header checks and "is silently discarded"
        for (int method : new int[]{TurnMethod.ALLOCATE, TurnMethod.REFRESH, TurnMethod.CHANNEL_BIND, 0x000, 0x7FF}) {
            assertEquals(Outcome.DROPPED, handle(message(method, StunClass.REQUEST, e -> e.addFingerprint()),
                    CLIENT_V4), StunMethod.name(method));
            byte[] broken = message(method, StunClass.REQUEST, e -> e.add(0x8022, new byte[4]));
            broken[23] = 40;
            assertEquals(Outcome.DROPPED, handle(broken, CLIENT_V4));
        }
        assertEquals(List.of(), flow.sent);
    }

    @Test
    void garbageIsDroppedWithoutReply() {
        byte[] valid = bindingRequest(e -> { });
        byte[] badCookie = valid.clone();
        badCookie[5] ^= 0x10;
        byte[] trailing = Arrays.copyOf(valid, valid.length + 4);
        byte[] rtp = {(byte) 0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8};
        byte[][] garbage = {
                new byte[0], {0}, Arrays.copyOf(valid, 19), badCookie, trailing, rtp,
                "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), new byte[64]};
        for (byte[] g : garbage) {
            assertEquals(Outcome.DROPPED, handle(g, CLIENT_V4));
        }
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 10_000; i++) {
            byte[] g = new byte[random.nextInt(200)];
            random.nextBytes(g);
            assertEquals(Outcome.DROPPED, handle(g, CLIENT_V4));
        }
        assertEquals(List.of(), flow.sent);
    }

    @Test
    void softwareMustFitItsAttribute() {
        assertThrows(IllegalArgumentException.class, () -> new StunBindingHandler("x".repeat(128)));
        new StunBindingHandler("x".repeat(127));
    }

    // ------------------------------------------------------------------ the packet path

    @Test
    void steadyStateAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        byte[] request = bindingRequest(e -> e.addText(StunAttribute.SOFTWARE, "client")
                .add(Priority.ATTRIBUTE, 1).addFingerprint());
        byte[] unknown = bindingRequest(e -> e.add(0x7F01, new byte[4]).addFingerprint());
        ByteBuffer packet = ByteBuffer.wrap(request);
        ByteBuffer packet420 = ByteBuffer.wrap(unknown);
        ByteBuffer garbage = ByteBuffer.wrap(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
                18, 19, 20, 21, 22, 23, 24});
        ByteBuffer out = ByteBuffer.allocateDirect(PacketHandler.SCRATCH_SIZE);
        CountingFlow counting = new CountingFlow();
        Runnable burst = () -> {
            for (int i = 0; i < 20_000; i++) {
                out.clear();
                packet.rewind();
                handler.handle(packet, CLIENT_V6, counting, out);
                out.clear();
                packet420.rewind();
                handler.handle(packet420, CLIENT_V4, counting, out);
                out.clear();
                garbage.rewind();
                handler.handle(garbage, CLIENT_V4, counting, out);
            }
        };
        burst.run(); // warm up: JIT, and the decoder's arrays reach their working size
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        burst.run();
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertEquals(80_000, counting.sends);
        // 60 000 packets: a single allocation per packet would be at least ~16 bytes each, about 1 MB
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for 60 000 packets");
    }

    /** Consumes what is sent without allocating. */
    private static final class CountingFlow implements Flow {
        int sends;

        @Override
        public Protocol protocol() {
            return Protocol.UDP;
        }

        @Override
        public InetSocketAddress localAddress() {
            return null;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return null;
        }

        @Override
        public boolean send(ByteBuffer data, InetSocketAddress remote) {
            sends++;
            data.position(data.limit());
            return true;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void oneHandlerSharedByTwoThreadsAnswersEachCorrectly() throws Exception {
        byte[] request = bindingRequest(e -> e.addFingerprint());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[2];
        InetSocketAddress[] sources = {CLIENT_V4, CLIENT_V6};
        for (int t = 0; t < 2; t++) {
            InetSocketAddress source = sources[t];
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                    ByteBuffer out = ByteBuffer.allocate(PacketHandler.SCRATCH_SIZE);
                    StunMessage r = new StunMessage();
                    for (int i = 0; i < 20_000; i++) {
                        CapturingFlow f = CapturingFlow.udp();
                        out.clear();
                        assertEquals(Outcome.HANDLED, handler.handle(ByteBuffer.wrap(request), source, f, out));
                        r.decode(ByteBuffer.wrap(f.only().bytes()));
                        assertEquals(source, r.xorMappedAddress());
                        assertTrue(r.checkFingerprint());
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads[t].start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
