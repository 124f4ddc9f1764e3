package dev.switchboard.web.signal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SignalingConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        SignalingConfig c = SignalingConfig.defaults();
        assertEquals(65536, c.maxMessageSize());
        assertEquals(50, c.messagesPerSecond());
        assertEquals(10, c.maxRoomsPerUser());
        assertEquals(50, c.maxParticipantsPerRoom());
        assertEquals(Duration.ofSeconds(60), c.idleTimeout());
        assertEquals(Duration.ofSeconds(30), c.resumeGrace());
        assertEquals(256, c.maxPendingMessages());
        assertEquals(1024, c.sendQueue());
        assertNull(c.ticketSecret());
        assertEquals(Duration.ofSeconds(60), c.ticketLifetime());
        assertEquals(List.of(), c.origins().entries(), "the page's own origin only");
    }

    @Test
    void propertiesOverrideAndBadValuesFallBack() {
        SignalingConfig c = SignalingConfig.from(Map.of(
                "switchboard.signaling.max-message-size", "4096",
                "switchboard.signaling.messages-per-second", "abc",
                "switchboard.signaling.idle-timeout", "1",
                "switchboard.signaling.resume-grace", " 5 ",
                "switchboard.signaling.ticket-secret", "s3cret",
                "switchboard.signaling.ticket-lifetime", "-3",
                "switchboard.signaling.allowed-origins", "https://App.example.com, not an origin")::get);
        assertEquals(4096, c.maxMessageSize());
        assertEquals(50, c.messagesPerSecond(), "not a number");
        assertEquals(Duration.ofSeconds(60), c.idleTimeout(), "below the minimum of 5 s");
        assertEquals(Duration.ofSeconds(5), c.resumeGrace());
        assertEquals("s3cret", c.ticketSecret());
        assertEquals(Duration.ofSeconds(60), c.ticketLifetime());
        assertEquals(List.of("https://app.example.com:443"), c.origins().entries(), "the bad entry left out");
    }
}
