package dev.switchboard.web.http;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecurityHeadersTest {

    @Test
    void withoutSsoThePageTalksToItsOwnOriginOnly() {
        String csp = SecurityHeaders.contentSecurityPolicy(Map.<String, String>of()::get);
        assertTrue(csp.contains("connect-src 'self';"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertTrue(csp.contains("script-src 'self';"), csp);
        assertTrue(csp.startsWith("default-src 'none';"), csp);
        assertFalse(csp.contains("unsafe"), csp);
    }

    @Test
    void theIdpOriginMayBeFetchedWithSso() {
        String csp = SecurityHeaders.contentSecurityPolicy(Map.of(
                "switchboard.oidc.provider-url", "https://login.example.com:8443/realms/acme/")::get);
        assertTrue(csp.contains("connect-src 'self' https://login.example.com:8443;"), csp);
    }

    @Test
    void extraOriginsAreAddedAndAnythingElseIsDropped() {
        String csp = SecurityHeaders.contentSecurityPolicy(Map.of(
                "switchboard.oidc.provider-url", "https://accounts.google.com",
                SecurityHeaders.CONNECT_SRC, "https://oauth2.googleapis.com, 'unsafe-inline' https://x;script-src *,"
                        + " http://[::1]:9000 https://user@evil.example javascript:alert(1)")::get);
        assertTrue(csp.contains("connect-src 'self' https://accounts.google.com https://oauth2.googleapis.com"
                + " http://[::1]:9000;"), csp);
        assertFalse(csp.contains("unsafe"), csp);
        assertFalse(csp.contains("evil"), csp);
        assertFalse(csp.contains("*"), csp);
    }

    @Test
    void originsOfUrls() {
        assertEquals("http://127.0.0.1:18080", SecurityHeaders.origin("http://127.0.0.1:18080/default/x?y"));
        assertEquals("https://idp.example", SecurityHeaders.origin("HTTPS://IdP.example"));
        assertNull(SecurityHeaders.origin("not a url"));
        assertNull(SecurityHeaders.origin("/relative"));
        assertNull(SecurityHeaders.origin("data:text/html,x"));
    }
}
