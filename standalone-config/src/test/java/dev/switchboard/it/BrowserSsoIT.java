package dev.switchboard.it;

import jakarta.json.JsonObject;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The browser page signs in through single sign-on: headless Chromium drives the real page through the real OIDC
 * authorization code flow with PKCE against mock-oauth2-server (its interactive login form; discovery, JWKS, signed
 * tokens) on a loopback port, the server configured with the operator's oidc.cli (as in {@link SsoIT}) and a public
 * client id of its own. Shown: the page learns the IdP from {@code /api/client-config}, redirects with state and an
 * S256 challenge, trades the code cross-origin (mock-oauth2-server answers CORS for any origin: nothing to configure),
 * cleans the address, shows whom the server maps the token to, creates a room and joins it through signaling — the
 * room belonging to the token's user and tenant as the REST API shows to other tokens; a refused token is renewed with
 * the refresh token, and without one the page signs in again at the IdP and comes back; sign-out ends the IdP session.
 * A callback whose {@code state} this tab did not issue (login CSRF with an attacker's genuine code) is refused and
 * the code is never redeemed. Afterwards the server is back in dev mode for the other tests.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserSsoIT {

    private static final String NAME = "switchboard-browser-sso";
    private static final String ISSUER = OidcCli.ISSUER;
    private static final String PUBLIC_CLIENT = "switchboard-web";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    private Deployer deployer;

    private MockOAuth2Server idp;
    private final List<Chromium> browsers = new ArrayList<>();

    @Deployment(name = NAME, managed = false, testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void thePageSignsInWithTheCodeFlowAndCallsTheApiWithItsToken() throws Exception {
        idp = new MockOAuth2Server(OAuth2Config.Companion.fromJson("{\"interactiveLogin\":true}"));
        String providerUrl = OidcCli.start(idp);
        Map<String, String> properties = Map.of("switchboard.oidc.public-client-id", PUBLIC_CLIENT);
        try {
            OidcCli.apply(providerUrl, properties);
            deployer.deploy(NAME);
            try {
                clientConfigNamesTheIdp(providerUrl);
                String room = signInCreateAndJoin();
                aRefusedTokenIsRenewedWithTheRefreshToken(room);
                withoutARefreshTokenThePageSignsInAgain();
                signOutEndsTheSession();
                aCallbackThisTabDidNotStartIsRefused();
            } finally {
                browsers.forEach(Chromium::close);
                deployer.undeploy(NAME);
            }
        } finally {
            OidcCli.remove(properties);
            idp.shutdown();
        }
    }

    private void clientConfigNamesTheIdp(String providerUrl) throws Exception {
        HttpResponse<String> r = TestServer.request("GET", "/api/client-config", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject c = TestServer.object(r.body());
        assertEquals("oidc", c.getString("mode"), r.body());
        assertEquals(providerUrl, c.getString("issuer"));
        assertEquals(PUBLIC_CLIENT, c.getString("clientId"));
        assertEquals("openid profile", c.getString("scope"));
        assertEquals(providerUrl + "/authorize", c.getString("authorizationEndpoint"), "from discovery");
        assertEquals(providerUrl + "/token", c.getString("tokenEndpoint"));
        assertEquals(providerUrl + "/endsession", c.getString("endSessionEndpoint"));
    }

    // ---- the code flow through the page

    private String signInCreateAndJoin() throws Exception {
        Chromium b = browser("bob");
        String user = Rooms.unique("bob");
        String tenant = Rooms.unique("acme");
        b.driver().get(TestServer.BASE + "/");
        clickSignIn(b);
        Map<String, String> authorize = query(b.driver().getCurrentUrl());
        assertEquals("code", authorize.get("response_type"), authorize.toString());
        assertEquals(PUBLIC_CLIENT, authorize.get("client_id"), "switchboard.oidc.public-client-id");
        assertEquals(TestServer.BASE + "/", authorize.get("redirect_uri"));
        assertEquals("S256", authorize.get("code_challenge_method"));
        assertEquals(43, authorize.get("code_challenge").length(), "base64url of SHA-256: " + authorize);
        assertTrue(authorize.get("state").length() >= 43 && authorize.get("nonce").length() >= 43, authorize.toString());
        login(b, user, tenant, "user");

        Map<String, Object> st = waitFor(b, "the page to be signed in", s -> user.equals(s.get("user")));
        assertEquals(tenant, st.get("tenant"), "the tenant the server maps from the token's claim: " + st);
        assertEquals(List.of("user"), st.get("roles"));
        assertEquals(TestServer.BASE + "/", b.driver().getCurrentUrl(), "code and state are gone from the address");
        String whoami = b.driver().findElement(By.id("whoami")).getText();
        assertTrue(whoami.contains(user) && whoami.contains(tenant) && whoami.contains("single sign-on"), whoami);
        assertTrue(b.driver().findElement(By.id("signout")).isDisplayed());
        assertFalse(b.driver().findElement(By.id("signin")).isDisplayed());
        Map<String, Object> stored = session(b);
        assertNotNull(stored.get("token"), "the access token is in sessionStorage");
        assertNull(script(b, "return sessionStorage.getItem('switchboard.oidc.pending');"), "the pending sign-in is used up");

        b.driver().findElement(By.id("room-name")).clear();
        b.driver().findElement(By.id("room-name")).sendKeys("sso call");
        b.driver().findElement(By.id("create-button")).click();
        st = waitFor(b, "the room to be joined", BrowserSsoIT::joined);
        String room = (String) st.get("room");

        // the API calls carried bob's token: the room is bob's, in bob's tenant, and bob is in it
        String tenantAdmin = token("admin-" + tenant, tenant, List.of("admin", "user"));
        HttpResponse<String> seen = TestServer.request("GET", "/api/rooms/" + room, null,
                "Authorization", "Bearer " + tenantAdmin);
        assertEquals(200, seen.statusCode(), seen.body());
        JsonObject view = TestServer.object(seen.body());
        assertEquals(user, view.getString("owner"), view.toString());
        assertEquals(1, view.getInt("participantCount"), view.toString());
        assertEquals(user, view.getJsonArray("participants").getJsonObject(0).getString("user"), view.toString());
        HttpResponse<String> otherTenant = TestServer.request("GET", "/api/rooms/" + room, null,
                "Authorization", "Bearer " + token("gus", Rooms.unique("globex"), List.of("admin", "user")));
        assertEquals(404, otherTenant.statusCode(), "another tenant does not see it: " + otherTenant.body());
        assertEquals(401, TestServer.request("GET", "/api/rooms/" + room, null).statusCode(), "no token, no room");
        return room;
    }

    /**
     * The stored access token stops working (as an expired or revoked one does): the API's 401 makes the page use its
     * refresh token at the IdP's token endpoint and retry, without leaving the page.
     */
    private void aRefusedTokenIsRenewedWithTheRefreshToken(String room) throws Exception {
        Chromium b = browsers.get(0);
        assertNotNull(session(b).get("refreshToken"), "mock-oauth2-server gives a refresh token: " + session(b));
        b.driver().findElement(By.id("leave")).click();
        script(b, "const s = JSON.parse(sessionStorage.getItem('switchboard.session'));"
                + "s.token = 'eyJhbGciOiJub25lIn0.eyJ0eXAiOiJCZWFyZXIifQ.revoked'; s.expiresAt = null;"
                + "sessionStorage.setItem('switchboard.session', JSON.stringify(s));");
        b.driver().get(TestServer.BASE + "/?room=" + room);
        WebElement join = waitDisplayed(b, "join-button");
        assertEquals(room, b.driver().findElement(By.id("room-id")).getAttribute("value"));
        join.click();
        Map<String, Object> st = waitFor(b, "the room to be joined after a renewal", BrowserSsoIT::joined);
        assertEquals(1L, ((Number) st.get("renewals")).longValue(), st.toString());
        assertFalse(String.valueOf(session(b).get("token")).endsWith("revoked"), "a new access token is stored");
        b.driver().findElement(By.id("leave")).click();
    }

    /** No refresh token, and the token is refused: the page goes to the IdP and comes back to the same room link. */
    private void withoutARefreshTokenThePageSignsInAgain() throws Exception {
        Chromium b = browsers.get(0);
        String user = (String) state(b).get("user");
        String tenant = (String) state(b).get("tenant");
        String room = TestServer.object(TestServer.request("POST", "/api/rooms", "{\"name\":\"later\"}",
                "Authorization", "Bearer " + token(user, tenant, List.of("user"))).body()).getString("id");
        script(b, "const s = JSON.parse(sessionStorage.getItem('switchboard.session'));"
                + "s.token = 'eyJhbGciOiJub25lIn0.eyJ0eXAiOiJCZWFyZXIifQ.expired'; s.refreshToken = null;"
                + "s.signedInAt = Date.now() - 3600000;"
                + "sessionStorage.setItem('switchboard.session', JSON.stringify(s));");
        b.driver().get(TestServer.BASE + "/?room=" + room);
        waitDisplayed(b, "join-button").click();
        waitForUrl(b, idp.authorizationEndpointUrl(ISSUER).toString());
        login(b, user, tenant, "user");
        waitFor(b, "the page to be signed in again", s -> user.equals(s.get("user"))
                && !b.driver().getCurrentUrl().contains("code="));
        assertEquals(TestServer.BASE + "/?room=" + room, b.driver().getCurrentUrl(), "back on the room's link");
        waitDisplayed(b, "join-button").click();
        waitFor(b, "the room to be joined", BrowserSsoIT::joined);
        b.driver().findElement(By.id("leave")).click();
    }

    private void signOutEndsTheSession() throws Exception {
        Chromium b = browsers.get(0);
        b.driver().findElement(By.id("signout")).click();
        WebElement signIn = waitDisplayed(b, "sso-button");
        assertTrue(signIn.isDisplayed());
        assertEquals(TestServer.BASE + "/", b.driver().getCurrentUrl(), "back from the IdP's end-session page");
        assertNull(script(b, "return sessionStorage.getItem('switchboard.session');"), "the tokens are forgotten");
        assertNull(state(b).get("user"));
    }

    /**
     * Login CSRF: an attacker's genuine code and state, sent to a victim's tab that has a sign-in of its own pending.
     * The page refuses it (state), keeps no session, cleans the address, and never redeems the code (the test can).
     */
    private void aCallbackThisTabDidNotStartIsRefused() throws Exception {
        String attackerState = "attacker-state-0123456789abcdefghijklmnopqrstuvwxyz";
        String code = attackersCode(attackerState);

        Chromium victim = browser("victim");
        victim.driver().get(TestServer.BASE + "/");
        clickSignIn(victim);
        assertFalse(attackerState.equals(query(victim.driver().getCurrentUrl()).get("state")));
        victim.driver().get(TestServer.BASE + "/?code=" + code + "&state=" + attackerState);
        Map<String, Object> st = waitFor(victim, "the page to refuse the callback", s -> s.get("error") != null, false);
        assertTrue(String.valueOf(st.get("error")).contains("state"), st.toString());
        assertNull(st.get("user"), st.toString());
        assertNull(script(victim, "return sessionStorage.getItem('switchboard.session');"));
        assertEquals(TestServer.BASE + "/", victim.driver().getCurrentUrl(), "the code left the address");
        assertTrue(victim.driver().findElement(By.id("error")).isDisplayed());
        assertTrue(victim.driver().findElement(By.id("sso-button")).isDisplayed(), "the user may sign in properly");

        // the same callback again, now with nothing pending: refused too
        victim.driver().get(TestServer.BASE + "/?code=" + code + "&state=" + attackerState);
        st = waitFor(victim, "the page to refuse the callback", s -> s.get("error") != null, false);
        assertNull(st.get("user"), st.toString());

        // the page never traded the code: it is still good at the token endpoint (which answers CORS for any origin)
        HttpResponse<String> redeemed = HTTP.send(HttpRequest.newBuilder(URI.create(idp.tokenEndpointUrl(ISSUER).toString()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", TestServer.BASE)
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code",
                        "code", code, "redirect_uri", TestServer.BASE + "/", "client_id", PUBLIC_CLIENT))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, redeemed.statusCode(), redeemed.body());
        assertEquals(TestServer.BASE, redeemed.headers().firstValue("Access-Control-Allow-Origin").orElse(""),
                "the browser may read the token response cross-origin");
    }

    /** What an attacker gets for themself at the IdP (without a browser): a genuine code for their own state. */
    private String attackersCode(String state) throws Exception {
        String authorize = idp.authorizationEndpointUrl(ISSUER) + "?" + form(Map.of("response_type", "code",
                "client_id", PUBLIC_CLIENT, "redirect_uri", TestServer.BASE + "/", "scope", "openid",
                "state", state, "nonce", "attacker-nonce"));
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(authorize)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("name=\"username\""), "the IdP's login form");
        HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create(authorize))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", "mallory",
                        "claims", claims("mallory", "evil", "admin"))))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, login.statusCode(), login.body());
        Map<String, String> back = query(login.headers().firstValue("Location").orElseThrow());
        assertEquals(state, back.get("state"));
        return back.get("code");
    }

    // ---- driving the browser and the IdP's login form

    private Chromium browser(String name) throws Exception {
        Chromium b = Chromium.start(name, null, null);
        browsers.add(b);
        return b;
    }

    private void clickSignIn(Chromium b) throws Exception {
        Map<String, Object> st = waitFor(b, "the page to know its sign-in", s -> s.get("mode") != null, false);
        assertEquals("oidc", st.get("mode"), st.toString());
        assertFalse(b.driver().findElement(By.id("signin-dev")).isDisplayed(), "no dev form with SSO");
        waitDisplayed(b, "sso-button").click();
        waitForUrl(b, idp.authorizationEndpointUrl(ISSUER).toString());
    }

    /** mock-oauth2-server's form: a subject and the claims its tokens carry (typ=Bearer as Keycloak's do). */
    private static void login(Chromium b, String user, String tenant, String role) {
        ChromeDriver d = b.driver();
        d.findElement(By.name("username")).sendKeys(user + "-subject");
        d.findElement(By.name("claims")).sendKeys(claims(user, tenant, role));
        d.findElement(By.cssSelector("input[type=submit]")).click();
    }

    private static String claims(String user, String tenant, String role) {
        return "{\"preferred_username\":\"" + user + "\",\"tenant\":\"" + tenant + "\",\"roles\":[\"" + role
                + "\"],\"typ\":\"Bearer\"}";
    }

    /** A token straight from the IdP, for looking at what the page did through the REST API. */
    private String token(String user, String tenant, List<String> roles) {
        Map<String, Object> claims = new HashMap<>(Map.of("typ", "Bearer", "preferred_username", user,
                "roles", roles, "tenant", tenant));
        return idp.issueToken(ISSUER, "switchboard", new DefaultOAuth2TokenCallback(ISSUER, user + "-subject", "JWT",
                List.of("switchboard"), claims, 3600)).serialize();
    }

    private static boolean joined(Map<String, Object> s) {
        return s.get("signaling") instanceof Map<?, ?> sig && "joined".equals(sig.get("state"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state(Chromium b) {
        Object s = script(b, "return window.switchboard ? window.switchboard.state() : null;");
        return s == null ? Map.of() : (Map<String, Object>) s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> session(Chromium b) {
        Object s = script(b, "return JSON.parse(sessionStorage.getItem('switchboard.session'));");
        return s == null ? Map.of() : (Map<String, Object>) s;
    }

    private static Object script(Chromium b, String js) {
        return ((JavascriptExecutor) b.driver()).executeScript(js);
    }

    private static Map<String, Object> waitFor(Chromium b, String what, Predicate<Map<String, Object>> done)
            throws InterruptedException {
        return waitFor(b, what, done, true);
    }

    /** Polls the page's state; an error the page shows fails at once unless {@code errorFails} is false. */
    private static Map<String, Object> waitFor(Chromium b, String what, Predicate<Map<String, Object>> done,
                                               boolean errorFails) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Object> st = state(b);
        while (!done.test(st)) {
            if (System.nanoTime() > deadline) {
                fail("waited " + WAIT.toSeconds() + " s for " + what + "; the page at " + b.driver().getCurrentUrl()
                        + " says " + st);
            }
            if (errorFails && st.get("error") != null) {
                fail("the page shows an error while waiting for " + what + ": " + st);
            }
            Thread.sleep(100);
            st = state(b);
        }
        return st;
    }

    private static WebElement waitDisplayed(Chromium b, String id) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<WebElement> found = b.driver().findElements(By.id(id));
            if (!found.isEmpty() && found.get(0).isDisplayed()) {
                return found.get(0);
            }
            if (System.nanoTime() > deadline) {
                fail("#" + id + " did not appear; the page at " + b.driver().getCurrentUrl() + " says " + state(b));
            }
            Thread.sleep(100);
        }
    }

    private static void waitForUrl(Chromium b, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!b.driver().getCurrentUrl().startsWith(prefix)) {
            if (System.nanoTime() > deadline) {
                fail("the browser did not get to " + prefix + "; it is at " + b.driver().getCurrentUrl()
                        + ", the page says " + state(b));
            }
            Thread.sleep(100);
        }
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = URI.create(url).getRawQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String form(Map<String, String> fields) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (!s.isEmpty()) {
                s.append('&');
            }
            s.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return s.toString();
    }
}
