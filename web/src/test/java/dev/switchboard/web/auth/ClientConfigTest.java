package dev.switchboard.web.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClientConfigTest {

    private static final String ISSUER = "http://127.0.0.1:18091/sso";
    private final AtomicInteger fetches = new AtomicInteger();
    private final OidcDiscovery discovery = new OidcDiscovery(uri -> {
        fetches.incrementAndGet();
        return "{\"issuer\":\"" + ISSUER + "\",\"authorization_endpoint\":\"" + ISSUER + "/authorize\","
                + "\"token_endpoint\":\"" + ISSUER + "/token\"}";
    }, Clock.systemUTC());
    private final Map<String, String> props = new HashMap<>();

    @Test
    void withoutAnIdpItIsDevModeOrNothing() throws Exception {
        assertEquals(new ClientConfig("dev", null, null, null, null, null, null),
                ClientConfig.of(props::get, true, discovery));
        assertEquals("none", ClientConfig.of(props::get, false, discovery).mode());
        props.put(ClientConfig.PROVIDER_URL, "  ");
        assertEquals("dev", ClientConfig.of(props::get, true, discovery).mode());
        assertEquals(0, fetches.get(), "no IdP is asked without one configured");
    }

    @Test
    void withAnIdpThePageSignsInThereAsThePublicClient() throws Exception {
        props.put(ClientConfig.PROVIDER_URL, ISSUER);
        ClientConfig c = ClientConfig.of(props::get, false, discovery);
        assertEquals("oidc", c.mode());
        assertEquals(ISSUER, c.issuer());
        assertEquals("switchboard", c.clientId(), "the API's client id by default");
        assertEquals("openid profile", c.scope());
        assertEquals(ISSUER + "/authorize", c.authorizationEndpoint());
        assertEquals(ISSUER + "/token", c.tokenEndpoint());
        assertNull(c.endSessionEndpoint());

        props.put(ClientConfig.CLIENT_ID, "switchboard-api");
        assertEquals("switchboard-api", ClientConfig.of(props::get, false, discovery).clientId());
        props.put(ClientConfig.PUBLIC_CLIENT_ID, "switchboard-web");
        props.put(ClientConfig.SCOPE, "openid profile api://switchboard/.default");
        c = ClientConfig.of(props::get, true, discovery);
        assertEquals("oidc", c.mode(), "SSO wins over dev mode for the page");
        assertEquals("switchboard-web", c.clientId());
        assertEquals("openid profile api://switchboard/.default", c.scope());
    }
}
