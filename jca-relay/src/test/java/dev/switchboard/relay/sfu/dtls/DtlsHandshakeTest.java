package dev.switchboard.relay.sfu.dtls;

import dev.switchboard.relay.Await;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DTLS-SRTP server against Bouncy Castle's own DTLS client over an in-process link: keys agreed, the client's
 * certificate bound to its SDP fingerprint, use_srtp required, stateless cookies, the handshake cap and deadline.
 */
class DtlsHandshakeTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DtlsIdentity SERVER = DtlsIdentity.generate("switchboard", RANDOM);
    private static final DtlsIdentity CLIENT = DtlsIdentity.generate("client", RANDOM);
    private static final DtlsIdentity STRANGER = DtlsIdentity.generate("stranger", RANDOM);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int GCM = SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM;
    private static final int SHA1_80 = SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;
    private static final int SHA1_32 = SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32;

    private DtlsLink link;

    @AfterEach
    void tearDown() {
        if (link != null) {
            assertTrue(link.loopErrors.isEmpty(), "nothing thrown on the loop: " + link.loopErrors);
            link.close();
        }
    }

    private DtlsLink link(int maxHandshakes, Duration timeout) {
        link = new DtlsLink(SERVER, new DtlsSettings(maxHandshakes, timeout));
        return link;
    }

    private static TestDtlsClient client(int... profiles) {
        return new TestDtlsClient(CLIENT, SERVER.fingerprint(), 20_000, profiles);
    }

    private DtlsStats stats() {
        return link.acceptor.stats();
    }

    @Test
    void handshakeCompletesAndBothSidesExportTheSameKeys() throws Exception {
        DtlsLink.Peer peer = link(4, Duration.ofSeconds(10)).peer(CLIENT.fingerprint());
        TestDtlsClient client = client(GCM, SHA1_32, SHA1_80);

        DTLSTransport transport = peer.connect(client).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SrtpKeyingMaterial server = peer.connected.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertNotNull(transport);
        // Our preference (AES-CM with the 80-bit tag first) wins over the client's order.
        assertEquals(SrtpProfileId.AES128_CM_HMAC_SHA1_80, server.profile());
        assertEquals(client.keyingMaterial, server);
        assertEquals(16, server.clientKey().length);
        assertEquals(14, server.serverSalt().length);
        assertTrue(!Arrays.equals(server.clientKey(), server.serverKey()), "two directions, two keys");
        assertEquals(server, peer.session.get().keyingMaterial());
        assertEquals(DtlsSession.State.CONNECTED, peer.session.get().state());
        assertEquals(1, stats().get(DtlsStats.Counter.HELLO_VERIFY_REQUESTS), "the first ClientHello had no cookie");
        assertEquals(1, stats().get(DtlsStats.Counter.HANDSHAKES_STARTED));
        assertEquals(1, stats().get(DtlsStats.Counter.HANDSHAKES_COMPLETED));
        assertEquals(0, stats().activeHandshakes());
        assertEquals(1, stats().openSessions());
    }

    @Test
    void aClientOfferingOnlySha1_80GetsIt() throws Exception {
        DtlsLink.Peer peer = link(4, Duration.ofSeconds(10)).peer(CLIENT.fingerprint());
        TestDtlsClient client = client(SHA1_80);

        peer.connect(client).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SrtpKeyingMaterial server = peer.connected.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertEquals(SrtpProfileId.AES128_CM_HMAC_SHA1_80, server.profile());
        assertEquals(client.keyingMaterial, server);
        assertEquals(14, server.clientSalt().length);
    }

    @Test
    void aCertificateNotMatchingTheSdpFingerprintFailsTheHandshakeWithAnAlert() throws Exception {
        DtlsLink.Peer peer = link(4, Duration.ofSeconds(10)).peer(STRANGER.fingerprint());
        TestDtlsClient client = client(GCM);

        assertThrows(ExecutionException.class, () -> peer.connect(client).get(WAIT.toSeconds(), TimeUnit.SECONDS));

        assertEquals(DtlsCloseReason.FINGERPRINT_MISMATCH, peer.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(Short.valueOf(AlertDescription.bad_certificate), client.alertReceived);
        assertTrue(!peer.connected.isDone(), "no keys for an impostor");
        assertEquals(1, stats().get(DtlsStats.Counter.FINGERPRINT_MISMATCHES));
        assertEquals(1, stats().get(DtlsStats.Counter.HANDSHAKES_FAILED));
        assertEquals(0, stats().activeHandshakes());
        assertEquals(0, stats().openSessions());
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        DtlsLink.Peer peer = link(4, Duration.ofSeconds(10)).peer(CLIENT.fingerprint());
        TestDtlsClient client = new TestDtlsClient(null, SERVER.fingerprint(), 20_000, GCM);

        assertThrows(ExecutionException.class, () -> peer.connect(client).get(WAIT.toSeconds(), TimeUnit.SECONDS));

        assertEquals(DtlsCloseReason.FINGERPRINT_MISMATCH, peer.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aClientWithoutUseSrtpIsRefused() throws Exception {
        DtlsLink.Peer peer = link(4, Duration.ofSeconds(10)).peer(CLIENT.fingerprint());
        TestDtlsClient client = client();

        assertThrows(ExecutionException.class, () -> peer.connect(client).get(WAIT.toSeconds(), TimeUnit.SECONDS));

        assertEquals(DtlsCloseReason.SRTP_REFUSED, peer.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(Short.valueOf(AlertDescription.handshake_failure), client.alertReceived);
        assertEquals(1, stats().get(DtlsStats.Counter.SRTP_REFUSED));
        assertEquals(0, stats().openSessions());
    }

    @Test
    void aClientOfferingNoProfileOfOursIsRefused() throws Exception {
        DtlsLink.Peer peer = link(4, Duration.ofSeconds(10)).peer(CLIENT.fingerprint());
        TestDtlsClient client = client(SRTPProtectionProfile.SRTP_NULL_HMAC_SHA1_80);

        assertThrows(ExecutionException.class, () -> peer.connect(client).get(WAIT.toSeconds(), TimeUnit.SECONDS));

        assertEquals(DtlsCloseReason.SRTP_REFUSED, peer.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aClientHelloWithoutCookieGetsAHelloVerifyRequestAndCreatesNoState() throws Exception {
        DtlsLink.Peer peer = link(4, Duration.ofSeconds(10)).peer(CLIENT.fingerprint());
        peer.deliverLimit = 0;
        peer.connect(client(GCM));
        Await.until("the client's first ClientHello", WAIT, 10, () -> !peer.sentDatagrams.isEmpty());
        byte[] firstHello = peer.sentDatagrams.get(0);
        assertTrue(DtlsRecords.isClientHello(ByteBuffer.wrap(firstHello)));

        // The same cookieless ClientHello many times, as a flood from a spoofed address would send it.
        java.util.List<byte[]> replies = new java.util.concurrent.CopyOnWriteArrayList<>();
        DtlsOutput capture = (buf, off, len) -> replies.add(Arrays.copyOfRange(buf, off, off + len));
        link.onLoop(() -> {
            for (int i = 0; i < 1000; i++) {
                assertNull(link.acceptor.accept(peer.remote, ByteBuffer.wrap(firstHello), capture,
                        CLIENT.fingerprint(), peer));
            }
        });

        assertEquals(0, stats().openSessions());
        assertEquals(0, stats().get(DtlsStats.Counter.HANDSHAKES_STARTED));
        assertEquals(1000, stats().get(DtlsStats.Counter.HELLO_VERIFY_REQUESTS));
        assertEquals(1000, replies.size());
        byte[] reply = replies.get(0);
        assertEquals(22, reply[0], "a handshake record");
        assertEquals(3, reply[DtlsRecords.RECORD_HEADER_LENGTH], "HelloVerifyRequest (RFC 6347 §4.2.1)");
        assertTrue(reply.length < 2 * firstHello.length, "the challenge is no amplifier");
    }

    @Test
    void theCookieRoundTripCreatesTheOneSession() throws Exception {
        DtlsLink.Peer peer = link(4, Duration.ofSeconds(10)).peer(CLIENT.fingerprint());
        peer.deliverLimit = 2; // the cookieless ClientHello, then the one with the cookie
        peer.connect(client(GCM));

        Await.until("a session from the second ClientHello", WAIT, 10, () -> peer.session.get() != null);
        assertEquals(1, stats().get(DtlsStats.Counter.HELLO_VERIFY_REQUESTS));
        assertEquals(1, stats().openSessions());
        peer.session.get().close();
        assertEquals(DtlsCloseReason.CLOSED_LOCALLY, peer.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, stats().openSessions());
        assertEquals(0, stats().activeHandshakes());
    }

    @Test
    void garbageAndTruncatedDatagramsDoNotThrowOrCreateSessions() throws Exception {
        DtlsLink.Peer peer = link(4, Duration.ofSeconds(10)).peer(CLIENT.fingerprint());
        peer.deliverLimit = 0;
        peer.connect(client(GCM));
        Await.until("the client's first ClientHello", WAIT, 10, () -> !peer.sentDatagrams.isEmpty());
        byte[] hello = peer.sentDatagrams.get(0);
        Random random = new Random(11);

        link.onLoop(() -> {
            for (int cut = 0; cut < hello.length; cut++) {
                assertNull(link.acceptor.accept(peer.remote, ByteBuffer.wrap(hello, 0, cut), peer.toClient,
                        CLIENT.fingerprint(), peer));
            }
            for (int i = 0; i < 2000; i++) {
                byte[] junk = new byte[random.nextInt(300)];
                random.nextBytes(junk);
                if (junk.length > 0 && i % 2 == 0) {
                    junk[0] = 22; // a handshake record type, so more of it is read
                }
                assertNull(link.acceptor.accept(peer.remote, ByteBuffer.wrap(junk), peer.toClient,
                        CLIENT.fingerprint(), peer));
            }
        });

        assertEquals(0, stats().openSessions());
        assertEquals(0, stats().get(DtlsStats.Counter.HANDSHAKES_STARTED));
    }

    @Test
    void garbageToAConnectedSessionIsDiscardedAndTheSessionLivesOn() throws Exception {
        DtlsLink.Peer peer = link(4, Duration.ofSeconds(10)).peer(CLIENT.fingerprint());
        DTLSTransport client = peer.connect(client(GCM)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        peer.connected.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        DtlsSession session = peer.session.get();
        Random random = new Random(5);

        link.onLoop(() -> {
            for (int i = 0; i < 200; i++) {
                byte[] junk = new byte[1 + random.nextInt(200)];
                random.nextBytes(junk);
                junk[0] = (byte) (20 + random.nextInt(4)); // DTLS content types: reach the record layer
                if (junk.length > 4) {
                    junk[1] = (byte) 0xFE;
                    junk[2] = (byte) 0xFD;
                    junk[3] = 0;
                    junk[4] = 1; // epoch 1: the connection's keys, so MACs are checked
                }
                session.onDatagram(ByteBuffer.wrap(junk));
            }
        });
        // Well-framed records of the connection's epoch with made-up contents: each fails its authentication tag,
        // which Bouncy Castle discards as RFC 6347 §4.1.2.7 asks (a forged record must not end the association).
        for (int batch = 0; batch < 10; batch++) {
            link.onLoop(() -> {
                for (int i = 0; i < 4; i++) {
                    byte[] record = new byte[DtlsRecords.RECORD_HEADER_LENGTH + 40];
                    random.nextBytes(record);
                    ByteBuffer.wrap(record).put((byte) 23).putShort((short) 0xFEFD).putShort((short) 1)
                            .putShort((short) 0).putInt(1000 + random.nextInt(1000)).putShort((short) 40);
                    session.onDatagram(ByteBuffer.wrap(record));
                }
            });
            Thread.sleep(20);
        }
        // Then real application data, which is read and dropped (no SCTP yet).
        byte[] data = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        client.send(data, 0, data.length);

        Await.until("the application data counted", WAIT, 10,
                () -> stats().get(DtlsStats.Counter.APPLICATION_DATA_DROPPED) == 1);
        assertTrue(stats().get(DtlsStats.Counter.DATAGRAMS_DROPPED) > 0, "a flood beyond the queue is dropped");
        assertEquals(DtlsSession.State.CONNECTED, session.state());
        assertTrue(!peer.closed.isDone());
    }

    @Test
    void aCloseNotifyFromTheClientEndsTheSession() throws Exception {
        DtlsLink.Peer peer = link(4, Duration.ofSeconds(10)).peer(CLIENT.fingerprint());
        DTLSTransport client = peer.connect(client(GCM)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        peer.connected.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        client.close();

        assertEquals(DtlsCloseReason.PEER_CLOSED, peer.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(DtlsSession.State.CLOSED, peer.session.get().state());
        assertNull(peer.session.get().keyingMaterial());
        assertEquals(0, stats().openSessions());
    }

    @Test
    void closingTheSessionSendsCloseNotify() throws Exception {
        DtlsLink.Peer peer = link(4, Duration.ofSeconds(10)).peer(CLIENT.fingerprint());
        DTLSTransport client = peer.connect(client(GCM)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        peer.connected.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        peer.session.get().close();
        peer.session.get().close();

        assertEquals(DtlsCloseReason.CLOSED_LOCALLY, peer.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        byte[] buf = new byte[2048];
        // The client's record layer reads our close_notify and closes its transport.
        Await.until("the client sees close_notify", WAIT, 10, () -> {
            try {
                client.receive(buf, 0, buf.length, 10);
            } catch (java.io.IOException e) {
                return true;
            }
            return peer.clientClosed;
        });
        assertEquals(1, stats().get(DtlsStats.Counter.SESSIONS_CLOSED));
    }

    @Test
    void aStalledHandshakeTimesOutAndFreesItsSlot() throws Exception {
        DtlsLink.Peer stalled = link(1, Duration.ofSeconds(1)).peer(CLIENT.fingerprint());
        stalled.deliverLimit = 2; // the server sees both ClientHellos, then nothing of the client's flight
        stalled.connect(new TestDtlsClient(CLIENT, SERVER.fingerprint(), 5_000, GCM));

        assertEquals(DtlsCloseReason.TIMEOUT, stalled.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(1, stats().get(DtlsStats.Counter.HANDSHAKE_TIMEOUTS));
        assertEquals(0, stats().activeHandshakes());
        assertEquals(0, stats().openSessions());

        // The one slot is free again.
        DtlsLink.Peer next = link.peer(CLIENT.fingerprint());
        next.connect(client(GCM)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(next.connected.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void theDeadlineRunsFromTheClientHelloNotFromWhenAThreadIsFree() throws Exception {
        java.util.concurrent.ScheduledExecutorService later = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            // Every handshake thread busy for longer than a handshake may take: the task starts 1.5 s late.
            link = new DtlsLink(SERVER, new DtlsSettings(4, Duration.ofSeconds(1)),
                    pool -> task -> later.schedule(() -> pool.execute(task), 1500, TimeUnit.MILLISECONDS));
            DtlsLink.Peer peer = link.peer(CLIENT.fingerprint());
            peer.connect(new TestDtlsClient(CLIENT, SERVER.fingerprint(), 5_000, GCM));

            // The client answers at once, but its handshake is already past its deadline: no keys, a timeout.
            assertEquals(DtlsCloseReason.TIMEOUT, peer.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(!peer.connected.isDone());
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void handshakesBeyondTheCapAreRefusedAndCountedUntilASlotFrees() throws Exception {
        DtlsLink.Peer first = link(1, Duration.ofSeconds(60)).peer(CLIENT.fingerprint());
        first.deliverLimit = 2;
        first.connect(new TestDtlsClient(CLIENT, SERVER.fingerprint(), 60_000, GCM));
        Await.until("the first client's handshake in progress", WAIT, 10, () -> stats().activeHandshakes() == 1);

        DtlsLink.Peer second = link.peer(CLIENT.fingerprint());
        var secondClient = second.connect(new TestDtlsClient(CLIENT, SERVER.fingerprint(), 60_000, GCM));
        Await.until("the second client refused", WAIT, 10,
                () -> stats().get(DtlsStats.Counter.HANDSHAKES_REFUSED) >= 1);
        assertNull(second.session.get(), "a refused client gets no session");
        assertEquals(1, stats().openSessions());

        first.session.get().close();
        assertEquals(DtlsCloseReason.CLOSED_LOCALLY, first.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));

        // The second client's next retransmitted ClientHello (cookie still valid) finds the slot.
        secondClient.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(second.connected.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
}
