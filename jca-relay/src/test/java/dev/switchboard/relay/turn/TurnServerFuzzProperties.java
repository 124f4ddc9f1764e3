package dev.switchboard.relay.turn;

import dev.switchboard.relay.ice.IceAttribute;
import dev.switchboard.relay.ice.IceRole;
import dev.switchboard.relay.ice.UseCandidate;
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
import dev.switchboard.relay.turn.stun.AddressFamily;
import dev.switchboard.relay.turn.stun.ChannelNumber;
import dev.switchboard.relay.turn.stun.ConnectionId;
import dev.switchboard.relay.turn.stun.EvenPort;
import dev.switchboard.relay.turn.stun.Lifetime;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.ReservationToken;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnMethod;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TURN handlers on hostile input, 29 000 messages in all: random bodies behind STUN headers of TURN methods
 * (RFC 6062's included), mutated requests, well-signed requests with random attributes (which reach the methods' own
 * logic and make real allocations, TCP ones too), and random ChannelData frames, from a handful of fake UDP and TCP clients. No exception may escape a
 * handler, every reply must be well-formed STUN for the request's transaction, and every so often a real client over
 * real sockets must still get relayed.
 */
class TurnServerFuzzProperties {

    private static final int CHECK_EVERY = 3_000;
    private static final int[] METHODS = {TurnMethod.ALLOCATE, TurnMethod.REFRESH, TurnMethod.CREATE_PERMISSION,
            TurnMethod.CHANNEL_BIND, TurnMethod.SEND, TurnMethod.DATA, StunMethod.BINDING, TurnMethod.CONNECT,
            TurnMethod.CONNECTION_BIND};
    /** What structured requests are made of: the methods a client sends, RFC 6062's included. */
    private static final int[] REQUESTS = {TurnMethod.ALLOCATE, TurnMethod.REFRESH, TurnMethod.CREATE_PERMISSION,
            TurnMethod.CHANNEL_BIND, TurnMethod.SEND, TurnMethod.CONNECT, TurnMethod.CONNECTION_BIND};
    private static final int[] TCP_ALLOCATION_REQUESTS = {TurnMethod.CONNECT, TurnMethod.CONNECT,
            TurnMethod.CONNECTION_BIND, TurnMethod.CREATE_PERMISSION, TurnMethod.CHANNEL_BIND, TurnMethod.SEND};

    private static TurnHarness harness;
    private static List<DatagramSocket> sinks;
    private static List<FakeFlow> flows;
    /** A TCP client holding a TCP allocation (RFC 6062), for Connect and ConnectionBind to work on. */
    private static FakeFlow tcpRelayFlow;
    private static final InetSocketAddress TCP_RELAY_CLIENT = new InetSocketAddress("192.0.2.99", 1000);
    private static byte[] key;
    private static byte[] otherKey;
    private static int tries;

    @BeforeContainer
    static void start() throws Exception {
        harness = TurnHarness.start(TurnHarness.config().maxAllocations(16));
        sinks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sinks.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        }
        InetSocketAddress local = harness.udp.localAddress();
        FakeFlow udp = new FakeFlow(Protocol.UDP, local, null);
        flows = List.of(udp, udp, new FakeFlow(Protocol.TCP, local, new InetSocketAddress("192.0.2.77", 1000)),
                new FakeFlow(Protocol.TCP, local, new InetSocketAddress("192.0.2.78", 1000)));
        tcpRelayFlow = new FakeFlow(Protocol.TCP, local, TCP_RELAY_CLIENT);
        key = StunKeys.longTerm(TurnHarness.USER, TurnHarness.REALM, TurnHarness.PASSWORD);
        otherKey = StunKeys.longTerm(TurnHarness.OTHER_USER, TurnHarness.REALM, TurnHarness.OTHER_PASSWORD);
        // Every fake source's nonce now, while its rate limit has tokens: the fuzz soon uses them up (on purpose:
        // replies withheld by the limiter are part of what is fuzzed), and a nonce needs an answered challenge.
        for (int source = 0; source < 8; source++) {
            nonceFor(source);
        }
        byte[] allocate = tcpAllocate();
        harness.call(() -> {
            tcpRelayFlow.sent.clear();
            harness.server.stunHandler().handle(ByteBuffer.wrap(allocate), TCP_RELAY_CLIENT, tcpRelayFlow,
                    ByteBuffer.allocate(PacketHandler.SCRATCH_SIZE));
            assertEquals(StunClass.SUCCESS_RESPONSE, TestTurnClient.decode(tcpRelayFlow.sent.get(0)).messageClass());
            return null;
        });
    }

    @AfterContainer
    static void stop() throws Exception {
        assertStillRelays();
        harness.close();
        for (DatagramSocket sink : sinks) {
            sink.close();
        }
    }

    // ---- properties

    @Property(tries = 8_000)
    void randomBodiesBehindTurnHeaders(@ForAll @IntRange(max = 8) int methodIndex, @ForAll @IntRange(max = 3) int cls,
                                       @ForAll @Size(min = 12, max = 300) byte[] body,
                                       @ForAll @IntRange(max = 7) int source) throws Exception {
        byte[] msg = new byte[20 + ((body.length - 12) & ~3)];
        int type = StunHeader.type(METHODS[methodIndex], StunClass.ofBits(cls));
        ByteBuffer.wrap(msg).putShort((short) type).putShort((short) (msg.length - 20))
                .putInt(StunHeader.MAGIC_COOKIE).put(body, 0, 12);
        System.arraycopy(body, 12, msg, 20, msg.length - 20);
        feed(msg, source, false);
    }

    @Property(tries = 6_000)
    void mutatedSignedRequests(@ForAll long seed, @ForAll @IntRange(max = 400) int at, @ForAll byte value,
                               @ForAll boolean fixLength, @ForAll @IntRange(max = 7) int source) throws Exception {
        byte[] msg = structured(new Random(seed), source);
        msg[at % msg.length] ^= (byte) (value | 1);
        if (fixLength) {
            msg[2] = (byte) ((msg.length - 20) >>> 8);
            msg[3] = (byte) (msg.length - 20);
        }
        feed(msg, source, false);
    }

    @Property(tries = 8_000)
    void wellSignedRequestsWithRandomAttributes(@ForAll long seed, @ForAll @IntRange(max = 7) int source)
            throws Exception {
        feed(structured(new Random(seed), source), source, false);
    }

    @Property(tries = 4_000)
    void randomChannelData(@ForAll @IntRange(min = 0x3FF0, max = 0x5010) int channel,
                           @ForAll @IntRange(max = 0xFFFF) int lengthField, @ForAll boolean honestLength,
                           @ForAll @Size(max = 200) byte[] payload, @ForAll @IntRange(max = 7) int source)
            throws Exception {
        byte[] frame = new byte[4 + payload.length];
        ByteBuffer.wrap(frame).putShort((short) channel)
                .putShort((short) (honestLength ? payload.length : lengthField)).put(payload);
        feed(frame, source, true);
    }

    /** Requests on the one TCP allocation, which none of them can end (no Refresh): Connect's paths stay open. */
    @Property(tries = 3_000)
    void requestsOnATcpAllocation(@ForAll long seed) throws Exception {
        feed(structured(new Random(seed), tcpRelayFlow, TCP_RELAY_CLIENT, TCP_ALLOCATION_REQUESTS), tcpRelayFlow,
                TCP_RELAY_CLIENT, false);
    }

    // ---- feeding

    private static void feed(byte[] packet, int source, boolean channelData) throws Exception {
        FakeFlow flow = flows.get(source & 3);
        feed(packet, flow, from(flow, source), channelData);
    }

    private static InetSocketAddress from(FakeFlow flow, int source) {
        return flow.remoteAddress() != null ? flow.remoteAddress()
                : new InetSocketAddress("192.0.2." + (1 + (source & 4)), 40000 + source);
    }

    private static void feed(byte[] packet, FakeFlow flow, InetSocketAddress from, boolean channelData)
            throws Exception {
        PacketHandler handler = channelData ? harness.server.channelDataHandler() : harness.server.stunHandler();
        Outcome outcome = harness.call(() -> {
            flow.sent.clear();
            ByteBuffer scratch = ByteBuffer.allocate(PacketHandler.SCRATCH_SIZE);
            Outcome o = handler.handle(ByteBuffer.wrap(packet), from, flow, scratch);
            for (byte[] reply : flow.sent) {
                checkReply(packet, reply, flow);
            }
            return o;
        });
        assertNotNull(outcome);
        if (++tries % CHECK_EVERY == 0) {
            assertStillRelays();
        }
    }

    /**
     * Every reply is STUN with the request's transaction id, and the request was one; over UDP, a reply without
     * MESSAGE-INTEGRITY (to an unauthenticated request) is at most 4 times the request.
     */
    private static void checkReply(byte[] request, byte[] reply, FakeFlow flow) {
        StunMessage m = new StunMessage();
        try {
            m.decode(reply, 0, reply.length);
        } catch (StunException e) {
            throw new AssertionError("unparseable reply: " + e.getMessage());
        }
        if (m.method() == TurnMethod.DATA && m.isIndication()) {
            return; // data from a peer, not a reply
        }
        assertTrue(m.isResponse(), m::toString);
        byte[] id = new byte[12];
        System.arraycopy(request, 8, id, 0, 12);
        assertArrayEquals(id, m.transactionId());
        assertEquals(StunHeader.method(((request[0] & 0xFF) << 8) | (request[1] & 0xFF)), m.method());
        if (flow.protocol() == Protocol.UDP && !m.hasMessageIntegrity()) {
            assertTrue(reply.length <= TurnConfig.DEFAULT_UNAUTHENTICATED_REPLY_FACTOR * request.length,
                    () -> reply.length + "-byte reply to a " + request.length + "-byte unauthenticated request");
        }
    }

    // ---- structured random requests, correctly signed for the fake clients

    private static byte[] structured(Random r, int source) throws Exception {
        FakeFlow flow = flows.get(source & 3);
        return structured(r, flow, from(flow, source), REQUESTS);
    }

    /** A signed Allocate for a TCP relayed address. */
    private static byte[] tcpAllocate() throws Exception {
        StunEncoder e = new StunEncoder();
        ByteBuffer out = ByteBuffer.allocate(512);
        e.begin(out, TurnMethod.ALLOCATE, StunClass.REQUEST, TestTurnClient.newTransactionId())
                .add(RequestedTransport.ATTRIBUTE, 6).addText(StunAttribute.USERNAME, TurnHarness.USER)
                .addText(StunAttribute.REALM, TurnHarness.REALM)
                .addText(StunAttribute.NONCE, nonceFor(tcpRelayFlow, TCP_RELAY_CLIENT)).addMessageIntegrity(key);
        ByteBuffer b = e.finish();
        byte[] msg = new byte[b.remaining()];
        b.get(msg);
        return msg;
    }

    private static byte[] structured(Random r, FakeFlow flow, InetSocketAddress from, int[] methods)
            throws Exception {
        int method = methods[r.nextInt(methods.length)];
        boolean indication = method == TurnMethod.SEND;
        StunEncoder e = new StunEncoder();
        ByteBuffer out = ByteBuffer.allocate(4096);
        e.begin(out, method, indication ? StunClass.INDICATION : StunClass.REQUEST, TestTurnClient.newTransactionId());
        int n = r.nextInt(6);
        if (method == TurnMethod.ALLOCATE && r.nextInt(4) != 0) {
            e.add(RequestedTransport.ATTRIBUTE, r.nextInt(8) == 0 ? r.nextInt(256) : r.nextInt(3) == 0 ? 6 : 17);
        }
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(15)) {
                case 0 -> e.add(Lifetime.ATTRIBUTE, r.nextBoolean() ? r.nextInt(3) : r.nextInt() & 0xFFFFFFFFL);
                case 1, 2 -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, peer(r));
                case 3 -> e.add(ChannelNumber.ATTRIBUTE, 0x3FF0 + r.nextInt(0x1030));
                case 4 -> e.add(EvenPort.ATTRIBUTE, r.nextInt(2));
                case 5 -> e.add(ReservationToken.ATTRIBUTE, r.nextLong());
                case 6 -> e.add(r.nextBoolean() ? AddressFamily.REQUESTED : AddressFamily.ADDITIONAL, 1 + r.nextInt(2));
                case 7 -> e.addEmpty(TurnAttribute.DONT_FRAGMENT);
                case 8 -> {
                    byte[] data = new byte[r.nextInt(64)];
                    r.nextBytes(data);
                    e.add(TurnAttribute.DATA, data);
                }
                case 9 -> {
                    byte[] junk = new byte[r.nextInt(12)];
                    r.nextBytes(junk);
                    e.add(r.nextInt(0x10000), junk);
                }
                case 10 -> e.addText(StunAttribute.SOFTWARE, "fuzz");
                case 11 -> e.add(ConnectionId.ATTRIBUTE, r.nextInt() & 0xFFFFFFFFL);
                // any 32 bits, which a receiver must take, not only what a sender may send
                case 12 -> e.addUnsigned32(IceAttribute.PRIORITY, r.nextInt() & 0xFFFFFFFFL);
                case 13 -> UseCandidate.add(e);
                default -> e.add(r.nextBoolean() ? IceRole.CONTROLLING : IceRole.CONTROLLED, r.nextLong());
            }
        }
        if (!indication) {
            String user = r.nextInt(10) == 0 ? TurnHarness.OTHER_USER : TurnHarness.USER;
            e.addText(StunAttribute.USERNAME, user).addText(StunAttribute.REALM, TurnHarness.REALM)
                    .addText(StunAttribute.NONCE, nonceFor(flow, from));
            e.addMessageIntegrity(user.equals(TurnHarness.USER) ? key : otherKey);
        }
        if (r.nextBoolean()) {
            e.addFingerprint();
        }
        ByteBuffer b = e.finish();
        byte[] msg = new byte[b.remaining()];
        b.get(msg);
        return msg;
    }

    /**
     * Peers: our own sink sockets (so relayed fuzz lands nowhere else on the machine), other loopback IPs on their
     * ports, port 0, and IPv6. Loopback only: a socket bound to 127.0.0.1 cannot send elsewhere (EINVAL).
     */
    private static InetSocketAddress peer(Random r) {
        InetSocketAddress sink = (InetSocketAddress) sinks.get(r.nextInt(sinks.size())).getLocalSocketAddress();
        return switch (r.nextInt(5)) {
            case 0, 1 -> sink;
            case 2 -> new InetSocketAddress("127.0." + r.nextInt(4) + "." + (1 + r.nextInt(4)), sink.getPort());
            case 3 -> new InetSocketAddress(InetAddress.getLoopbackAddress(), r.nextBoolean() ? 0 : sink.getPort());
            default -> new InetSocketAddress("::1", sink.getPort());
        };
    }

    /** A valid NONCE for the fake source: nonces are bound to the client's IP, so one is asked for per source. */
    private static String nonceFor(int source) throws Exception {
        FakeFlow flow = flows.get(source & 3);
        return nonceFor(flow, from(flow, source));
    }

    private static String nonceFor(FakeFlow flow, InetSocketAddress from) throws Exception {
        String cached = flow.nonces.get(from.getAddress());
        if (cached != null) {
            return cached;
        }
        StunEncoder e = new StunEncoder();
        ByteBuffer out = ByteBuffer.allocate(256);
        e.begin(out, TurnMethod.ALLOCATE, StunClass.REQUEST, TestTurnClient.newTransactionId())
                .add(RequestedTransport.ATTRIBUTE, 17);
        ByteBuffer b = e.finish();
        byte[] request = new byte[b.remaining()];
        b.get(request);
        String n = harness.call(() -> {
            flow.sent.clear();
            harness.server.stunHandler().handle(ByteBuffer.wrap(request), from, flow,
                    ByteBuffer.allocate(PacketHandler.SCRATCH_SIZE));
            StunMessage challenge = TestTurnClient.decode(flow.sent.get(0));
            flow.sent.clear();
            return challenge.getNonce();
        });
        flow.nonces.put(from.getAddress(), n);
        return n;
    }

    // ---- the real thing still works

    private static void assertStillRelays() throws Exception {
        assertEquals(0, harness.loop.errors(), "no failure reached the loop");
        try (TestTurnClient client = harness.udpClient();
             DatagramSocket peer = TurnServerTest.peer(InetAddress.getLoopbackAddress())) {
            InetSocketAddress relayed = client.allocate();
            client.channelBind(0x4000, TurnServerTest.addressOf(peer));
            client.sendChannelData(0x4000, new byte[]{1, 2, 3});
            assertEquals(3, TurnServerTest.receive(peer).getLength());
            peer.send(new DatagramPacket(new byte[]{4, 5}, 2, relayed));
            TestTurnClient.Received back = client.receiveData();
            assertEquals(0x4000, back.channel());
            assertArrayEquals(new byte[]{4, 5}, back.data());
            client.refresh(0);
        }
    }

    /** A client flow that keeps what is sent to it. */
    static final class FakeFlow implements Flow {
        final List<byte[]> sent = new ArrayList<>();
        final Map<InetAddress, String> nonces = new HashMap<>();
        private final Protocol protocol;
        private final InetSocketAddress local;
        private final InetSocketAddress remote;
        private final List<Runnable> closeListeners = new ArrayList<>();

        FakeFlow(Protocol protocol, InetSocketAddress local, InetSocketAddress remote) {
            this.protocol = protocol;
            this.local = local;
            this.remote = remote;
        }

        @Override
        public Protocol protocol() {
            return protocol;
        }

        @Override
        public InetSocketAddress localAddress() {
            return local;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public boolean send(ByteBuffer data, InetSocketAddress to) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            if ((b[0] & 0xC0) == 0) {
                sent.add(b); // STUN; ChannelData and Data indications from peers are not replies
            }
            return true;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }

        @Override
        public boolean addCloseListener(Runnable action) {
            if (protocol.isStream()) {
                closeListeners.add(action);
                return true;
            }
            return false;
        }
    }
}
