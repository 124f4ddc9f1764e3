package dev.switchboard.relay.sfu.dtls;

import org.bouncycastle.tls.DTLSTransport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-process network between Bouncy Castle DTLS clients and one {@link DtlsAcceptor}: a single "event loop"
 * thread routes each client datagram to its 5-tuple's session, or to {@link DtlsAcceptor#accept} when there is none
 * (as the SFU's loop will); the server's datagrams land in the client's inbox. A client's datagrams past
 * {@link Peer#deliverLimit} are lost, which stalls its handshake on purpose.
 */
final class DtlsLink implements AutoCloseable {

    final DtlsAcceptor acceptor;
    final ExecutorService handshakes = Executors.newCachedThreadPool(daemon("dtls-handshake"));
    private final ExecutorService loop = Executors.newSingleThreadExecutor(daemon("dtls-loop"));
    private final ExecutorService clients = Executors.newCachedThreadPool(daemon("dtls-client"));
    private final AtomicInteger ports = new AtomicInteger(40_000);
    final List<Throwable> loopErrors = new CopyOnWriteArrayList<>();

    DtlsLink(DtlsIdentity server, DtlsSettings settings) {
        this(server, settings, pool -> pool);
    }

    /** {@code executor} may wrap the handshake pool, e.g. to hand tasks over late. */
    DtlsLink(DtlsIdentity server, DtlsSettings settings, java.util.function.UnaryOperator<Executor> executor) {
        acceptor = new DtlsAcceptor(server, settings, executor.apply(handshakes), new java.security.SecureRandom());
    }

    Peer peer(Fingerprint expected) {
        return new Peer(new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.incrementAndGet()), expected);
    }

    /** Runs on the loop thread and waits for it: what the loop sees is settled when this returns. */
    void onLoop(Runnable r) throws Exception {
        loop.submit(r).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        clients.shutdownNow();
        loop.shutdownNow();
        handshakes.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    final class Peer extends InboxTransport implements DtlsSession.Listener {

        final InetSocketAddress remote;
        final Fingerprint expected;
        final AtomicReference<DtlsSession> session = new AtomicReference<>();
        final CompletableFuture<SrtpKeyingMaterial> connected = new CompletableFuture<>();
        final CompletableFuture<DtlsCloseReason> closed = new CompletableFuture<>();
        final AtomicInteger sent = new AtomicInteger();
        final List<byte[]> sentDatagrams = new CopyOnWriteArrayList<>();
        /** The server's datagrams to this client. */
        final DtlsOutput toClient = (buf, off, len) -> inbox.offer(Arrays.copyOfRange(buf, off, off + len));
        volatile int deliverLimit = Integer.MAX_VALUE;

        Peer(InetSocketAddress remote, Fingerprint expected) {
            this.remote = remote;
            this.expected = expected;
        }

        CompletableFuture<DTLSTransport> connect(TestDtlsClient client) {
            CompletableFuture<DTLSTransport> result = new CompletableFuture<>();
            clients.execute(() -> {
                try {
                    result.complete(client.connect(this));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            return result;
        }

        /** A datagram from this client, as the loop receives it. */
        void deliver(byte[] datagram) {
            loop.execute(() -> {
                try {
                    ByteBuffer buf = ByteBuffer.wrap(datagram);
                    DtlsSession s = session.get();
                    if (s != null && s.state() != DtlsSession.State.CLOSED) {
                        s.onDatagram(buf);
                    } else {
                        DtlsSession created = acceptor.accept(remote, buf, toClient, expected, this);
                        if (created != null) {
                            session.set(created);
                        }
                    }
                } catch (Throwable t) {
                    loopErrors.add(t);
                }
            });
        }

        // ---- the client's sends

        @Override
        public void send(byte[] buf, int off, int len) {
            byte[] copy = Arrays.copyOfRange(buf, off, off + len);
            sentDatagrams.add(copy);
            if (sent.incrementAndGet() <= deliverLimit) {
                deliver(copy);
            }
        }

        // ---- DtlsSession.Listener

        @Override
        public void connected(DtlsSession s, SrtpKeyingMaterial keys) {
            connected.complete(keys);
        }

        @Override
        public void closed(DtlsSession s, DtlsCloseReason reason) {
            closed.complete(reason);
        }
    }
}
