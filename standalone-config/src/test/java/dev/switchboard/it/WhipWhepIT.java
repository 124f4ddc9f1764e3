package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static dev.switchboard.it.Rooms.TENANT;
import static dev.switchboard.it.Rooms.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * WHIP (RFC 9725) and WHEP against the deployed EAR: bad input of every kind is a problem+json with its status, and
 * a captured Chromium offer gets a session (201, Location, ICE servers as Link headers, an ICE-lite answer with the
 * relay's host candidate), taking trickle PATCHes, refusing an ICE restart, ended by DELETE once. A relay without
 * its SFU refuses every offer (503 sfu-unavailable): the tests that need a session then fail saying so.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WhipWhepIT {

    static final String SDP = "application/sdp";
    static final String TRICKLE = "application/trickle-ice-sdpfrag";
    /** A description with nothing to answer: lines of SDP, but no media, ICE credentials or fingerprint. */
    private static final String EMPTY_SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void bodiesOtherThanSdpAre415Or400() throws Exception {
        String owner = Rooms.unique("wendy");
        String room = Rooms.create(owner, 4, "sfu");
        for (String endpoint : List.of("whip", "whep")) {
            String path = "/api/rooms/" + room + "/" + endpoint;
            RoomsIT.assertProblem(send("POST", path, "application/json", "{}", USER, owner), 415, "unsupported-media-type");
            RoomsIT.assertProblem(send("POST", path, "text/plain", offer(), USER, owner), 415, "unsupported-media-type");
            RoomsIT.assertProblem(send("POST", path, null, offer(), USER, owner), 415, "unsupported-media-type");
            RoomsIT.assertProblem(send("POST", path, SDP, "", USER, owner), 400, "missing-body");
            RoomsIT.assertProblem(send("POST", path, SDP, "hello, world", USER, owner), 400, "malformed-sdp");
            RoomsIT.assertProblem(send("POST", path, SDP, "v=0\r\ns=\u0001\r\n", USER, owner), 400, "malformed-sdp");
        }
    }

    /** SDP text that offers nothing is the relay's to refuse: 400 with its message (before its SFU: 503). */
    @Test
    void anOfferTheRelayCannotAnswerIs400() throws Exception {
        String owner = Rooms.unique("walt");
        String room = Rooms.create(owner, 4, "sfu");
        for (String endpoint : List.of("whip", "whep")) {
            HttpResponse<String> r = send("POST", "/api/rooms/" + room + "/" + endpoint, SDP, EMPTY_SDP, USER, owner);
            RoomsIT.assertProblem(r, 400, "bad-offer");
            assertFalse(TestServer.object(r.body()).getString("detail").isBlank(), r.body());
        }
    }

    @Test
    void roomsThatAreNotTheCallersSfuRoomsAreRefused() throws Exception {
        String owner = Rooms.unique("wanda");
        String mesh = Rooms.create(owner, 4);
        String sfu = Rooms.create(owner, 4, "sfu");
        for (String endpoint : List.of("whip", "whep")) {
            HttpResponse<String> r = send("POST", "/api/rooms/" + mesh + "/" + endpoint, SDP, offer(), USER, owner);
            RoomsIT.assertProblem(r, 409, "not-an-sfu-room");
            assertTrue(TestServer.object(r.body()).getString("detail").contains("mesh"), r.body());
            RoomsIT.assertProblem(send("POST", "/api/rooms/nosuchroom000000/" + endpoint, SDP, offer(), USER, owner),
                    404, "no-such-room");
            RoomsIT.assertProblem(send("POST", "/api/rooms/" + sfu + "/" + endpoint, SDP, offer(), USER, owner,
                    TENANT, "other"), 404, "no-such-room");
            RoomsIT.assertProblem(send("POST", "/api/rooms/" + sfu + "/" + endpoint, SDP, offer(),
                    "X-Api-Key", "sbk_nope"), 401, "unauthenticated");
            RoomsIT.assertProblem(send("GET", "/api/rooms/" + sfu + "/" + endpoint, null, null, USER, owner),
                    405, "method-not-allowed");
        }
    }

    @Test
    void unknownSessionsAre404() throws Exception {
        String owner = Rooms.unique("wes");
        String room = Rooms.create(owner, 4, "sfu");
        for (String endpoint : List.of("whip", "whep")) {
            String session = "/api/rooms/" + room + "/" + endpoint + "/AAAAAAAAAAAAAAAAAAAAAA";
            RoomsIT.assertProblem(send("PATCH", session, TRICKLE, "a=end-of-candidates\r\n", USER, owner),
                    404, "no-such-session");
            RoomsIT.assertProblem(send("PATCH", "/api/rooms/" + room + "/" + endpoint + "/not..an..id", TRICKLE,
                    "a=end-of-candidates\r\n", USER, owner), 404, "no-such-session");
            RoomsIT.assertProblem(send("DELETE", session, null, null, USER, owner), 404, "no-such-session");
            RoomsIT.assertProblem(send("DELETE", "/api/rooms/nosuchroom000000/" + endpoint + "/AAAAAAAAAAAAAAAAAAAAAA",
                    null, null, USER, owner), 404, "no-such-room");
            RoomsIT.assertProblem(send("DELETE", session, null, null, "X-Api-Key", "sbk_nope"), 401, "unauthenticated");
        }
    }

    /** RFC 9725 §4.2: OPTIONS tells what POST takes; no CORS headers, as the rest of the API has none. */
    @Test
    void optionsNamesTheMediaTypeAndOpensNoOrigin() throws Exception {
        for (String endpoint : List.of("whip", "whep")) {
            HttpResponse<String> r = send("OPTIONS", "/api/rooms/nosuchroom000000/" + endpoint, null, null,
                    "Origin", "https://elsewhere.example", "Access-Control-Request-Method", "POST");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(SDP, r.headers().firstValue("Accept-Post").orElse(null), r.headers().toString());
            assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), r.headers().toString());
        }
    }

    @Test
    void aChromiumOfferPublishesTricklesAndEnds() throws Exception {
        String owner = Rooms.unique("whitney");
        String room = Rooms.create(owner, 4, "sfu");
        String endpoint = "/api/rooms/" + room + "/whip";
        HttpResponse<String> r = send("POST", endpoint, SDP, offer(), USER, owner);
        if (r.statusCode() != 201) {
            fail("WHIP POST answered " + r.statusCode() + " " + r.body() + " (201 needs the relay's SFU service)");
        }
        assertEquals(SDP, r.headers().firstValue("Content-Type").orElse("").split(";")[0], r.headers().toString());
        String location = r.headers().firstValue("Location").orElseThrow();
        var m = Pattern.compile(".*(/api/rooms/" + room + "/whip/)([A-Za-z0-9_-]{16,64})").matcher(location);
        assertTrue(m.matches(), "the session URL: " + location);
        String session = m.group(1) + m.group(2);
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("no-store"), r.headers().toString());
        assertEquals(TRICKLE, r.headers().firstValue("Accept-Patch").orElse(null));

        List<String> links = r.headers().allValues("Link").stream()
                .flatMap(v -> List.of(v.split(",\\s*(?=<)")).stream()).toList(); // one header or several
        assertTrue(links.contains("<stun:127.0.0.1:" + TestServer.STUN_PORT + ">; rel=\"ice-server\""), links.toString());
        assertTrue(links.stream().anyMatch(l -> l.startsWith("<turn:127.0.0.1:" + TestServer.STUN_PORT
                + "?transport=udp>; rel=\"ice-server\"; username=\"") && l.contains("; credential=\"")
                && l.endsWith("; credential-type=\"password\"")), links.toString());

        String answer = r.body();
        assertTrue(answer.startsWith("v=0"), answer);
        assertTrue(answer.contains("a=ice-lite"), answer);
        assertTrue(answer.contains("a=setup:passive"), answer);
        assertTrue(Pattern.compile("a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}").matcher(answer).find(), answer);
        assertTrue(Pattern.compile("a=candidate:\\S+ 1 udp \\d+ 127\\.0\\.0\\.1 " + TestServer.STUN_PORT + " typ host")
                .matcher(answer).find(), "a host candidate on the relay's UDP port: " + answer);

        // trickle is taken (and not needed: ICE-lite); an ICE restart gets the server's new credentials (RFC 9725 §4.3.3)
        String trickle = "a=ice-ufrag:Ri4S\r\na=ice-pwd:ShmSTJ78W2cHc1ZU5Xk5kThh\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                + "a=mid:0\r\na=candidate:1 1 udp 2122194687 127.0.0.1 40000 typ host\r\na=end-of-candidates\r\n";
        assertEquals(204, send("PATCH", session, TRICKLE, trickle, USER, owner).statusCode());
        RoomsIT.assertProblem(send("PATCH", session, SDP, trickle, USER, owner), 415, "unsupported-media-type");
        HttpResponse<String> restart = send("PATCH", session, TRICKLE,
                "a=ice-ufrag:New1\r\na=ice-pwd:NewPasswordNewPassword12\r\n", USER, owner, "If-Match", "*");
        assertEquals(200, restart.statusCode(), restart.body());
        assertEquals(TRICKLE, restart.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertTrue(restart.headers().firstValue("ETag").isPresent(), "a new entity tag");
        assertTrue(Pattern.compile("a=ice-ufrag:\\S{8}\r\na=ice-pwd:\\S{24}\r\n").matcher(restart.body()).find(),
                restart.body());
        assertTrue(restart.body().contains("127.0.0.1 " + TestServer.STUN_PORT + " typ host"), restart.body());
        RoomsIT.assertProblem(send("PATCH", session.replace("/whip/", "/whep/"), TRICKLE, trickle, USER, owner),
                404, "no-such-session");

        // not from another room, nor as a WHEP session, nor by another tenant
        String other = Rooms.create(owner, 4, "sfu");
        RoomsIT.assertProblem(send("DELETE", session.replace(room, other), null, null, USER, owner), 404, "no-such-session");
        RoomsIT.assertProblem(send("DELETE", session.replace("/whip/", "/whep/"), null, null, USER, owner),
                404, "no-such-session");
        RoomsIT.assertProblem(send("DELETE", session, null, null, USER, owner, TENANT, "other"), 404, "no-such-room");

        // nor by another member of the tenant who learnt the URL: only its opener, the room's owner or an admin
        String mallory = Rooms.unique("mallory");
        RoomsIT.assertProblem(send("DELETE", session, null, null, USER, mallory), 403, "not-your-session");
        RoomsIT.assertProblem(send("PATCH", session, TRICKLE, trickle, USER, mallory), 403, "not-your-session");

        assertEquals(200, send("DELETE", session, null, null, USER, owner).statusCode(), "RFC 9725 §4.2");
        RoomsIT.assertProblem(send("DELETE", session, null, null, USER, owner), 404, "no-such-session");
        RoomsIT.assertProblem(send("PATCH", session, TRICKLE, trickle, USER, owner), 404, "no-such-session");

        // a guest's session: the room's owner may end it
        HttpResponse<String> guest = send("POST", endpoint, SDP, offer(), USER, Rooms.unique("guest"));
        assertEquals(201, guest.statusCode(), guest.body());
        String guestSession = URI.create(guest.headers().firstValue("Location").orElseThrow()).getPath();
        // which the owner finds in the room's media; another member sees the media without the sessions' ids
        String guestId = guestSession.substring(guestSession.lastIndexOf('/') + 1);
        assertTrue(mediaSessions(room, owner).stream().anyMatch(x -> guestId.equals(x.getString("sessionId", null))),
                mediaSessions(room, owner).toString());
        List<JsonObject> seen = mediaSessions(room, mallory);
        assertFalse(seen.isEmpty(), "the media is shown");
        assertTrue(seen.stream().allMatch(x -> !x.containsKey("sessionId") || x.isNull("sessionId")), seen.toString());
        assertEquals(200, send("DELETE", guestSession, null, null, USER, owner).statusCode(), guestSession);
    }

    private static List<JsonObject> mediaSessions(String room, String user) throws Exception {
        HttpResponse<String> r = send("GET", "/api/rooms/" + room, null, null, USER, user);
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.object(r.body()).getJsonObject("media").getJsonArray("sessions").stream()
                .map(jakarta.json.JsonValue::asJsonObject).toList();
    }

    static String offer() {
        return Chromium.resource("/sdp/chromium-av-offer.sdp");
    }

    /** A request with a body of {@code contentType} (none when null) and headers as name, value, …. */
    static HttpResponse<String> send(String method, String path, String contentType, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestServer.BASE + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return TestServer.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
