package dev.switchboard.it;

import jakarta.json.JsonObject;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Corporate SSO against a real OIDC provider (mock-oauth2-server: discovery, JWKS, RS256-signed tokens) on a loopback
 * port. The server is configured with the operator's own script, standalone-config/src/main/cli/oidc.cli, then the
 * EAR is deployed; afterwards the configuration is removed again and dev mode is back for the other tests.
 * No token → 401, a token without a Switchboard role or a user token on an admin resource → 403, another tenant's
 * room, credential or user → 404.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SsoIT {

    private static final String NAME = "switchboard-sso";
    private static final String ISSUER = OidcCli.ISSUER;

    @ArquillianResource
    private Deployer deployer;

    private MockOAuth2Server idp;

    @Deployment(name = NAME, managed = false, testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void bearerTokensFromTheIdpDecideWhoCalls() throws Exception {
        idp = new MockOAuth2Server();
        String providerUrl = OidcCli.start(idp);
        try {
            OidcCli.apply(providerUrl, Map.of());
            deployer.deploy(NAME);
            try {
                assertAll(
                        this::noTokenIs401,
                        this::devHeadersAreNotTrusted,
                        this::badTokensAre401,
                        this::aUserTokenActsForItsUserAndTenant,
                        this::keycloakRealmRolesCount,
                        this::noRoleOrTheWrongRoleIs403,
                        this::anotherTenantsThingsAre404,
                        this::apiKeysWorkBesideBearerTokens,
                        this::meIceServersAndUsageFollowTheToken);
            } finally {
                deployer.undeploy(NAME);
            }
        } finally {
            OidcCli.remove(Map.of());
            idp.shutdown();
        }
    }

    void noTokenIs401() throws Exception {
        HttpResponse<String> r = TestServer.request("GET", "/api/rooms", null);
        assertEquals(401, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        // nothing is constrained in the container: open resources stay open under bearer-only
        assertEquals(200, TestServer.request("GET", "/api/health", null).statusCode());
        assertEquals(200, TestServer.request("GET", "/api/openapi", null).statusCode());
    }

    void devHeadersAreNotTrusted() throws Exception {
        HttpResponse<String> r = TestServer.request("GET", "/api/users", null,
                "X-Switchboard-User", "root", "X-Switchboard-Roles", "admin");
        assertEquals(401, r.statusCode(), "dev mode is off with SSO: " + r.body());
    }

    void badTokensAre401() throws Exception {
        String good = token("mallory", "acme", List.of("admin"), true, 3600);
        String[] parts = good.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 4) + "AAAA." + parts[2];
        MockOAuth2Server other = new MockOAuth2Server(); // same issuer name, another signing key
        String foreign;
        try {
            other.start(InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1}), 0);
            Map<String, Object> claims = new HashMap<>(Map.of("typ", "Bearer", "preferred_username", "mallory",
                    "roles", List.of("admin"), "tenant", "acme"));
            foreign = other.issueToken(ISSUER, "switchboard", new DefaultOAuth2TokenCallback(ISSUER, "mallory", "JWT",
                    List.of("switchboard"), claims, 3600)).serialize();
        } finally {
            other.shutdown();
        }
        for (String[] bad : new String[][] {
                {"tampered payload", tampered},
                {"signed by another key", foreign},
                {"expired", token("mallory", "acme", List.of("admin"), true, -120)},
                {"no typ=Bearer claim (Elytron's default check)", token("mallory", "acme", List.of("admin"), false, 3600)},
                {"not a JWT", "abc"}}) {
            HttpResponse<String> r = TestServer.request("GET", "/api/users", null, "Authorization", "Bearer " + bad[1]);
            assertEquals(401, r.statusCode(), bad[0] + ": " + r.body());
        }
    }

    void aUserTokenActsForItsUserAndTenant() throws Exception {
        String bob = token("bob", "acme", List.of("user"), true, 3600);
        HttpResponse<String> created = as(bob, "POST", "/api/rooms", "{\"name\":\"standup\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("bob", TestServer.object(created.body()).getString("owner"), "preferred_username is the name");
        HttpResponse<String> cred = as(bob, "POST", "/api/turn/credentials", "{\"label\":\"laptop\"}");
        assertEquals(201, cred.statusCode(), cred.body());
        JsonObject c = TestServer.object(cred.body());
        assertTrue(c.getString("username").startsWith("bob."), c.toString());
        HttpResponse<String> mine = as(bob, "GET", "/api/turn/credentials?label=LAP", null);
        assertEquals(200, mine.statusCode(), mine.body());
        assertEquals(1, TestServer.array(mine.body()).size(), mine.body());
    }

    void keycloakRealmRolesCount() throws Exception {
        Map<String, Object> claims = new HashMap<>(Map.of("typ", "Bearer", "preferred_username", "kc-admin",
                "tenant", "acme", "realm_access", Map.of("roles", List.of("offline_access", "admin"))));
        String kc = idp.issueToken(ISSUER, "switchboard", new DefaultOAuth2TokenCallback(ISSUER, "kc-admin-sub", "JWT",
                List.of("switchboard"), claims, 3600)).serialize();
        HttpResponse<String> r = as(kc, "GET", "/api/users", null);
        assertEquals(200, r.statusCode(), "realm_access.roles admin is admin: " + r.body());
    }

    void noRoleOrTheWrongRoleIs403() throws Exception {
        HttpResponse<String> none = as(token("guest", "acme", List.of("viewer"), true, 3600), "GET", "/api/rooms", null);
        assertEquals(403, none.statusCode(), none.body());
        assertEquals("application/problem+json", none.headers().firstValue("Content-Type").orElse(""));
        String user = token("bob", "acme", List.of("user"), true, 3600);
        for (String[] call : new String[][] {
                {"GET", "/api/users", null},
                {"POST", "/api/users", "{\"username\":\"eve\"}"}}) {
            HttpResponse<String> r = as(user, call[0], call[1], call[2]);
            assertEquals(403, r.statusCode(), call[0] + " " + call[1] + ": " + r.body());
        }
    }

    void anotherTenantsThingsAre404() throws Exception {
        String acmeAdmin = token("ann", "acme", List.of("admin", "user"), true, 3600);
        String globexAdmin = token("gus", "globex", List.of("admin", "user"), true, 3600);
        String room = TestServer.object(as(acmeAdmin, "POST", "/api/rooms", "{\"name\":\"board\"}").body()).getString("id");
        HttpResponse<String> u = as(acmeAdmin, "POST", "/api/users", "{\"username\":\"acme-carl\"}");
        assertEquals(201, u.statusCode(), u.body());
        long user = TestServer.object(u.body()).getJsonNumber("id").longValue();
        HttpResponse<String> cr = as(acmeAdmin, "POST", "/api/turn/credentials", "{\"userId\":" + user + "}");
        assertEquals(201, cr.statusCode(), cr.body());
        long cred = TestServer.object(cr.body()).getJsonNumber("id").longValue();

        for (String[] call : new String[][] {
                {"GET", "/api/rooms/" + room}, {"DELETE", "/api/rooms/" + room},
                {"POST", "/api/rooms/" + room + "/tickets"},
                {"GET", "/api/users/" + user}, {"POST", "/api/users/" + user + "/deactivate"},
                {"GET", "/api/users/" + user + "/credentials"},
                {"GET", "/api/turn/credentials/" + cred}, {"POST", "/api/turn/credentials/" + cred + "/disable"},
                {"DELETE", "/api/turn/credentials/" + cred}, {"GET", "/api/turn/credentials/" + cred + "/usage"}}) {
            HttpResponse<String> r = as(globexAdmin, call[0], call[1], null);
            assertEquals(404, r.statusCode(), "globex " + call[0] + " " + call[1] + ": " + r.body());
        }
        HttpResponse<String> cross = as(globexAdmin, "POST", "/api/turn/credentials", "{\"userId\":" + user + "}");
        assertEquals(404, cross.statusCode(), "a credential for another tenant's user: " + cross.body());
        assertTrue(TestServer.array(as(globexAdmin, "GET", "/api/rooms", null).body()).stream()
                .noneMatch(v -> v.asJsonObject().getString("id").equals(room)), "acme's room is not listed for globex");
        assertTrue(as(globexAdmin, "GET", "/api/users", null).body().equals("[]"), "globex has no users");
        assertTrue(as(globexAdmin, "GET", "/api/turn/credentials", null).body().equals("[]"), "nor credentials");
        // and acme still has all of it
        assertEquals(200, as(acmeAdmin, "GET", "/api/rooms/" + room, null).statusCode());
        assertEquals(200, as(acmeAdmin, "GET", "/api/turn/credentials/" + cred, null).statusCode());
    }

    /** Measured: no URL is constrained, so a request with X-Api-Key and no bearer token reaches the application. */
    void apiKeysWorkBesideBearerTokens() throws Exception {
        String acmeAdmin = token("ann", "acme", List.of("admin", "user"), true, 3600);
        HttpResponse<String> created = as(acmeAdmin, "POST", "/api/api-keys", "{\"name\":\"ci-bot\",\"role\":\"user\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject k = TestServer.object(created.body());
        String key = k.getString("key");
        HttpResponse<String> rooms = TestServer.request("POST", "/api/rooms", "{\"name\":\"nightly\"}", "X-Api-Key", key);
        assertEquals(201, rooms.statusCode(), rooms.body());
        assertEquals("ci-bot", TestServer.object(rooms.body()).getString("owner"));
        String room = TestServer.object(rooms.body()).getString("id");
        assertEquals(200, as(acmeAdmin, "GET", "/api/rooms/" + room, null).statusCode(), "the key acts in acme");
        assertEquals(403, TestServer.request("GET", "/api/users", null, "X-Api-Key", key).statusCode(),
                "a user-role key is no admin");
        assertTrue(as(acmeAdmin, "GET", "/api/api-keys", null).body().contains("ci-bot"));
        assertTrue(!as(acmeAdmin, "GET", "/api/api-keys", null).body().contains(key), "the key is shown once only");
        assertEquals(204, as(acmeAdmin, "DELETE", "/api/api-keys/" + k.getJsonNumber("id").longValue(), null).statusCode());
        assertEquals(401, TestServer.request("GET", "/api/rooms", null, "X-Api-Key", key).statusCode(), "revoked");
        assertEquals(401, TestServer.request("GET", "/api/rooms", null, "X-Api-Key", "sbk_made-up").statusCode());
    }

    /** The caller-scoped endpoints: no token → 401, no role → 403, a token → what its claims say. */
    void meIceServersAndUsageFollowTheToken() throws Exception {
        String viewer = token("guest", "acme", List.of("viewer"), true, 3600);
        for (String path : new String[] {"/api/me", "/api/ice-servers", "/api/usage", "/api/turn/credentials",
                "/api/api-keys", "/api/users/1/rooms", "/api/relay/listeners", "/api/relay/events"}) {
            HttpResponse<String> none = TestServer.request("GET", path, null);
            assertEquals(401, none.statusCode(), "no token, " + path + ": " + none.body());
            assertEquals("application/problem+json", none.headers().firstValue("Content-Type").orElse(""), path);
            assertEquals(403, as(viewer, "GET", path, null).statusCode(), "no Switchboard role, " + path);
        }
        String user = token("bob", "acme", List.of("user"), true, 3600);
        assertEquals(403, as(user, "GET", "/api/api-keys", null).statusCode(), "a user is no admin");
        // the relay's own addresses and events are the operator's
        assertEquals(403, as(user, "GET", "/api/relay/listeners", null).statusCode(), "a user is no admin");
        assertEquals(403, as(user, "GET", "/api/relay/events", null).statusCode(), "a user is no admin");
        String admin = token("ann", "acme", List.of("admin"), true, 3600);
        assertEquals(200, as(admin, "GET", "/api/relay/listeners", null).statusCode());
        assertEquals(200, as(admin, "GET", "/api/relay/events", null).statusCode());

        JsonObject me = TestServer.object(as(user, "GET", "/api/me", null).body());
        assertEquals("bob", me.getString("user"), me.toString());
        assertEquals("acme", me.getString("tenant"), me.toString());
        assertEquals("[\"user\"]", me.getJsonArray("roles").toString());

        HttpResponse<String> ice = as(user, "GET", "/api/ice-servers", null);
        assertEquals(200, ice.statusCode(), ice.body());
        String turnUser = TestServer.array(ice.body()).getJsonObject(1).getString("username");
        assertTrue(turnUser.endsWith(":acme/bob"), "minted for the token's user in its tenant: " + turnUser);

        HttpResponse<String> usage = as(user, "GET", "/api/usage", null);
        assertEquals(200, usage.statusCode(), usage.body());
        assertTrue(TestServer.array(usage.body()).stream().allMatch(v -> v.asJsonObject().getString("username").equals("bob")),
                usage.body());
    }

    private String token(String user, String tenant, List<String> roles, boolean typBearer, long lifetime) {
        Map<String, Object> claims = new HashMap<>(Map.of("preferred_username", user, "roles", roles, "tenant", tenant));
        if (typBearer) {
            claims.put("typ", "Bearer"); // Keycloak's access tokens carry it, and Elytron checks it by default
        }
        return idp.issueToken(ISSUER, "switchboard", new DefaultOAuth2TokenCallback(ISSUER, user + "-subject", "JWT",
                List.of("switchboard"), claims, lifetime)).serialize();
    }

    private static HttpResponse<String> as(String token, String method, String path, String json) throws Exception {
        return TestServer.request(method, path, json, "Authorization", "Bearer " + token);
    }
}
