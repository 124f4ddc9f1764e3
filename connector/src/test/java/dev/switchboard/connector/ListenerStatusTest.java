package dev.switchboard.connector;

import dev.switchboard.connector.inbound.ListenerEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListenerStatusTest {

    @Test
    void onlyUpIsUp() {
        assertTrue(status(ListenerState.UP).isUp());
        assertFalse(status(ListenerState.DOWN).isUp());
        assertFalse(status(ListenerState.FAILED).isUp());
    }

    /** Events cross module (and later node) boundaries: they must survive serialization intact. */
    @Test
    void eventsSerialize() throws Exception {
        ListenerEvent event = new ListenerEvent(Instant.parse("2026-11-21T10:00:00Z"), "node1", status(ListenerState.UP));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(event);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(event, in.readObject());
        }
    }

    private static ListenerStatus status(ListenerState state) {
        return new ListenerStatus("stun-udp/127.0.0.1:3478", "udp", "127.0.0.1", 3478, state, "",
                new TrafficCounters(1, 2, 3, 4, 5, 6, 7));
    }
}
