package dev.switchboard.relay.sfu.dtls;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link DtlsAcceptor#accept} does with a ClientHello before any handshake runs (tasks are held, not run). */
class DtlsAcceptorTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DtlsIdentity SERVER = DtlsIdentity.generate("switchboard", RANDOM);
    private static final DtlsIdentity CLIENT = DtlsIdentity.generate("client", RANDOM);
    private static final InetSocketAddress A = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_001);
    private static final InetSocketAddress B = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_002);

    private final List<Runnable> tasks = new ArrayList<>();
    private final List<byte[]> replies = new ArrayList<>();
    private final DtlsOutput output = (buf, off, len) -> replies.add(java.util.Arrays.copyOfRange(buf, off, off + len));

    private DtlsAcceptor acceptor(java.util.concurrent.Executor executor) {
        return new DtlsAcceptor(SERVER, new DtlsSettings(2, Duration.ofSeconds(10)), executor, RANDOM);
    }

    @Test
    void aValidCookieMakesOneSessionAndHandsItsHandshakeToTheExecutor() {
        DtlsAcceptor acceptor = acceptor(tasks::add);
        byte[] hello = ClientHellos.withCookie(acceptor, A, CLIENT, SERVER.fingerprint());

        DtlsSession session = acceptor.accept(A, ByteBuffer.wrap(hello), output, CLIENT.fingerprint(),
                ClientHellos.IGNORED);

        assertNotNull(session);
        assertEquals(A, session.remote());
        assertEquals(DtlsSession.State.HANDSHAKING, session.state());
        assertNull(session.keyingMaterial());
        assertEquals(1, tasks.size(), "the handshake waits for an executor thread, not the loop");
        assertTrue(replies.isEmpty(), "the loop sent nothing itself");
        assertEquals(1, acceptor.stats().openSessions());
        assertEquals(1, acceptor.stats().activeHandshakes());
    }

    @Test
    void theCookieIsBoundToTheClientsAddressAndToThisAcceptor() {
        DtlsAcceptor acceptor = acceptor(tasks::add);
        byte[] hello = ClientHellos.withCookie(acceptor, A, CLIENT, SERVER.fingerprint());

        // From another port: challenged again, as a stranger replaying a sniffed ClientHello would be.
        assertNull(acceptor.accept(B, ByteBuffer.wrap(hello), output, CLIENT.fingerprint(), ClientHellos.IGNORED));
        // At another acceptor (another secret, as after a restart): challenged again.
        DtlsAcceptor other = acceptor(tasks::add);
        assertNull(other.accept(A, ByteBuffer.wrap(hello), output, CLIENT.fingerprint(), ClientHellos.IGNORED));

        assertEquals(2, replies.size());
        assertEquals(2, acceptor.stats().get(DtlsStats.Counter.HELLO_VERIFY_REQUESTS), "one per hello, two here");
        assertEquals(0, acceptor.stats().openSessions() + other.stats().openSessions());
        assertTrue(tasks.isEmpty());
    }

    @Test
    void anExecutorThatRefusesLeavesNothingBehind() {
        DtlsAcceptor acceptor = acceptor(r -> {
            throw new RejectedExecutionException("saturated");
        });
        byte[] hello = ClientHellos.withCookie(acceptor, A, CLIENT, SERVER.fingerprint());

        assertNull(acceptor.accept(A, ByteBuffer.wrap(hello), output, CLIENT.fingerprint(), ClientHellos.IGNORED));

        assertEquals(1, acceptor.stats().get(DtlsStats.Counter.EXECUTOR_REJECTED));
        assertEquals(0, acceptor.stats().get(DtlsStats.Counter.HANDSHAKES_STARTED));
        assertEquals(0, acceptor.stats().openSessions());
        assertEquals(0, acceptor.stats().activeHandshakes());
    }

    @Test
    void otherDtlsRecordsWithoutASessionAreDroppedSilently() {
        DtlsAcceptor acceptor = acceptor(tasks::add);
        byte[] record = new byte[DtlsRecords.RECORD_HEADER_LENGTH + 30];
        ByteBuffer.wrap(record).put((byte) 23).putShort((short) 0xFEFD).putShort((short) 1).putShort((short) 0)
                .putInt(5).putShort((short) 30);

        assertNull(acceptor.accept(A, ByteBuffer.wrap(record), output, CLIENT.fingerprint(), ClientHellos.IGNORED));

        assertTrue(replies.isEmpty(), "no reply to what is not a ClientHello: nothing to reflect");
        assertEquals(1, acceptor.stats().get(DtlsStats.Counter.NOT_CLIENT_HELLO));
    }
}
