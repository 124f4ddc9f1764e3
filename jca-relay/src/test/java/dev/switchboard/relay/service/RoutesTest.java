package dev.switchboard.relay.service;

import dev.switchboard.relay.transport.Demultiplexer;
import dev.switchboard.relay.transport.Outcome;
import dev.switchboard.relay.transport.PacketClass;
import dev.switchboard.relay.transport.PacketHandler;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoutesTest {

    private static final InetSocketAddress SOURCE = new InetSocketAddress("127.0.0.1", 5000);

    @Test
    void aLaterServiceReplacesAnEarlierRouteAndMayDelegateToIt() {
        PacketHandler binding = (p, s, f, b) -> Outcome.HANDLED;
        Routes routes = new Routes().route(PacketClass.STUN, binding);
        assertSame(binding, routes.handlerFor(PacketClass.STUN));

        // As the SFU's ICE-lite will: answer what it recognises, hand the rest to the service before it.
        PacketHandler before = routes.handlerFor(PacketClass.STUN);
        routes.route(PacketClass.STUN, (p, s, f, b) -> p.get(p.position() + 1) == 1 ? Outcome.MALFORMED
                : before.handle(p, s, f, b));
        routes.route(PacketClass.RTP_RTCP, (p, s, f, b) -> Outcome.HANDLED);
        Demultiplexer demux = routes.build();

        assertEquals(Outcome.MALFORMED, demux.handle(ByteBuffer.wrap(new byte[]{0, 1}), SOURCE, null, null));
        assertEquals(Outcome.HANDLED, demux.handle(ByteBuffer.wrap(new byte[]{0, 2}), SOURCE, null, null));
        assertEquals(Outcome.HANDLED, demux.handle(ByteBuffer.wrap(new byte[]{(byte) 0x80, 0}), SOURCE, null, null));
        // RFC 7983: DTLS (20-63) was routed by nobody, so it is dropped.
        assertEquals(Outcome.DROPPED, demux.handle(ByteBuffer.wrap(new byte[]{22, 0}), SOURCE, null, null));
        assertNull(routes.handlerFor(PacketClass.DTLS));
    }

    @Test
    void unknownPacketsCannotBeRouted() {
        assertThrows(IllegalArgumentException.class,
                () -> new Routes().route(PacketClass.UNKNOWN, (p, s, f, b) -> Outcome.HANDLED));
    }
}
