package dev.switchboard.relay.sfu.dtls;

import org.bouncycastle.tls.SRTPProtectionProfile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real ClientHellos from Bouncy Castle's client, captured as they are sent. */
final class ClientHellos {

    static final DtlsSession.Listener IGNORED = new DtlsSession.Listener() {
        @Override
        public void connected(DtlsSession session, SrtpKeyingMaterial keys) {
        }

        @Override
        public void closed(DtlsSession session, DtlsCloseReason reason) {
        }
    };

    private ClientHellos() {
    }

    /** The first, cookieless ClientHello (offering AEAD-GCM and SHA1_80). */
    static byte[] first(DtlsIdentity client, Fingerprint server) {
        byte[][] captured = new byte[1][];
        InboxTransport wire = new InboxTransport() {
            @Override
            public void send(byte[] buf, int off, int len) throws IOException {
                if (captured[0] == null) {
                    captured[0] = Arrays.copyOfRange(buf, off, off + len);
                }
                throw new IOException("captured");
            }
        };
        connect(client, server, wire);
        assertNotNull(captured[0]);
        assertTrue(DtlsRecords.isClientHello(ByteBuffer.wrap(captured[0])));
        return captured[0];
    }

    /**
     * The second ClientHello, carrying the cookie {@code acceptor} gave {@code remote} for the first; not yet
     * presented to the acceptor (which therefore has no session for it).
     */
    static byte[] withCookie(DtlsAcceptor acceptor, InetSocketAddress remote, DtlsIdentity client,
                             Fingerprint server) {
        byte[][] second = new byte[1][];
        InboxTransport wire = new InboxTransport() {
            private int sends;

            @Override
            public void send(byte[] buf, int off, int len) throws IOException {
                byte[] datagram = Arrays.copyOfRange(buf, off, off + len);
                if (sends++ > 0) {
                    if (second[0] == null) {
                        second[0] = datagram; // not the alert the client sends when this send fails
                    }
                    throw new IOException("captured");
                }
                // The HelloVerifyRequest lands in the inbox before this returns: the next send answers it.
                DtlsOutput toClient = (b, o, l) -> inbox.offer(Arrays.copyOfRange(b, o, o + l));
                assertNull(acceptor.accept(remote, ByteBuffer.wrap(datagram), toClient, client.fingerprint(),
                        IGNORED));
            }
        };
        connect(client, server, wire);
        assertNotNull(second[0], "the client answered the HelloVerifyRequest");
        return second[0];
    }

    private static void connect(DtlsIdentity client, Fingerprint server, InboxTransport wire) {
        try {
            new TestDtlsClient(client, server, 5_000, SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM,
                    SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80).connect(wire);
        } catch (IOException expected) {
            // stopped on purpose after the capture
        }
    }
}
