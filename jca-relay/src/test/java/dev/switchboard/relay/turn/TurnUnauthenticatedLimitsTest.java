package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunHeader;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.turn.auth.MapCredentialStore;
import dev.switchboard.relay.turn.stun.EvenPort;
import dev.switchboard.relay.turn.stun.Lifetime;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a not-yet-authenticated source can get out of the server, over real loopback sockets: replies are
 * rate-limited per source IP, and over UDP never more than {@link TurnConfig#unauthenticatedReplyFactor()} times the
 * request (shrunk first, dropped if that is not enough). The first Allocates and Bindings of real clients are
 * rebuilt byte for byte as they send them, to show what each setting means for them.
 */
class TurnUnauthenticatedLimitsTest {

    /** How long to listen at a time while waiting for the server's verdict on a request. */
    private static final int POLL_MILLIS = 20;

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    // ---- the first requests of real clients (attributes as their sources add them)

    /** libwebrtc (Chrome, Edge, Safari): TurnAllocateRequest::Prepare adds REQUESTED-TRANSPORT, nothing else. */
    static final Consumer<StunEncoder> LIBWEBRTC_ALLOCATE = e -> e.add(RequestedTransport.ATTRIBUTE, 17);
    /** Firefox (nICEr): REQUESTED-TRANSPORT and LIFETIME, FINGERPRINT added by the client. */
    static final Consumer<StunEncoder> FIREFOX_ALLOCATE = e -> e.add(RequestedTransport.ATTRIBUTE, 17).add(Lifetime.ATTRIBUTE, 3600);
    /** coturn's turnutils_uclient: REQUESTED-TRANSPORT, LIFETIME, EVEN-PORT (R for its RTCP), FINGERPRINT. */
    static final Consumer<StunEncoder> UCLIENT_ALLOCATE = e -> e.add(RequestedTransport.ATTRIBUTE, 17).add(Lifetime.ATTRIBUTE, 777)
            .add(EvenPort.ATTRIBUTE, 1);

    @Test
    void burstBeyondTheLimitGoesUnansweredWhileOthersAreServedAndTheBucketRefills() throws Exception {
        InetAddress second = secondLoopbackAddress();
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().unauthenticatedRate(1).unauthenticatedBurst(5)));
        TestTurnClient a = track(h.udpClient());
        TestTurnClient b = track(TestTurnClient.udp(h.udp.localAddress(), second));
        DatagramSocket peer = track(TurnServerTest.peer(InetAddress.getLoopbackAddress()));

        long start = System.nanoTime(); // before the first token is taken
        a.learn(a.requestPlain(TurnMethod.ALLOCATE, LIBWEBRTC_ALLOCATE)); // token 1 of 5
        List<byte[]> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] id = TestTurnClient.newTransactionId();
            ids.add(id);
            a.sendRaw(a.plain(StunMethod.BINDING, id, e -> { }));
        }
        int answered = answered(h, a, ids);
        long handled = System.nanoTime();
        // A token a second comes back meanwhile: none on a quick run, more on a slow one, whose verdict must not
        // depend on its speed. Never more than the burst plus the refill since the first token.
        assertTrue(answered >= 4 && answered <= 4 + seconds(handled - start),
                "the rest of the burst, and no more: " + answered + " in " + (handled - start) / 1_000_000 + " ms");
        assertEquals(10 - answered, h.server.stats().rateLimited());

        StunMessage other = b.requestPlain(StunMethod.BINDING, e -> { });
        assertEquals(StunClass.SUCCESS_RESPONSE, other.messageClass(), "another source is still answered");
        assertEquals(b.localAddress(), other.xorMappedAddress());

        // The last token was taken by `handled`, and the bucket was empty then: one is back a second later.
        sleepUntil(handled + 1_200_000_000L);
        assertNotNull(bindingOrDropped(a, h.server.stats()::rateLimited), "refilled");
        StunMessage extra = bindingOrDropped(a, h.server.stats()::rateLimited);
        long elapsed = System.nanoTime() - start;
        int taken = 1 + answered + 1 + (extra == null ? 0 : 1);
        assertTrue(taken <= 5 + seconds(elapsed), "one token, one reply: " + taken + " taken in "
                + elapsed / 1_000_000 + " ms");

        // Authenticated requests and relayed data are never limited, however empty the bucket.
        long limited = h.server.stats().rateLimited();
        InetSocketAddress relayed = a.allocate();
        a.channelBind(0x4000, TurnServerTest.addressOf(peer));
        a.sendChannelData(0x4000, new byte[]{1, 2, 3});
        assertEquals(3, TurnServerTest.receive(peer).getLength());
        peer.send(new DatagramPacket(new byte[]{4}, 1, relayed));
        assertEquals(0x4000, a.receiveData().channel());
        assertEquals(limited, h.server.stats().rateLimited());
    }

    @Test
    void anAddressThatAuthenticatesEarnsBackWhatItsChallengesCost() throws Exception {
        // Many clients behind one NAT address each take a 401 first; each one that then authenticates proves the
        // address receives our replies, so the challenges are not an amplification and do not use up the bucket.
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().unauthenticatedRate(0.1).unauthenticatedBurst(2)));
        for (int i = 0; i < 10; i++) {
            TestTurnClient c = track(h.udpClient());
            assertNotNull(c.allocate(), "allocation " + i + " from the one address");
        }
        assertEquals(0, h.server.stats().rateLimited());
        // Requests that never authenticate still drain it: two more challenges pass, the third is dropped.
        TestTurnClient spoofLike = track(h.udpClient());
        assertNotNull(bindingOrDropped(spoofLike, h.server.stats()::rateLimited));
        assertNotNull(bindingOrDropped(spoofLike, h.server.stats()::rateLimited));
        assertNull(bindingOrDropped(spoofLike, h.server.stats()::rateLimited));
        assertEquals(1, h.server.stats().rateLimited());
    }

    @Test
    void theLimitAppliesOverTcpToo() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().unauthenticatedRate(0.1).unauthenticatedBurst(2)));
        TestTurnClient c = track(h.tcpClient());
        assertNotNull(bindingOrDropped(c, h.server.stats()::rateLimited));
        assertNotNull(bindingOrDropped(c, h.server.stats()::rateLimited));
        assertNull(bindingOrDropped(c, h.server.stats()::rateLimited));
        assertEquals(1, h.server.stats().rateLimited());
    }

    @Test
    void zeroRateTurnsTheLimitOff() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().unauthenticatedRate(0).unauthenticatedBurst(1)));
        TestTurnClient c = track(h.udpClient());
        for (int i = 0; i < 50; i++) {
            assertNotNull(bindingOrDropped(c, h.server.stats()::rateLimited));
        }
        assertEquals(0, h.server.stats().rateLimited());
    }

    @Test
    void strictRepliesAreNeverLargerThanTheRequest() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config()
                .unauthenticatedReplyFactor(TurnConfig.STRICT_REPLY_FACTOR)));
        TestTurnClient c = track(h.udpClient());
        c.fingerprint = false;

        // libwebrtc's 28-byte first Allocate: the smallest 401 is 80 bytes, so there is no answer at all.
        byte[] id = TestTurnClient.newTransactionId();
        byte[] request = c.plain(TurnMethod.ALLOCATE, id, LIBWEBRTC_ALLOCATE);
        assertEquals(28, request.length);
        c.sendRaw(request);
        assertNull(responseOrDropped(c, id, h.server.stats()::amplificationDropped, 0));
        // Nor for a 20-byte Binding: XOR-MAPPED-ADDRESS alone makes 32.
        assertNull(bindingOrDropped(c, h.server.stats()::amplificationDropped));
        assertEquals(2, h.server.stats().amplificationDropped());

        // A request with room for the shrunk answer gets it: no SOFTWARE, no reason phrase, REALM and NONCE kept.
        id = TestTurnClient.newTransactionId();
        request = c.plain(TurnMethod.ALLOCATE, id, e -> e.add(RequestedTransport.ATTRIBUTE, 17)
                .addText(StunAttribute.SOFTWARE, "a client that says a lot about itself, 52 characters"));
        assertEquals(84, request.length);
        c.sendRaw(request);
        StunMessage challenge = c.awaitResponse(id);
        assertTrue(TestTurnClient.isError(challenge, 401), TestTurnClient.describe(challenge));
        assertEquals(80, challenge.size(), "the smallest 401 there is");
        assertTrue(challenge.size() <= request.length);
        assertEquals("", challenge.getErrorReason());
        assertFalse(challenge.contains(StunAttribute.SOFTWARE));
        assertEquals(TurnHarness.REALM, challenge.getRealm());
        assertEquals(StatelessNonces.LENGTH, challenge.getNonce().length());
        assertEquals(1, h.server.stats().repliesTrimmed());

        // ... and it works: authenticated answers are not limited (this one is larger than its request).
        c.learn(challenge);
        StunMessage ok = c.expectSuccess(TurnMethod.ALLOCATE, LIBWEBRTC_ALLOCATE);
        assertEquals("switchboard-test", ok.getSoftware());

        // A Binding with room for XOR-MAPPED-ADDRESS gets just that.
        id = TestTurnClient.newTransactionId();
        request = c.plain(StunMethod.BINDING, id, e -> e.addText(StunAttribute.SOFTWARE, "twelve chars"));
        assertEquals(36, request.length);
        c.sendRaw(request);
        StunMessage binding = c.awaitResponse(id);
        assertEquals(StunClass.SUCCESS_RESPONSE, binding.messageClass());
        assertEquals(32, binding.size());
        assertEquals(c.localAddress(), binding.xorMappedAddress());
        assertFalse(binding.hasFingerprint(), "FINGERPRINT only when the request had one");
        assertEquals(2, h.server.stats().repliesTrimmed());
    }

    @Test
    void strictDoesNotApplyToTcp() throws Exception {
        // A TCP client has completed a handshake from its address: nothing to amplify towards a third party.
        TurnHarness h = track(TurnHarness.start(TurnHarness.config()
                .unauthenticatedReplyFactor(TurnConfig.STRICT_REPLY_FACTOR)));
        TestTurnClient c = track(h.tcpClient());
        c.fingerprint = false;
        byte[] id = TestTurnClient.newTransactionId();
        byte[] request = c.plain(TurnMethod.ALLOCATE, id, LIBWEBRTC_ALLOCATE);
        c.sendRaw(request);
        StunMessage challenge = c.awaitResponse(id);
        assertTrue(TestTurnClient.isError(challenge, 401));
        assertTrue(challenge.size() > 3 * request.length, "the whole answer: " + challenge.size());
        assertEquals("Unauthenticated", challenge.getErrorReason());
        assertEquals("switchboard-test", challenge.getSoftware());
        assertEquals(0, h.server.stats().repliesTrimmed() + h.server.stats().amplificationDropped());
    }

    @Test
    void realClientsGetTheirChallengeByDefault() throws Exception {
        // As deployed: realm "switchboard", SOFTWARE "Switchboard".
        TurnHarness h = track(TurnHarness.start(deployed()));
        int[] libwebrtc = challenge(h, LIBWEBRTC_ALLOCATE, false);
        assertEquals(28, libwebrtc[0]);
        assertEquals(112, libwebrtc[1], "whole: reason phrase, REALM, NONCE, SOFTWARE");
        int[] firefox = challenge(h, FIREFOX_ALLOCATE, true);
        assertEquals(44, firefox[0]);
        assertEquals(120, firefox[1]);
        int[] uclient = challenge(h, UCLIENT_ALLOCATE, true);
        assertEquals(52, uclient[0]);
        assertEquals(120, uclient[1]);

        int[] binding = binding(h.udpClient());
        assertEquals(20, binding[0]);
        assertEquals(56, binding[1], "XOR-MAPPED-ADDRESS, SOFTWARE, FINGERPRINT");
        assertEquals(0, h.server.stats().repliesTrimmed() + h.server.stats().amplificationDropped(),
                "nobody's answer had to be shrunk");
    }

    @Test
    void ipv6BindingIsAnsweredWhole() throws Exception {
        InetAddress v6 = TurnTransportsTest.ipv6Loopback();
        TurnHarness h = track(TurnHarness.start(deployed(), v6));
        int[] binding = binding(TestTurnClient.udp(h.udp.localAddress()));
        assertEquals(20, binding[0]);
        assertEquals(68, binding[1], "3.4 times, the largest ratio of a real client's exchange");
        assertEquals(0, h.server.stats().repliesTrimmed());
    }

    @Test
    void answersAreShrunkToFitBeforeTheyAreDropped() throws Exception {
        // A long SOFTWARE makes libwebrtc's challenge too large for 4 x 28 bytes: it goes out without it.
        TurnHarness h = track(TurnHarness.start(deployed().software("S".repeat(100))));
        TestTurnClient c = track(h.udpClient());
        c.fingerprint = false;
        byte[] id = TestTurnClient.newTransactionId();
        c.sendRaw(c.plain(TurnMethod.ALLOCATE, id, LIBWEBRTC_ALLOCATE));
        StunMessage challenge = c.awaitResponse(id);
        assertEquals(80, challenge.size());
        assertFalse(challenge.contains(StunAttribute.SOFTWARE));
        assertEquals("switchboard", challenge.getRealm());
        assertEquals(1, h.server.stats().repliesTrimmed());
        c.learn(challenge);
        c.expectSuccess(TurnMethod.ALLOCATE, LIBWEBRTC_ALLOCATE);
    }

    @Test
    void factorZeroTurnsTheSizeLimitOff() throws Exception {
        TurnHarness h = track(TurnHarness.start(deployed().software("S".repeat(100)).unauthenticatedReplyFactor(0)));
        TestTurnClient c = track(h.udpClient());
        c.fingerprint = false;
        StunMessage challenge = c.requestPlain(TurnMethod.ALLOCATE, LIBWEBRTC_ALLOCATE);
        assertEquals("S".repeat(100), challenge.getSoftware());
        assertEquals(0, h.server.stats().repliesTrimmed());
    }

    @Test
    void undecodableRequestsAreLimitedToo() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config()
                .unauthenticatedReplyFactor(TurnConfig.STRICT_REPLY_FACTOR)));
        TestTurnClient c = track(h.udpClient());
        // An Allocate whose only attribute claims more bytes than there are: 400, whose shortest form is 28 bytes.
        byte[] id = TestTurnClient.newTransactionId();
        byte[] small = header(TurnMethod.ALLOCATE, id, 4);
        small[20] = 0x00;
        small[21] = 0x19;
        small[23] = 40;
        c.sendRaw(small);
        assertNull(responseOrDropped(c, id, h.server.stats()::amplificationDropped, 0),
                "24 bytes cannot carry a 28-byte 400");
        id = TestTurnClient.newTransactionId();
        byte[] larger = header(TurnMethod.ALLOCATE, id, 8);
        larger[20] = 0x00;
        larger[21] = 0x19;
        larger[23] = 40;
        c.sendRaw(larger);
        StunMessage bad = c.awaitResponse(id);
        assertTrue(TestTurnClient.isError(bad, 400));
        assertEquals(28, bad.size());
        assertEquals(1, h.server.stats().amplificationDropped());
        assertEquals(1, h.server.stats().repliesTrimmed());
    }

    // ---- helpers

    private static TurnConfig.Builder deployed() {
        MapCredentialStore users = new MapCredentialStore("switchboard");
        users.putPassword(TurnHarness.USER, TurnHarness.PASSWORD);
        return TurnHarness.config().realm("switchboard").software("Switchboard").credentials(users);
    }

    /** Sends a client's first Allocate, checks the 401 is usable and within 4 times it; request and reply sizes. */
    private int[] challenge(TurnHarness h, Consumer<StunEncoder> attributes, boolean fingerprint) throws Exception {
        TestTurnClient c = track(h.udpClient());
        c.fingerprint = fingerprint;
        byte[] id = TestTurnClient.newTransactionId();
        byte[] request = c.plain(TurnMethod.ALLOCATE, id, attributes);
        c.sendRaw(request);
        StunMessage challenge = c.awaitResponse(id);
        assertTrue(TestTurnClient.isError(challenge, 401), TestTurnClient.describe(challenge));
        assertTrue(challenge.size() <= TurnConfig.DEFAULT_UNAUTHENTICATED_REPLY_FACTOR * request.length);
        assertEquals("switchboard", challenge.getRealm());
        c.learn(challenge);
        c.expectSuccess(TurnMethod.ALLOCATE, attributes); // the challenge got the client through
        return new int[]{request.length, challenge.size()};
    }

    private int[] binding(TestTurnClient client) throws Exception {
        TestTurnClient c = track(client);
        c.fingerprint = false;
        byte[] id = TestTurnClient.newTransactionId();
        byte[] request = c.plain(StunMethod.BINDING, id, e -> { });
        c.sendRaw(request);
        StunMessage r = c.awaitResponse(id);
        assertEquals(StunClass.SUCCESS_RESPONSE, r.messageClass());
        assertEquals(c.localAddress(), r.xorMappedAddress());
        assertEquals("Switchboard", r.getSoftware());
        assertTrue(r.hasFingerprint() && r.checkFingerprint(), "as a plain STUN server answers");
        return new int[]{request.length, r.size()};
    }

    /**
     * Sends a Binding: its response, or null once the server has counted it in {@code dropped}. Waiting for the
     * server's verdict, not for a quiet spell, keeps a slow server's late answer from passing for a drop.
     */
    private static StunMessage bindingOrDropped(TestTurnClient c, LongSupplier dropped) throws Exception {
        long before = dropped.getAsLong();
        byte[] id = TestTurnClient.newTransactionId();
        c.sendRaw(c.plain(StunMethod.BINDING, id, e -> { }));
        return responseOrDropped(c, id, dropped, before);
    }

    /** The response to {@code id}, or null once {@code dropped} has gone past {@code before}; bounded. */
    private static StunMessage responseOrDropped(TestTurnClient c, byte[] id, LongSupplier dropped, long before)
            throws Exception {
        long deadline = System.nanoTime() + TurnHarness.TIMEOUT.toNanos();
        while (true) {
            boolean counted = dropped.getAsLong() > before; // then no reply is coming
            StunMessage m = c.responseWithin(id, POLL_MILLIS);
            if (m != null || counted) {
                return m;
            }
            assertTrue(System.nanoTime() - deadline < 0, "neither answered nor counted as dropped");
        }
    }

    /**
     * How many of {@code ids} were answered, once the server has answered or rate-limited every one of them (the
     * counter started at 0); bounded.
     */
    private static int answered(TurnHarness h, TestTurnClient c, List<byte[]> ids) throws Exception {
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + TurnHarness.TIMEOUT.toNanos();
        while (true) {
            long limited = h.server.stats().rateLimited(); // read first: a reply sent before it is in by now
            while (true) {
                byte[] frame;
                try {
                    int old = c.udpSocket().getSoTimeout();
                    c.udpSocket().setSoTimeout(POLL_MILLIS);
                    try {
                        frame = c.receiveRaw();
                    } finally {
                        c.udpSocket().setSoTimeout(old);
                    }
                } catch (SocketTimeoutException e) {
                    break;
                }
                StunMessage m = TestTurnClient.decode(frame);
                for (byte[] id : ids) {
                    if (m.hasTransactionId(id, 0)) {
                        seen.add(HexFormat.of().formatHex(id));
                    }
                }
            }
            if (seen.size() + limited >= ids.size()) {
                return seen.size();
            }
            assertTrue(System.nanoTime() - deadline < 0, seen.size() + " answered, " + limited + " limited");
        }
    }

    private static long seconds(long nanos) {
        return nanos / 1_000_000_000L;
    }

    /** A STUN request header for {@code bodyLength} zero bytes of attributes. */
    private static byte[] header(int method, byte[] id, int bodyLength) {
        byte[] msg = new byte[20 + bodyLength];
        ByteBuffer.wrap(msg).putShort((short) StunHeader.type(method, StunClass.REQUEST)).putShort((short) bodyLength)
                .putInt(StunHeader.MAGIC_COOKIE).put(id);
        return msg;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
        }
    }

    private static InetAddress secondLoopbackAddress() throws IOException {
        InetAddress second = InetAddress.getByName("127.0.0.2");
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(second, 0))) {
            return second;
        } catch (IOException e) {
            Assumptions.abort("127.0.0.2 is not a local address here: " + e.getMessage());
            return null;
        }
    }
}
