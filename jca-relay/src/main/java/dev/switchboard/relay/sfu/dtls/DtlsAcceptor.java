package dev.switchboard.relay.sfu.dtls;

import org.bouncycastle.tls.DTLSRequest;
import org.bouncycastle.tls.DTLSVerifier;
import org.bouncycastle.tls.DatagramSender;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The SFU's DTLS server: one per relay, shared by its event loops. For a DTLS datagram from a 5-tuple that has no
 * session yet, {@link #accept} answers a ClientHello without a valid cookie with a HelloVerifyRequest (RFC 6347
 * §4.2.1) and keeps nothing, so a spoofed source address costs one MAC and one small reply; only a ClientHello
 * whose cookie proves the client receives at its address creates a {@link DtlsSession}, and only while fewer than
 * {@link DtlsSettings#maxHandshakes()} handshakes are in progress.
 *
 * <p>Handshakes block (Bouncy Castle's DTLS is written that way) and run on the executor given here, which in the
 * resource adapter is backed by WorkManager threads; the loops only copy datagrams into bounded queues.
 */
public final class DtlsAcceptor {

    private static final Logger LOG = Logger.getLogger(DtlsAcceptor.class.getName());

    private final DtlsIdentity identity;
    private final DtlsSettings settings;
    private final Executor executor;
    private final BcTlsCrypto crypto;
    private final DTLSVerifier verifier;
    private final DatagramSlots slots;
    private final DtlsStats stats = new DtlsStats();

    /**
     * @param identity the certificate every session presents (its fingerprint goes into our SDP)
     * @param settings caps and timeouts
     * @param executor runs handshakes and post-handshake reads; each handshake holds one of its threads throughout
     * @param random   randomness of the handshakes and of the cookie secret
     */
    public DtlsAcceptor(DtlsIdentity identity, DtlsSettings settings, Executor executor, SecureRandom random) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.crypto = new BcTlsCrypto(Objects.requireNonNull(random, "random"));
        // The cookie secret is random per acceptor: cookies do not outlive the process that made them.
        this.verifier = new DTLSVerifier(crypto);
        // Enough for every handshake's queue to be full twice over; connected sessions rarely hold any.
        this.slots = new DatagramSlots(Math.max(256, 2 * settings.maxHandshakes() * QueuedDatagramTransport.QUEUE_CAPACITY));
    }

    /** Our certificate's fingerprint, for the SDP answer's {@code a=fingerprint:}. */
    public Fingerprint fingerprint() {
        return identity.fingerprint();
    }

    public DtlsStats stats() {
        return stats;
    }

    public DtlsSettings settings() {
        return settings;
    }

    /**
     * A DTLS datagram from {@code remote}, which has no session yet (its remaining bytes; position unchanged).
     * Event loop; never throws for what the datagram holds, never blocks.
     *
     * @param remote   the client's address and port (the cookie is bound to it)
     * @param datagram the datagram
     * @param output   where this client's datagrams go (the HelloVerifyRequest at once, on this thread)
     * @param expected the fingerprint of the client's certificate, from its SDP
     * @param listener told when the session's handshake completes and when it ends
     * @return the new session, handshaking, which the caller routes this 5-tuple's later datagrams to; null when no
     *         session was made (not a ClientHello, a cookie challenge sent, or too many handshakes in progress)
     */
    public DtlsSession accept(InetSocketAddress remote, ByteBuffer datagram, DtlsOutput output, Fingerprint expected,
                              DtlsSession.Listener listener) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(listener, "listener");
        try {
            if (!DtlsRecords.isClientHello(datagram)) {
                stats.increment(DtlsStats.Counter.NOT_CLIENT_HELLO);
                return null;
            }
            byte[] data;
            int off;
            int len = datagram.remaining();
            if (datagram.hasArray()) {
                data = datagram.array();
                off = datagram.arrayOffset() + datagram.position();
            } else {
                data = new byte[len];
                datagram.get(datagram.position(), data);
                off = 0;
            }
            CookieChallenge challenge = new CookieChallenge(output);
            DTLSRequest request = verifier.verifyRequest(clientId(remote), data, off, len, challenge);
            if (request == null) {
                stats.increment(challenge.sent ? DtlsStats.Counter.HELLO_VERIFY_REQUESTS
                        : DtlsStats.Counter.INVALID_CLIENT_HELLO);
                return null;
            }
            return start(remote, request, output, expected, listener);
        } catch (RuntimeException e) {
            stats.increment(DtlsStats.Counter.INVALID_CLIENT_HELLO);
            LOG.log(Level.FINE, "DTLS datagram from " + remote + " dropped", e);
            return null;
        }
    }

    /**
     * A DTLS datagram from {@code remote}, which has no session yet and whose address the caller has verified itself:
     * the SFU takes DTLS only from a candidate pair on which a connectivity check with MESSAGE-INTEGRITY (under the
     * peer's ICE password) arrived, which proves what a cookie would (RFC 8842 §5, RFC 6347 §4.2.1), so the handshake
     * starts at once, one round trip earlier. It also takes a ClientHello sent in fragments (Chromium 150's, with a
     * post-quantum key share, is 1.4 kB in two records): this datagram must hold the first fragment, the session
     * gets the rest as they come. Event loop; never throws for what the datagram holds, never blocks.
     *
     * @return the new session, handshaking; null when none was made (not the start of a ClientHello, or too many
     *         handshakes in progress)
     */
    public DtlsSession acceptVerified(InetSocketAddress remote, ByteBuffer datagram, DtlsOutput output,
                                      Fingerprint expected, DtlsSession.Listener listener) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(listener, "listener");
        if (!DtlsRecords.startsClientHello(datagram)) {
            stats.increment(DtlsStats.Counter.NOT_CLIENT_HELLO);
            return null;
        }
        return start(remote, null, output, expected, listener, datagram);
    }

    private DtlsSession start(InetSocketAddress remote, DTLSRequest request, DtlsOutput output, Fingerprint expected,
                              DtlsSession.Listener listener) {
        return start(remote, request, output, expected, listener, null);
    }

    private DtlsSession start(InetSocketAddress remote, DTLSRequest request, DtlsOutput output, Fingerprint expected,
                              DtlsSession.Listener listener, ByteBuffer first) {
        if (!stats.tryStartHandshake(settings.maxHandshakes())) {
            // Nothing kept: the client retransmits its ClientHello (1 s, 2 s, …) and may find a free slot then.
            stats.increment(DtlsStats.Counter.HANDSHAKES_REFUSED);
            return null;
        }
        SrtpDtlsServer server = new SrtpDtlsServer(crypto, identity, expected,
                (int) Math.min(Integer.MAX_VALUE, settings.handshakeTimeout().toMillis()));
        DtlsSession session = new DtlsSession(remote, new QueuedDatagramTransport(slots, output), server, request,
                listener, stats, settings.handshakeTimeout().toNanos());
        stats.sessionOpened();
        if (first != null) {
            session.onDatagram(first); // queued for the handshake thread, which reads the ClientHello from the queue
        }
        if (!session.start(executor)) {
            stats.handshakeEnded();
            stats.sessionEnded();
            stats.increment(DtlsStats.Counter.EXECUTOR_REJECTED);
            return null;
        }
        stats.increment(DtlsStats.Counter.HANDSHAKES_STARTED);
        return session;
    }

    /** What the cookie is bound to: the client's address and port. */
    private static byte[] clientId(InetSocketAddress remote) {
        byte[] address = remote.getAddress().getAddress();
        byte[] id = new byte[address.length + 2];
        System.arraycopy(address, 0, id, 0, address.length);
        id[address.length] = (byte) (remote.getPort() >> 8);
        id[address.length + 1] = (byte) remote.getPort();
        return id;
    }

    /** Sends the HelloVerifyRequest the verifier writes, and remembers that it did. */
    private static final class CookieChallenge implements DatagramSender {

        private final DtlsOutput output;
        boolean sent;

        CookieChallenge(DtlsOutput output) {
            this.output = output;
        }

        @Override
        public int getSendLimit() {
            return QueuedDatagramTransport.SEND_LIMIT;
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            sent = true;
            output.send(buf, off, len);
        }
    }
}
