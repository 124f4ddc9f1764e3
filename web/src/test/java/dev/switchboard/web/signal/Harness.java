package dev.switchboard.web.signal;

import dev.switchboard.web.signal.state.MemoryStateMap;
import dev.switchboard.web.signal.state.RoomInfo;
import dev.switchboard.web.signal.state.RoomState;
import dev.switchboard.web.signal.ticket.Tickets;
import dev.switchboard.web.signal.ticket.UsedTickets;
import jakarta.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A signaling core on in-memory state, a hand-moved clock, a map as "database", and fake sockets. */
final class Harness {

    static final String NODE = "node-a";

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
    final MemoryStateMap roomsCache = new MemoryStateMap(clock);
    final MemoryStateMap members = new MemoryStateMap(clock);
    final MemoryStateMap userRooms = new MemoryStateMap(clock);
    final MemoryStateMap resumeTokens = new MemoryStateMap(clock);
    final MemoryStateMap pending = new MemoryStateMap(clock);
    final MemoryStateMap usedTicketIds = new MemoryStateMap(clock);
    final Map<String, RoomInfo> database = new ConcurrentHashMap<>();
    final SignalingConfig config;
    final Tickets tickets;
    final UsedTickets usedTickets;
    final RoomState state;
    final RoomDirectory directory;
    final SignalingCore core;

    Harness() {
        this(SignalingConfig.from(Map.of(
                "switchboard.signaling.resume-grace", "30",
                "switchboard.signaling.idle-timeout", "60",
                "switchboard.signaling.messages-per-second", "20",
                "switchboard.signaling.max-rooms-per-user", "3",
                "switchboard.signaling.max-pending-messages", "5",
                "switchboard.signaling.max-message-size", "1024")::get));
    }

    Harness(SignalingConfig config) {
        this(config, SfuGateway.NONE);
    }

    /** A core whose sfu rooms are served by {@code sfu}. */
    Harness(SfuGateway sfu) {
        this(SignalingConfig.from(Map.of(
                "switchboard.signaling.resume-grace", "30",
                "switchboard.signaling.idle-timeout", "60",
                "switchboard.signaling.messages-per-second", "20",
                "switchboard.signaling.max-rooms-per-user", "3",
                "switchboard.signaling.max-pending-messages", "5",
                "switchboard.signaling.max-message-size", "8192")::get), sfu);
    }

    Harness(SignalingConfig config, SfuGateway sfu) {
        this.config = config;
        this.tickets = Tickets.create("unit-test-secret", Duration.ofSeconds(60), clock);
        this.usedTickets = new UsedTickets(usedTicketIds, clock);
        this.state = new RoomState(members, userRooms, resumeTokens, pending);
        Function<String, Optional<RoomInfo>> db = id -> Optional.ofNullable(database.get(id));
        this.directory = new RoomDirectory(roomsCache, db, clock);
        this.core = new SignalingCore(config, state, directory, tickets, usedTickets, clock, NODE, sfu);
    }

    String room(String id, int max) {
        database.put(id, new RoomInfo(id, "Room " + id, "default", "owner", "p2p", max, 0, false));
        return id;
    }

    String sfuRoom(String id, int max) {
        database.put(id, new RoomInfo(id, "Room " + id, "default", "owner", "sfu", max, 0, false));
        return id;
    }

    String ticket(String room, String user) {
        return tickets.issue(room, user, "default").token();
    }

    Client connect() {
        FakeTransport t = new FakeTransport();
        return new Client(t, core.open(t));
    }

    /** Connects and joins; returns the client after checking the joined reply. */
    Client join(String room, String user) {
        Client c = connect();
        c.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + ticket(room, user) + "\"}");
        JsonObject joined = c.transport.messages().get(0);
        assertEquals("joined", joined.getString("type"), c.transport.sent.toString());
        c.id = joined.getString("participant");
        c.resumeToken = joined.getString("resumeToken");
        return c;
    }

    final class Client {
        final FakeTransport transport;
        final Link link;
        String id;
        String resumeToken;

        Client(FakeTransport transport, Link link) {
            this.transport = transport;
            this.link = link;
        }

        void send(String json) {
            core.message(link, json);
        }

        /** The socket ends without a leave (network drop, tab closed). */
        void drop() {
            core.closed(link);
        }

        int closeCode() {
            return transport.closeCode;
        }
    }
}
