package dev.switchboard.web.signal.ticket;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.web.signal.MutableClock;
import dev.switchboard.web.signal.protocol.CloseCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TicketsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
    private final Tickets tickets = Tickets.create("secret", Duration.ofSeconds(60), clock);

    @Test
    void aFreshTicketAdmitsItsUserToItsRoom() throws Exception {
        Tickets.Issued t = tickets.issue("room1", "alice", "acme");
        assertEquals(clock.instant().plusSeconds(60), t.expiresAt());
        Tickets.Claims c = tickets.verify(t.token(), "room1");
        assertEquals("alice", c.user());
        assertEquals("acme", c.tenant());
        assertEquals("room1", c.room());
        assertEquals(t.expiresAt(), c.expiresAt());
        String jti = SignedJWT.parse(t.token()).getJWTClaimsSet().getJWTID();
        assertEquals("jti:" + jti, c.id(), "our tickets carry a jti, and it is the ticket's id");
        assertNotEquals(c.id(), tickets.verify(tickets.issue("room1", "alice", "acme").token(), "room1").id(),
                "every ticket has its own");
    }

    @Test
    void aTicketWithoutAUsableJtiIsKnownByItsHash() throws Exception {
        byte[] key = Tickets.sha256("secret".getBytes(StandardCharsets.UTF_8));
        String none = sign(key, claims("room1"));
        String id = tickets.verify(none, "room1").id();
        assertTrue(id.startsWith("sha256:"), id);
        assertEquals(id, tickets.verify(none, "room1").id(), "the same ticket, the same id");
        String other = sign(key, claims("room1").subject("carol"));
        assertNotEquals(id, tickets.verify(other, "room1").id());
        String huge = sign(key, claims("room1").jwtID("x".repeat(Tickets.MAX_ID_LENGTH + 1)));
        assertTrue(tickets.verify(huge, "room1").id().startsWith("sha256:"), "an oversized jti is not a cache key");
    }

    @Test
    void expiryHasAFewSecondsOfSkewAndNoMore() throws Exception {
        Tickets.Issued t = tickets.issue("room1", "alice", "acme");
        clock.advance(Duration.ofSeconds(64));
        tickets.verify(t.token(), "room1");
        clock.advance(Duration.ofSeconds(2));
        assertCode(CloseCode.TICKET_EXPIRED, t.token(), "room1");
    }

    @Test
    void wrongRoomTamperingAndForeignKeysAreRefused() {
        String token = tickets.issue("room1", "alice", "acme").token();
        assertCode(CloseCode.TICKET_WRONG_ROOM, token, "room2");
        String[] parts = token.split("\\.");
        String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("room1", "room2").getBytes(StandardCharsets.UTF_8));
        assertCode(CloseCode.TICKET_INVALID, parts[0] + "." + forgedPayload + "." + parts[2], "room2");
        assertCode(CloseCode.TICKET_INVALID, Tickets.create("other", Duration.ofSeconds(60), clock)
                .issue("room1", "alice", "acme").token(), "room1");
        assertCode(CloseCode.TICKET_INVALID, Tickets.create(null, Duration.ofSeconds(60), clock)
                .issue("room1", "alice", "acme").token(), "room1");
        assertCode(CloseCode.TICKET_INVALID, "garbage", "room1");
        assertCode(CloseCode.TICKET_INVALID, "a.b.c", "room1");
    }

    @Test
    void unsignedAndOtherAlgorithmsAreRefused() throws Exception {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String payload = tickets.issue("room1", "alice", "acme").token().split("\\.")[1];
        assertCode(CloseCode.TICKET_INVALID, header + "." + payload + ".", "room1");

        byte[] key = Tickets.sha256("secret".getBytes(StandardCharsets.UTF_8));
        byte[] longKey = new byte[64];
        System.arraycopy(key, 0, longKey, 0, 32);
        SignedJWT hs512 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), claims("room1").build());
        hs512.sign(new MACSigner(longKey));
        assertCode(CloseCode.TICKET_INVALID, hs512.serialize(), "room1");
    }

    @Test
    void ticketsNeedIssuerAudienceAndClaims() throws Exception {
        byte[] key = Tickets.sha256("secret".getBytes(StandardCharsets.UTF_8));
        assertCode(CloseCode.TICKET_INVALID, sign(key, claims("room1").issuer("someone-else")), "room1");
        assertCode(CloseCode.TICKET_INVALID, sign(key, claims("room1").audience("api")), "room1");
        assertCode(CloseCode.TICKET_INVALID, sign(key, claims("room1").subject(null)), "room1");
        assertCode(CloseCode.TICKET_INVALID, sign(key, claims("room1").claim("tenant", 5)), "room1");
        assertCode(CloseCode.TICKET_INVALID, sign(key, claims("room1").expirationTime(null)), "room1");
        assertCode(CloseCode.TICKET_INVALID, sign(key, claims("room1").issueTime(Date.from(clock.instant().plusSeconds(60)))), "room1");
        assertEquals("bob", tickets.verify(sign(key, claims("room1")), "room1").user());
    }

    private JWTClaimsSet.Builder claims(String room) {
        return new JWTClaimsSet.Builder().issuer(Tickets.ISSUER).audience(Tickets.AUDIENCE).subject("bob")
                .claim("room", room).claim("tenant", "default")
                .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plusSeconds(30)));
    }

    private static String sign(byte[] key, JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }

    private void assertCode(CloseCode expected, String token, String room) {
        TicketException e = assertThrows(TicketException.class, () -> tickets.verify(token, room));
        assertEquals(expected, e.closeCode(), e.getMessage());
    }
}
