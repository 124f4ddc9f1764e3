package dev.switchboard.relay.sfu.dtls;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DtlsRecordsTest {

    /** A minimal ClientHello record as RFC 6347 §4.1 and §4.2.2 lay it out: 36 bytes of body, no extensions. */
    static byte[] clientHello() {
        int body = 36 + 2 + 2 + 1 + 1; // version, random, session id, cookie; one suite; one compression method
        ByteBuffer b = ByteBuffer.allocate(DtlsRecords.RECORD_HEADER_LENGTH + DtlsRecords.HANDSHAKE_HEADER_LENGTH
                + body);
        b.put((byte) 22).putShort((short) 0xFEFF).putShort((short) 0).putShort((short) 0).putInt(0)
                .putShort((short) (DtlsRecords.HANDSHAKE_HEADER_LENGTH + body));
        b.put((byte) 1).put(uint24(body)).putShort((short) 0).put(uint24(0)).put(uint24(body));
        b.putShort((short) 0xFEFD).put(new byte[32]).put((byte) 0).put((byte) 0);
        b.putShort((short) 2).putShort((short) 0xC02B).put((byte) 1).put((byte) 0);
        return b.array();
    }

    @Test
    void recognisesAWholeClientHelloWithoutMovingTheBuffer() {
        ByteBuffer b = ByteBuffer.wrap(clientHello());
        assertTrue(DtlsRecords.isDtls(b));
        assertTrue(DtlsRecords.isClientHello(b));
        assertEquals(0, b.position());
        // At an offset, as a loop's read buffer holds it.
        ByteBuffer shifted = ByteBuffer.allocate(b.capacity() + 7);
        shifted.position(7);
        shifted.put(clientHello()).flip().position(7);
        assertTrue(DtlsRecords.isClientHello(shifted));
    }

    @Test
    void theFirstFragmentOfAClientHelloStartsOneWhoseAddressIsVerified() {
        byte[] ok = clientHello();
        assertTrue(DtlsRecords.startsClientHello(ByteBuffer.wrap(ok)), "whole");
        assertTrue(DtlsRecords.startsClientHello(with(ok, 24, 1)), "first fragment, shorter than the message");
        assertFalse(DtlsRecords.startsClientHello(with(ok, 20, 1)), "a later fragment");
        assertFalse(DtlsRecords.startsClientHello(with(ok, 13, 2)), "ServerHello");
        assertFalse(DtlsRecords.startsClientHello(with(ok, 4, 1)), "epoch 1");
        assertFalse(DtlsRecords.startsClientHello(with(ok, 11, 0x7F)), "record longer than the datagram");
        assertFalse(DtlsRecords.startsClientHello(ByteBuffer.wrap(ok, 0, 20)), "shorter than the headers");
    }

    @Test
    void rfc7983DemultiplexesByTheFirstByte() {
        assertFalse(DtlsRecords.isDtls(ByteBuffer.wrap(new byte[] {0x00, 0x01})), "STUN");
        assertFalse(DtlsRecords.isDtls(ByteBuffer.wrap(new byte[] {(byte) 0x80})), "RTP");
        assertFalse(DtlsRecords.isDtls(ByteBuffer.wrap(new byte[] {64})), "TURN channel");
        assertTrue(DtlsRecords.isDtls(ByteBuffer.wrap(new byte[] {20})));
        assertTrue(DtlsRecords.isDtls(ByteBuffer.wrap(new byte[] {63})));
        assertFalse(DtlsRecords.isDtls(ByteBuffer.allocate(0)));
    }

    @Test
    void refusesAnythingElse() {
        byte[] ok = clientHello();
        assertFalse(DtlsRecords.isClientHello(ByteBuffer.wrap(ok, 0, ok.length - 1)), "truncated");
        assertFalse(DtlsRecords.isClientHello(with(ok, 0, 23)), "application data");
        assertFalse(DtlsRecords.isClientHello(with(ok, 1, 0x03)), "TLS, not DTLS");
        assertFalse(DtlsRecords.isClientHello(with(ok, 4, 1)), "epoch 1");
        assertFalse(DtlsRecords.isClientHello(with(ok, 13, 2)), "ServerHello");
        assertFalse(DtlsRecords.isClientHello(with(ok, 20, 1)), "a later fragment");
        assertFalse(DtlsRecords.isClientHello(with(ok, 24, 1)), "fragment shorter than the message");
        assertFalse(DtlsRecords.isClientHello(with(ok, 11, 0x7F)), "record longer than the datagram");
        assertFalse(DtlsRecords.isClientHello(ByteBuffer.allocate(0)));
    }

    private static ByteBuffer with(byte[] base, int at, int value) {
        byte[] copy = base.clone();
        copy[at] = (byte) value;
        return ByteBuffer.wrap(copy);
    }

    private static byte[] uint24(int v) {
        return new byte[] {(byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }
}
