package dev.switchboard.relay.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one entry point every listener hands its packets to: picks the handler for the packet's {@link PacketClass}.
 * A class nobody registered (and {@link PacketClass#UNKNOWN} always) is {@link Outcome#DROPPED} without a reply,
 * so stray traffic costs one array lookup. Immutable once built, hence safe to share between loops.
 */
public final class Demultiplexer implements PacketHandler {

    private final PacketHandler[] byClass;

    /** @param routes a handler per class; {@link PacketClass#UNKNOWN} may not be routed */
    public Demultiplexer(Map<PacketClass, ? extends PacketHandler> routes) {
        PacketHandler[] table = new PacketHandler[PacketClass.values().length];
        for (Map.Entry<PacketClass, ? extends PacketHandler> route : routes.entrySet()) {
            PacketClass packetClass = Objects.requireNonNull(route.getKey(), "packet class");
            if (packetClass == PacketClass.UNKNOWN) {
                throw new IllegalArgumentException("UNKNOWN packets are always dropped and cannot be routed");
            }
            table[packetClass.ordinal()] = Objects.requireNonNull(route.getValue(), "handler for " + packetClass);
        }
        this.byClass = table;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Outcome handle(ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch) {
        if (!packet.hasRemaining()) {
            return Outcome.DROPPED;
        }
        PacketHandler handler = byClass[PacketClass.ofFirstByte(packet.get(packet.position())).ordinal()];
        return handler == null ? Outcome.DROPPED : handler.handle(packet, source, flow, scratch);
    }

    /** The handler packets of this class go to, or {@code null} when they are dropped. */
    public PacketHandler handlerFor(PacketClass packetClass) {
        return byClass[packetClass.ordinal()];
    }

    public static final class Builder {
        private final EnumMap<PacketClass, PacketHandler> routes = new EnumMap<>(PacketClass.class);

        private Builder() {
        }

        public Builder route(PacketClass packetClass, PacketHandler handler) {
            routes.put(packetClass, handler);
            return this;
        }

        public Demultiplexer build() {
            return new Demultiplexer(routes);
        }
    }
}
