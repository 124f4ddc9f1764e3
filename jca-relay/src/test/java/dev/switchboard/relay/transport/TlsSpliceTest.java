package dev.switchboard.relay.transport;

import dev.switchboard.relay.TestTls;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.relay.transport.LoopFixture.pattern;
import static dev.switchboard.relay.transport.LoopFixture.readFully;
import static dev.switchboard.relay.transport.LoopFixture.readQuietly;
import static dev.switchboard.relay.transport.LoopFixture.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An RFC 6062 data connection over TLS: a TLS connection spliced to a raw stream carries the plaintext both ways,
 * through its TLS session, with the same back-pressure as a plain one.
 */
class TlsSpliceTest {

    @RegisterExtension
    final LoopFixture fixture = new LoopFixture("tls-splice");

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aTlsConnectionBecomesAPipeOfItsPlaintext(String version) throws Exception {
        SpliceCounter counting = new SpliceCounter();
        LoopFixture.Far far = fixture.far();
        Socket farSide = far.socket();
        // The handler splices on the first STUN message (as ConnectionBind does) and answers it first.
        byte[] answer = Frames.stun(4, 9);
        TcpAcceptor acceptor = fixture.acceptor(fixture.splicingTo(far.stream(), counting, answer), TcpOptions.DEFAULTS,
                TestTls.serverContext());
        SSLSocket client = fixture.track(TestTls.connect(acceptor.localAddress(), version));
        byte[] behind = "not STUN at all, and more of it".getBytes();
        // The switching message and raw bytes in one record: the server decrypts them together.
        write(client, Frames.concat(Frames.stun(8, 1), behind));
        assertArrayEquals(answer, readFully(client, answer.length), "the answer, before any piped byte");
        assertArrayEquals(behind, readFully(farSide, behind.length), "bytes behind the message are piped");

        // Then a lot both ways at once, the TLS client reading late: every byte arrives, in order, as plaintext.
        byte[] up = pattern(700_000, 3);
        byte[] down = pattern(900_000, 5);
        CompletableFuture<Void> upWriter = CompletableFuture.runAsync(() -> write(client, up));
        CompletableFuture<Void> downWriter = CompletableFuture.runAsync(() -> write(farSide, down));
        Thread.sleep(300); // the far side's bytes pile up against a TLS client that does not read yet
        CompletableFuture<byte[]> upRead = CompletableFuture.supplyAsync(() -> readQuietly(farSide, up.length));
        assertArrayEquals(down, readFully(client, down.length));
        assertArrayEquals(up, upRead.get(20, TimeUnit.SECONDS));
        upWriter.get(20, TimeUnit.SECONDS);
        downWriter.get(20, TimeUnit.SECONDS);
        LoopHarness.await("counted", () -> counting.fromFirst.get() == behind.length + up.length
                && counting.fromSecond.get() == down.length);
        assertEquals(1, acceptor.counters().packetsIn(), "one framed message, the rest raw");
        assertEquals(0, acceptor.counters().malformed());

        farSide.close();
        assertEquals(-1, client.getInputStream().read(), "the TLS side closes with its peer, with close_notify");
        LoopHarness.await("connection count", () -> acceptor.counters().connectionsOpen() == 0);
        LoopHarness.await("closed once", () -> counting.closed.get() == 1); // told after the count drops
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void theTlsClientsCloseNotifyEndsThePipe(String version) throws Exception {
        SpliceCounter counting = new SpliceCounter();
        LoopFixture.Far far = fixture.far();
        Socket farSide = far.socket();
        TcpAcceptor acceptor = fixture.acceptor(fixture.splicingTo(far.stream(), counting, null), TcpOptions.DEFAULTS,
                TestTls.serverContext());
        SSLSocket client = fixture.track(TestTls.connect(acceptor.localAddress(), version));
        write(client, Frames.stun(0, 1));
        write(client, new byte[]{1, 2, 3});
        assertArrayEquals(new byte[]{1, 2, 3}, readFully(farSide, 3));
        client.close(); // close_notify
        farSide.setSoTimeout(5000);
        assertEquals(-1, farSide.getInputStream().read(), "the far side is closed with it");
        LoopHarness.await("closed once", () -> counting.closed.get() == 1);
    }
}
