package dev.switchboard.relay.sfu.dtls;

import dev.switchboard.relay.ByteMutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
    private static final byte[] CLIENT_HELLO = ClientHellos.first(CLIENT, SERVER.fingerprint());

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

    /** One session for the whole property, made from Bouncy Castle's client through the cookie exchange. */
    private DtlsSession sessionFromARealClient() {
        if (session == null) {
            byte[] hello = ClientHellos.withCookie(acceptor, REMOTE, CLIENT, SERVER.fingerprint());
            session = acceptor.accept(REMOTE, ByteBuffer.wrap(hello), replies, CLIENT.fingerprint(), listener);
            assertNotNull(session, "the cookie round trip made a session");
        }
        return session;
    }

    // ------------------------------------------------------------------ mutations

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, ByteMutations.KINDS),
                Arbitraries.integers().between(0, 4096), Arbitraries.integers().between(0, 0xFFFF))
                .as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    record Mutation(int kind, int position, int value) {

        /** The generic mutations, or a length field of the record or handshake header overwritten. */
        byte[] apply(byte[] b) {
            if (kind < ByteMutations.KINDS) {
                return ByteMutations.apply(kind, position, value, b);
            }
            int[] lengthFields = {11, 14, 15, 20, 23};
            return ByteMutations.patch16(b, lengthFields[Math.floorMod(position, lengthFields.length)], value);
        }
    }

    private static byte[] uint24(int v) {
        return new byte[] {(byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }
}
