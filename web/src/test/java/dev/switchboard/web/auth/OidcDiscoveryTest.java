package dev.switchboard.web.auth;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OidcDiscoveryTest {

    private static final String ISSUER = "https://idp.example.com/realms/corp";
    private static final String DOC = "{\"issuer\":\"" + ISSUER + "\","
            + "\"authorization_endpoint\":\"" + ISSUER + "/protocol/openid-connect/auth\","
            + "\"token_endpoint\":\"" + ISSUER + "/protocol/openid-connect/token\","
            + "\"end_session_endpoint\":\"" + ISSUER + "/protocol/openid-connect/logout\","
            + "\"jwks_uri\":\"" + ISSUER + "/certs\"}";

    private Instant now = Instant.parse("2026-11-22T00:00:00Z");
    private final List<URI> asked = new ArrayList<>();
    private Object answer = DOC;

    private final OidcDiscovery discovery = new OidcDiscovery(uri -> {
        asked.add(uri);
        if (answer instanceof IOException e) {
            throw e;
        }
        return (String) answer;
    }, new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void theDocumentGivesTheEndpointsAndIsKeptForAnHour() throws Exception {
        OidcDiscovery.Endpoints e = discovery.endpoints(ISSUER + "/");
        assertEquals(URI.create(ISSUER + "/.well-known/openid-configuration"), asked.get(0), "no double slash");
        assertEquals(ISSUER, e.issuer());
        assertEquals(ISSUER + "/protocol/openid-connect/auth", e.authorization());
        assertEquals(ISSUER + "/protocol/openid-connect/token", e.token());
        assertEquals(ISSUER + "/protocol/openid-connect/logout", e.endSession());
        now = now.plus(Duration.ofMinutes(59));
        discovery.endpoints(ISSUER + "/");
        assertEquals(1, asked.size(), "cached");
        now = now.plus(Duration.ofMinutes(2));
        discovery.endpoints(ISSUER + "/");
        assertEquals(2, asked.size(), "asked again after an hour");
        discovery.endpoints(ISSUER);
        assertEquals(3, asked.size(), "another provider URL is another question");
    }

    @Test
    void aFailureIsReportedAndRetriedAfterTenSecondsOnly() throws Exception {
        answer = new IOException("Connection refused");
        OidcDiscovery.UnavailableException e = assertThrows(OidcDiscovery.UnavailableException.class,
                () -> discovery.endpoints(ISSUER));
        assertTrue(e.getMessage().contains("Connection refused") && e.getMessage().contains(".well-known"),
                e.getMessage());
        answer = DOC;
        assertThrows(OidcDiscovery.UnavailableException.class, () -> discovery.endpoints(ISSUER));
        assertEquals(1, asked.size(), "a failure is remembered for a moment: page loads do not hammer the IdP");
        now = now.plusSeconds(11);
        assertEquals(ISSUER, discovery.endpoints(ISSUER).issuer());
    }

    @Test
    void unusableDocumentsAreRefusedWithTheReason() {
        assertRefused("not a JSON object", "<html>");
        assertRefused("names the issuer https://evil.example.com",
                DOC.replace("\"issuer\":\"" + ISSUER, "\"issuer\":\"https://evil.example.com"));
        assertRefused("no token_endpoint", DOC.replace("token_endpoint", "x"));
        assertRefused("no authorization_endpoint", DOC.replace("authorization_endpoint", "x"));
        assertRefused("not an http(s) URL: javascript:alert(1)",
                DOC.replace(ISSUER + "/protocol/openid-connect/auth", "javascript:alert(1)"));
    }

    @Test
    void anIdpWithoutEndSessionIsFine() throws Exception {
        assertNull(OidcDiscovery.parse(ISSUER, DOC.replace("end_session_endpoint", "x")).endSession());
    }

    private static void assertRefused(String why, String doc) {
        OidcDiscovery.UnavailableException e = assertThrows(OidcDiscovery.UnavailableException.class,
                () -> OidcDiscovery.parse(ISSUER, doc));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
