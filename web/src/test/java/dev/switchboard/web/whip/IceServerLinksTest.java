package dev.switchboard.web.whip;

import dev.switchboard.web.ice.IceServers.IceServer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 9725 §4.6: one Link per ICE server URL, TURN ones with their credential (the example's shape). */
class IceServerLinksTest {

    @Test
    void stunAndTurnAsRfc9725ShowsThem() {
        List<IceServer> servers = List.of(
                new IceServer(List.of("stun:203.0.113.5:3478"), null, null),
                new IceServer(List.of("turn:203.0.113.5:3478?transport=udp", "turns:[2001:db8::5]:5349?transport=tcp"),
                        "1765200000:alice", "b64+/=secret"));
        assertEquals(List.of(
                "<stun:203.0.113.5:3478>; rel=\"ice-server\"",
                "<turn:203.0.113.5:3478?transport=udp>; rel=\"ice-server\"; username=\"1765200000:alice\";"
                        + " credential=\"b64+/=secret\"; credential-type=\"password\"",
                "<turns:[2001:db8::5]:5349?transport=tcp>; rel=\"ice-server\"; username=\"1765200000:alice\";"
                        + " credential=\"b64+/=secret\"; credential-type=\"password\""),
                IceServerLinks.of(servers));
    }

    @Test
    void noServersNoLinks() {
        assertEquals(List.of(), IceServerLinks.of(List.of()));
    }

    @Test
    void quotesAndBackslashesAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\"", IceServerLinks.quoted("a\"b\\c"));
    }
}
