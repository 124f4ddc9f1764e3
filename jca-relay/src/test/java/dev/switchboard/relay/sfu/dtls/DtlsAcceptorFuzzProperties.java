package dev.switchboard.relay.sfu.dtls;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.SRTPProtectionProfile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a stranger sends before a session exists, {@link DtlsAcceptor#accept} returns null without throwing and
 * keeps nothing; whatever reaches a session's {@link DtlsSession#onDatagram}, nothing is thrown and no more than its
 * bounded queue is held. 36 000 inputs: random bytes, random bodies behind a ClientHello's headers (so Bouncy
 * Castle's parser and the cookie check are reached), mutations of a real ClientHello from Bouncy Castle's client
 * (flipped, overwritten, inserted and deleted bytes, truncation, extension), and random datagrams to a session.
 */
class DtlsAcceptorFuzzProperties {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DtlsIdentity SERVER = DtlsIdentity.generate("switchboard", RANDOM);
    private static final DtlsIdentity CLIENT = DtlsIdentity.generate("client", RANDOM);
    private static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_000);
    private static final byte[] CLIENT_HELLO = firstClientHello();

    // Handshake tasks are collected, never run: a session made from fuzz would stay visible (and nothing is spent).
    private final List<Runnable> handshakes = new ArrayList<>();
    private final DtlsAcceptor acceptor = new DtlsAcceptor(SERVER, new DtlsSettings(4, Duration.ofSeconds(10)),
            handshakes::add, RANDOM);
    private final DtlsOutput replies = (buf, off, len) -> assertTrue(len <= QueuedDatagramTransport.SEND_LIMIT);
    private final DtlsSession.Listener listener = new DtlsSession.Listener() {
        @Override
        public void connected(DtlsSession session, SrtpKeyingMaterial keys) {
            throw new AssertionError("no handshake runs here");
        }

        @Override
        public void closed(DtlsSession session, DtlsCloseReason reason) {
        }
    };

    @Property(tries = 10_000)
    void randomBytesMakeNoSession(@ForAll @Size(max = 1500) byte[] bytes) {
        assertNoSession(bytes);
    }

    @Property(tries = 8_000)
    void randomBodiesBehindClientHelloHeadersMakeNoSession(@ForAll @Size(max = 600) byte[] body,
                                                           @ForAll @IntRange(max = 3) int version) {
        int[] versions = {0xFEFF, 0xFEFD, 0xFEFC, 0x0303};
        ByteBuffer b = ByteBuffer.allocate(DtlsRecords.RECORD_HEADER_LENGTH + DtlsRecords.HANDSHAKE_HEADER_LENGTH
                + body.length);
        b.put((byte) 22).putShort((short) versions[version]).putShort((short) 0).putShort((short) 0).putInt(0)
                .putShort((short) (DtlsRecords.HANDSHAKE_HEADER_LENGTH + body.length));
        b.put((byte) 1).put(uint24(body.length)).putShort((short) 0).put(uint24(0)).put(uint24(body.length));
        b.put(body);
        assertNoSession(b.array());
    }

    @Property(tries = 10_000)
    void mutatedClientHellosMakeNoSession(@ForAll("mutations") List<Mutation> mutations) {
        byte[] mutated = CLIENT_HELLO;
        for (Mutation m : mutations) {
            mutated = m.apply(mutated);
        }
        assertNoSession(mutated);
    }

    @Property(tries = 8_000)
    void aSessionTakesAnyDatagramWithoutThrowingOrGrowing(@ForAll @Size(max = 2100) byte[] bytes) {
        DtlsSession session = sessionFromARealClient();
        session.onDatagram(ByteBuffer.wrap(bytes));
        assertTrue(session.state() == DtlsSession.State.HANDSHAKING);
        assertTrue(acceptor.stats().get(DtlsStats.Counter.DATAGRAMS_DROPPED) + QueuedDatagramTransport.QUEUE_CAPACITY
                >= sessionDatagrams);
        sessionDatagrams++;
    }

    private void assertNoSession(byte[] datagram) {
        assertNull(acceptor.accept(REMOTE, ByteBuffer.wrap(datagram), replies, CLIENT.fingerprint(), listener));
        assertEquals(0, acceptor.stats().openSessions());
        assertTrue(handshakes.isEmpty());
    }

    // ------------------------------------------------------------------ a session that never handshakes

    // jqwik makes one instance per property: one session serves all its tries.
    private DtlsSession session;
    private int sessionDatagrams = 1;

    /** One session for the whole property, made by Bouncy Castle's client through the cookie exchange. */
    private DtlsSession sessionFromARealClient() {
        if (session == null) {
            LinkedBlockingQueue<byte[]> toClient = new LinkedBlockingQueue<>();
            DtlsOutput output = (buf, off, len) -> toClient.offer(Arrays.copyOfRange(buf, off, off + len));
            DtlsSession[] made = new DtlsSession[1];
            DatagramTransport wire = new ClientWire(toClient) {
                @Override
                public void send(byte[] buf, int off, int len) {
                    if (made[0] == null) {
                        made[0] = acceptor.accept(REMOTE, ByteBuffer.wrap(buf, off, len), output,
                                CLIENT.fingerprint(), listener);
                    }
                }
            };
            TestDtlsClient client = new TestDtlsClient(CLIENT, SERVER.fingerprint(), 500,
                    SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM);
            try {
                client.connect(wire);
            } catch (IOException expected) {
                // no ServerHello ever comes: the client gives up; the session stays
            }
            assertNotNull(made[0], "the cookie round trip made a session");
            session = made[0];
        }
        return session;
    }

    /** Bouncy Castle's first (cookieless) ClientHello, captured as it is sent. */
    private static byte[] firstClientHello() {
        byte[][] captured = new byte[1][];
        DatagramTransport wire = new ClientWire(new LinkedBlockingQueue<>()) {
            @Override
            public void send(byte[] buf, int off, int len) throws IOException {
                captured[0] = Arrays.copyOfRange(buf, off, off + len);
                throw new IOException("captured");
            }
        };
        try {
            new TestDtlsClient(CLIENT, SERVER.fingerprint(), 500, SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM,
                    SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80).connect(wire);
        } catch (IOException expected) {
            // stopped after the first send
        }
        assertTrue(DtlsRecords.isClientHello(ByteBuffer.wrap(captured[0])));
        return captured[0];
    }

    private abstract static class ClientWire implements DatagramTransport {
        private final LinkedBlockingQueue<byte[]> inbox;

        ClientWire(LinkedBlockingQueue<byte[]> inbox) {
            this.inbox = inbox;
        }

        @Override
        public int getReceiveLimit() {
            return 2048;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            try {
                byte[] d = inbox.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (d == null) {
                    return -1;
                }
                System.arraycopy(d, 0, buf, off, Math.min(len, d.length));
                return Math.min(len, d.length);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
        }

        @Override
        public void close() {
        }
    }

    // ------------------------------------------------------------------ mutations

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 4096), Arbitraries.integers().between(0, 0xFFFF))
                .as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    record Mutation(int kind, int position, int value) {

        byte[] apply(byte[] b) {
            int at = b.length == 0 ? 0 : Math.floorMod(position, b.length);
            switch (kind) {
                case 0: // flip bits
                    if (b.length > 0) {
                        b = b.clone();
                        b[at] ^= (byte) (value | 1);
                    }
                    return b;
                case 1: // overwrite a byte
                    if (b.length > 0) {
                        b = b.clone();
                        b[at] = (byte) value;
                    }
                    return b;
                case 2: // truncate
                    return Arrays.copyOf(b, at);
                case 3: { // extend
                    byte[] out = Arrays.copyOf(b, b.length + 1 + (value & 63));
                    Arrays.fill(out, b.length, out.length, (byte) (value >>> 8));
                    return out;
                }
                case 4: { // insert bytes
                    int n = 1 + (value & 7);
                    byte[] out = new byte[b.length + n];
                    System.arraycopy(b, 0, out, 0, at);
                    Arrays.fill(out, at, at + n, (byte) (value >>> 8));
                    System.arraycopy(b, at, out, at + n, b.length - at);
                    return out;
                }
                case 5: { // delete bytes
                    int n = Math.min(1 + (value & 15), b.length - at);
                    byte[] out = new byte[b.length - n];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + n, out, at, b.length - at - n);
                    return out;
                }
                default: { // overwrite a 16-bit length field of the record or handshake header
                    int[] fields = {11, 14, 15, 20, 23};
                    if (b.length < 25) {
                        return b;
                    }
                    b = b.clone();
                    int f = fields[Math.floorMod(position, fields.length)];
                    b[f] = (byte) (value >>> 8);
                    b[f + 1] = (byte) value;
                    return b;
                }
            }
        }
    }

    private static byte[] uint24(int v) {
        return new byte[] {(byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }
}
