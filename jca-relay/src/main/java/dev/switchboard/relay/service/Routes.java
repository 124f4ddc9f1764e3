package dev.switchboard.relay.service;

import dev.switchboard.relay.transport.Demultiplexer;
import dev.switchboard.relay.transport.PacketClass;
import dev.switchboard.relay.transport.PacketHandler;

import java.util.EnumMap;
import java.util.Objects;

/**
 * The handlers the services of one loop contribute, one per {@link PacketClass}, built into that loop's
 * {@link Demultiplexer}. On the shared client-facing port the first byte tells the protocols apart (RFC 7983, RFC
 * 8656 §18): STUN 0–3, DTLS 20–63, TURN ChannelData 64–127, RTP/RTCP 128–191. Not thread-safe: filled on one thread
 * before the listeners open.
 */
public final class Routes {

    private final EnumMap<PacketClass, PacketHandler> routes = new EnumMap<>(PacketClass.class);

    /** Routes {@code packetClass} to {@code handler}, replacing an earlier service's route for it. */
    public Routes route(PacketClass packetClass, PacketHandler handler) {
        if (packetClass == PacketClass.UNKNOWN) {
            throw new IllegalArgumentException("UNKNOWN packets are always dropped and cannot be routed");
        }
        routes.put(packetClass, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** The handler routed so far for {@code packetClass}, or null: for a service that delegates what is not its own. */
    public PacketHandler handlerFor(PacketClass packetClass) {
        return routes.get(packetClass);
    }

    public Demultiplexer build() {
        return new Demultiplexer(routes);
    }
}
