package dev.switchboard.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The abuse sweep of the REST API (issue #10, section 4): every operation of the served OpenAPI document — so a new
 * endpoint is swept without touching this test — gets malformed input of many kinds (syntax, wrong types, huge and
 * fractional numbers, trailing text, invalid UTF-8, nesting, control characters, unknown and duplicate fields,
 * out-of-range dates, bad ids and query parameters, bad content types, unsupported methods, odd headers), as an
 * admin and as a user of a tenant of its own. Nothing may answer 5xx; every error is a short problem+json without
 * framework names and without more than a bounded excerpt of the input; what must be refused is refused, nothing
 * is saved, and a normal request is served afterwards. Sequential and bounded (about two thousand requests).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MalformedInputIT {

    /** The longest run of an input an answer may repeat (README: "API input"). */
    private static final int MAX_EXCERPT = 64;
    private static final int MAX_PROBLEM_BYTES = 1024;
    private static final List<String> INTERNALS = List.of("jakarta.", "javax.", "org.jboss", "resteasy", "java.",
            "exception", "undertow", "yasson", "parsson", "hibernate", "org.eclipse", "at dev.switchboard");
    private static final String RUN = "Z"; // long inputs are runs of this, so an echo is easy to see
    private static final List<String> EXTRA_METHODS = List.of("PUT", "PATCH");
    /**
     * Bytes of a huge body: just under the HTTP listener's switchboard.http.max-body-size (16 KiB), so it reaches
     * the API and must come back as a short problem; a larger one is refused by Undertow's parser before any
     * application code (400, connection closed: SlowHttpIT).
     */
    private static final int HUGE = 15_000;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    /**
     * One request of the sweep.
     *
     * @param mustRefuse the input is invalid: a 2xx is a finding
     */
    private record Probe(String what, String method, String path, String contentType, byte[] body,
                         List<String> headers, boolean mustRefuse) {
    }

    private final String tenant = Rooms.unique("sweep");
    private final List<String> admin = List.of(Rooms.TENANT, tenant, Rooms.USER, Rooms.unique("sweep-admin"),
            Rooms.ROLES, "user,admin");
    private final List<String> user = List.of(Rooms.TENANT, tenant, Rooms.USER, Rooms.unique("sweep-user"),
            Rooms.ROLES, "user");
    private int serial;

    @Test
    void everyEndpointRefusesMalformedInputWithoutA5xx() throws Exception {
        HttpResponse<String> doc = TestServer.get("/api/openapi");
        assertEquals(200, doc.statusCode(), doc.body());
        JsonObject openapi = TestServer.object(doc.body());
        List<Probe> probes = new ArrayList<>();
        for (List<String> who : List.of(admin, user)) {
            // OPTIONS is left out: WHIP/WHEP answer it on any path with the endpoint's Accept-Post (RFC 9725 §4.2, a
            // CORS preflight, which carries no credentials), acting on nothing the path says.
            openapi.getJsonObject("paths").forEach((path, ops) -> ops.asJsonObject().forEach((verb, op) -> {
                if (!verb.equals("options")) {
                    probes.addAll(probes(openapi, verb.toUpperCase(Locale.ROOT), path, op.asJsonObject(), who));
                }
            }));
            for (String path : openapi.getJsonObject("paths").keySet()) {
                for (String m : EXTRA_METHODS) {
                    if (!openapi.getJsonObject("paths").getJsonObject(path).containsKey(m.toLowerCase(Locale.ROOT))) {
                        probes.add(new Probe(m + " not offered", m, "/api" + fill(path, openapi), "application/json",
                                bytes("{}"), who, true));
                    }
                }
            }
            probes.add(new Probe("unknown path", "GET", "/api/no-such-thing-" + RUN.repeat(3000), null, null, who, true));
        }
        assertTrue(probes.size() > 500 && probes.size() < 5000, "a bounded sweep: " + probes.size());

        List<String> findings = new ArrayList<>();
        int served5xx = 0;
        for (Probe p : probes) {
            HttpResponse<byte[]> r;
            try {
                r = send(p);
            } catch (java.io.IOException e) {
                findings.add(p.method() + " " + brief(p.path()) + " [" + p.what() + "] -> no answer: " + e);
                continue;
            }
            String finding = judge(p, r);
            if (r.statusCode() >= 500) {
                served5xx++;
            }
            if (finding != null) {
                findings.add(p.method() + " " + brief(p.path()) + " [" + p.what() + "] -> " + r.statusCode() + ": " + finding);
            }
        }
        System.out.println("MalformedInputIT: " + probes.size() + " requests, " + served5xx + " answered 5xx, "
                + findings.size() + " findings");
        findings.stream().limit(300).forEach(f -> System.out.println("  " + f));

        // nothing of the sweep was saved in its tenant
        for (String list : List.of("/api/rooms?max=1000", "/api/users?max=1000", "/api/turn/credentials?max=1000",
                "/api/api-keys")) {
            HttpResponse<String> r = TestServer.request("GET", list, null, admin.toArray(String[]::new));
            assertEquals(200, r.statusCode(), list + ": " + r.body());
            JsonArray saved = TestServer.array(r.body());
            if (!saved.isEmpty()) {
                findings.add("saved although refused: " + list + " " + brief(saved.toString()));
            }
        }
        // and the server still serves a normal request
        HttpResponse<String> room = TestServer.request("POST", "/api/rooms", "{\"name\":\"after the sweep\"}",
                admin.toArray(String[]::new));
        assertEquals(201, room.statusCode(), room.body());
        assertEquals(200, TestServer.get("/api/health").statusCode());

        assertEquals(0, served5xx, "5xx answers: " + served5xx);
        assertTrue(findings.isEmpty(), () -> findings.size() + " findings, the first: " + findings.get(0));
    }

    /** The probe's findings one by one, with the problem each gets now, and nothing of them saved. */
    @Test
    void theProbesFindingsAreRefused() throws Exception {
        String[] who = admin.toArray(String[]::new);
        assertRefused(TestServer.request("POST", "/api/rooms",
                "{\"name\":\"x\",\"expiresAt\":\"+999999999-12-31T23:59:59Z\"}", who), 400, "malformed-json");
        assertRefused(TestServer.request("POST", "/api/rooms", "{\"name\":\"x\",\"maxParticipants\":4294967306}", who),
                400, "malformed-json");
        assertRefused(TestServer.request("POST", "/api/rooms", "{\"name\":\"x\",\"maxParticipants\":2.5}", who),
                400, "malformed-json");
        assertRefused(TestServer.request("POST", "/api/rooms", "{\"name\":\"x\"} xx", who), 400, "malformed-json");
        assertRefused(TestServer.request("POST", "/api/turn/credentials", "{\"userId\":18446744073709551617}", who),
                400, "malformed-json");
        assertRefused(TestServer.request("POST", "/api/turn/credentials", "{\"label\":\"a\\u0001b\"}", who),
                400, "invalid-credential");
        assertRefused(TestServer.request("POST", "/api/users",
                "{\"username\":\"" + Rooms.unique("ctl") + "\",\"displayName\":\"a\\u001b[2Jb\"}", who), 400, "invalid-user");
        assertRefused(TestServer.request("GET", "/api/usage?to=-999999999-01-01", null, who), 400, "bad-range");
        assertRefused(TestServer.request("GET", "/api/usage?from=%2B999999999-12-31", null, who), 400, "bad-range");
        assertRefused(TestServer.request("GET", "/api/users/abc", null, who), 400, "invalid-parameter");
        assertRefused(TestServer.request("GET", "/api/turn/credentials/1.5", null, who), 400, "invalid-parameter");
        HttpResponse<byte[]> type = send(new Probe("bad type", "POST", "/api/rooms", "application/json;;;==",
                bytes("{\"name\":\"x\"}"), admin, true));
        assertEquals(415, type.statusCode());
        assertTrue(new String(type.body(), StandardCharsets.UTF_8).contains("\"/problems/unsupported-media-type\""));
        HttpResponse<byte[]> utf8 = send(new Probe("invalid UTF-8", "POST", "/api/rooms", "application/json",
                new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 'a', (byte) 0xff, '"', '}'}, admin, true));
        assertEquals(400, utf8.statusCode());
        // the credential's usage, with a credential of the tenant's own
        HttpResponse<String> cred = TestServer.request("POST", "/api/turn/credentials", "{}", who);
        assertEquals(201, cred.statusCode(), cred.body());
        long id = TestServer.object(cred.body()).getJsonNumber("id").longValue();
        assertRefused(TestServer.request("GET", "/api/turn/credentials/" + id + "/usage?to=-999999999-01-01", null, who),
                400, "bad-range");
        assertEquals(204, TestServer.request("DELETE", "/api/turn/credentials/" + id, null, who).statusCode());
        HttpResponse<String> rooms = TestServer.request("GET", "/api/rooms?max=1000", null, who);
        assertEquals("[]", rooms.body().replace(" ", ""), "no refused room was saved");
    }

    private static void assertRefused(HttpResponse<String> r, int status, String kind) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0], r.body());
        assertEquals("/problems/" + kind, TestServer.object(r.body()).getString("type"), r.body());
    }

    /** Null when the answer is as it must be, else what is wrong with it. */
    private static String judge(Probe p, HttpResponse<byte[]> r) {
        int status = r.statusCode();
        if (status >= 500) {
            return "server error " + brief(new String(r.body(), StandardCharsets.UTF_8));
        }
        if (status < 400) {
            return p.mustRefuse() ? "accepted invalid input" : null;
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        String body = new String(r.body(), StandardCharsets.UTF_8);
        if (!type.split(";")[0].trim().equals("application/problem+json")) {
            return "not problem+json (" + type + "): " + brief(body);
        }
        if (r.body().length >= MAX_PROBLEM_BYTES) {
            return "problem of " + r.body().length + " bytes";
        }
        String lower = body.toLowerCase(Locale.ROOT);
        for (String internal : INTERNALS) {
            if (lower.contains(internal)) {
                return "names '" + internal + "': " + brief(body);
            }
        }
        if (body.contains(RUN.repeat(MAX_EXCERPT + 1)) || body.contains("9".repeat(MAX_EXCERPT + 1))) {
            return "echoes more than " + MAX_EXCERPT + " characters of the input";
        }
        JsonObject problem;
        try {
            problem = TestServer.object(body);
        } catch (RuntimeException e) {
            return "problem is not a JSON object: " + brief(body);
        }
        if (!(problem.get("type") instanceof jakarta.json.JsonString t) || !t.getString().startsWith("/problems/")
                || problem.getInt("status", -1) != status) {
            return "problem without its type or status: " + brief(body);
        }
        return null;
    }

    /** Every probe of one operation for one caller. */
    private List<Probe> probes(JsonObject openapi, String method, String template, JsonObject op, List<String> who) {
        List<Probe> out = new ArrayList<>();
        List<JsonObject> params = op.containsKey("parameters")
                ? op.getJsonArray("parameters").getValuesAs(JsonObject.class) : List.of();
        String path = "/api" + fill(template, openapi);
        JsonObject schema = bodySchema(openapi, op);
        byte[] noBody = method.equals("GET") || method.equals("DELETE") ? null : bytes("");
        String noType = noBody == null ? null : "application/json";
        boolean guarded = !op.containsKey("security") || !op.getJsonArray("security").isEmpty();

        for (JsonObject param : params) {
            String name = param.getString("name");
            String type = param.getJsonObject("schema").getString("type");
            String format = param.getJsonObject("schema").getString("format", "");
            if (param.getString("in").equals("path")) {
                for (String bad : badPathValues(type)) {
                    String p = "/api" + template.replace("{" + name + "}", bad);
                    out.add(new Probe("path " + name + "=" + brief(bad), method, fill(p, openapi), noType,
                            schema == null ? noBody : bytes(base(openapi, schema)), who, true));
                }
            } else if (param.getString("in").equals("query")) {
                for (Map.Entry<String, Boolean> bad : badQueryValues(type, format).entrySet()) {
                    out.add(new Probe("query " + name + "=" + brief(bad.getKey()), method,
                            path + "?" + name + "=" + bad.getKey(), noType, noBody, who, bad.getValue()));
                }
            }
        }
        if (schema != null) {
            out.addAll(bodyProbes(openapi, method, path, schema, who));
        } else {
            // a body where none is read, and a bad content type with it: nothing to refuse, nothing to break
            out.add(new Probe("stray body", method, path, "application/json", bytes("{\"a\":"), who, false));
            out.add(new Probe("stray body, bad type", method, path, "application/json;;;==", bytes("\u0001"), who, false));
        }
        // odd callers and negotiation: refused (401/400) where the caller is asked for, never a 5xx
        out.add(new Probe("huge user header", method, path, noType, noBody,
                with(who, Rooms.USER, RUN.repeat(3000)), guarded));
        out.add(new Probe("unknown role", method, path, noType, noBody, with(who, Rooms.ROLES, "root"), guarded));
        out.add(new Probe("bad tenant", method, path, noType, noBody, with(who, Rooms.TENANT, "a b"), guarded));
        out.add(new Probe("garbage api key", method, path, noType, noBody,
                with(who, "X-Api-Key", "sbk_" + RUN.repeat(200)), guarded));
        out.add(new Probe("bad bearer", method, path, noType, noBody,
                with(who, "Authorization", "Bearer " + RUN.repeat(500)), false));
        out.add(new Probe("accept xml", method, path, noType, noBody, with(who, "Accept", "application/xml"), false));
        out.add(new Probe("accept garbage", method, path, noType, noBody, with(who, "Accept", ";;;=="), false));
        return out;
    }

    private List<Probe> bodyProbes(JsonObject openapi, String method, String path, JsonObject schema, List<String> who) {
        List<Probe> out = new ArrayList<>();
        String base = base(openapi, schema);
        String inner = base.substring(1, base.length() - 1);
        String comma = inner.isEmpty() ? "" : ",";
        Map<String, String> syntax = new LinkedHashMap<>();
        syntax.put("unfinished", "{");
        syntax.put("array", "[1,2]");
        syntax.put("string", "\"x\"");
        syntax.put("number", "42");
        syntax.put("missing value", "{\"a\":}");
        syntax.put("trailing garbage", base + " xx");
        syntax.put("second value", base + base);
        syntax.put("trailing comma", "{" + inner + ",}");
        syntax.put("single quotes", "{'a':'b'}");
        syntax.put("comment", "{/* */" + inner + "}");
        syntax.put("raw control char", "{\"zz\":\"a\u0001b\"}");
        // as deep as fits under the body limit (HUGE)
        syntax.put("deep arrays", "[".repeat(HUGE / 2) + "]".repeat(HUGE / 2));
        syntax.put("deep objects", "{\"a\":".repeat(HUGE / 6) + "1" + "}".repeat(HUGE / 6));
        syntax.put("duplicate key", dupKey(base));
        syntax.put("unknown field", "{" + inner + comma + "\"zzUnknown\":1}");
        syntax.put("huge string", "{\"zz\":\"" + RUN.repeat(HUGE) + "\"}");
        for (Map.Entry<String, String> s : syntax.entrySet()) {
            out.add(new Probe(s.getKey(), method, path, "application/json", bytes(s.getValue()), who, true));
        }
        for (String type : List.of("text/plain", "application/json;;;==", "application/xml", "application/jsonx",
                "application/json; charset=iso-8859-1", "application/json;charset", "application/json, text/plain",
                "application/x-www-form-urlencoded", "*/*", "application/json; charset=\"utf-8\"; x")) {
            out.add(new Probe("content type " + type, method, path, type, bytes(base), who, true));
        }
        out.add(new Probe("no content type", method, path, null, bytes(base), who, true));

        JsonObject props = schema.getJsonObject("properties");
        for (Map.Entry<String, JsonValue> prop : props.entrySet()) {
            String name = prop.getKey();
            JsonObject p = prop.getValue().asJsonObject();
            String type = p.getString("type", "object");
            String format = p.getString("format", "");
            List<String> bad = new ArrayList<>(List.of("{}", "[]", "true"));
            if (type.equals("string") && format.equals("date-time")) {
                bad.addAll(List.of("1", "\"tomorrow\"", "\"+999999999-12-31T23:59:59Z\"", "\"-999999999-01-01T00:00:00Z\"",
                        "\"+10000-01-01T00:00:00Z\"", "\"2026-13-01T00:00:00Z\"", "\"" + RUN.repeat(5000) + "\""));
            } else if (type.equals("string")) {
                bad.addAll(List.of("1", "\"a\u0001b\"", "\"a\\u0001b\"", "\"a\\u0000\"", "\"a\\nb\"", "\"\\ud800x\"", "\"a\\u007fb\"",
                        "\"" + RUN.repeat(HUGE) + "\""));
            } else if (type.equals("integer")) {
                bad.addAll(List.of("\"many\"", "1.5", "4294967306", "18446744073709551617", "-18446744073709551617",
                        "1e400", "9".repeat(5000), "\"1\""));
            }
            for (String value : bad) {
                out.add(new Probe(name + "=" + brief(value), method, path, "application/json",
                        bytes(set(base, name, value)), who, true));
            }
            if (type.equals("string") && !format.equals("date-time")) {
                for (byte[] invalid : List.of(new byte[] {'a', (byte) 0xff, 'b'}, new byte[] {(byte) 0xc0, (byte) 0xaf},
                        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {'a', (byte) 0xe2, (byte) 0x82})) {
                    out.add(new Probe(name + " invalid UTF-8", method, path, "application/json",
                            withRawString(base, name, invalid), who, true));
                }
            }
        }
        return out;
    }

    private static List<String> badPathValues(String type) {
        List<String> values = new ArrayList<>(List.of(RUN.repeat(3000), "%C3%A9", "a%20b"));
        if (type.equals("integer")) {
            values.addAll(List.of("abc", "1.5", "99999999999999999999", "-99999999999999999999", "0x10", "1e3",
                    "9".repeat(3000)));
        }
        return values;
    }

    /** Value (URL-encoded) to whether it must be refused. */
    private static Map<String, Boolean> badQueryValues(String type, String format) {
        Map<String, Boolean> values = new LinkedHashMap<>();
        if (type.equals("integer")) {
            for (String v : List.of("abc", "1.5", "-99999999999999999999", "1e3", "0x10", "9".repeat(3000))) {
                values.put(v, true);
            }
            values.put(format.equals("int64") ? "99999999999999999999" : "99999999999", true);
            values.put("", false);
        } else if (format.equals("date")) {
            for (String v : List.of("-999999999-01-01", "%2B999999999-12-31", "0000-01-01", "2026-02-30", "tomorrow",
                    "10000-01-01", RUN.repeat(3000))) {
                values.put(v, true);
            }
        } else {
            for (String v : List.of("a%00b", "a%01b", "%0d%0a", "%E2%80%AE", RUN.repeat(3000))) {
                values.put(v, false);
            }
        }
        return values;
    }

    /** A minimal valid body: every required string field set to a fresh name. */
    private String base(JsonObject openapi, JsonObject schema) {
        StringBuilder b = new StringBuilder("{");
        for (JsonValue required : schema.getJsonArray("required") == null ? List.<JsonValue>of()
                : schema.getJsonArray("required")) {
            String name = ((jakarta.json.JsonString) required).getString();
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(name).append("\":\"sweep").append(serial++).append('"');
        }
        return b.append('}').toString();
    }

    private static JsonObject bodySchema(JsonObject openapi, JsonObject op) {
        if (!op.containsKey("requestBody")) {
            return null;
        }
        JsonObject json = op.getJsonObject("requestBody").getJsonObject("content").getJsonObject("application/json");
        if (json == null) {
            return null; // a body of another type (WHIP/WHEP's application/sdp): probed without a JSON schema
        }
        JsonObject schema = json.getJsonObject("schema");
        if (schema.containsKey("$ref")) {
            String ref = schema.getString("$ref");
            schema = openapi.getJsonObject("components").getJsonObject("schemas")
                    .getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
        }
        return schema;
    }

    /** Path parameters set to plausible ids that name nothing in the sweep's tenant. */
    private static String fill(String path, JsonObject openapi) {
        return path.replace("{id}", path.startsWith("/rooms") ? "nosuchroom000000" : "987654321")
                .replaceAll("\\{[^}]+}", "nobody");
    }

    /** {@code base} with {@code name} set to the JSON text {@code value}. */
    private static String set(String base, String name, String value) {
        String inner = base.substring(1, base.length() - 1);
        String stripped = inner.replaceAll("\"" + name + "\":\"[^\"]*\",?", "").replaceAll(",$", "");
        return "{" + stripped + (stripped.isEmpty() ? "" : ",") + "\"" + name + "\":" + value + "}";
    }

    private static String dupKey(String base) {
        String inner = base.substring(1, base.length() - 1);
        return inner.isEmpty() ? "{\"label\":\"a\",\"label\":\"b\"}" : "{" + inner + "," + inner + "}";
    }

    private static byte[] withRawString(String base, String name, byte[] raw) {
        String json = set(base, name, "\"@@\"");
        int at = json.indexOf("@@");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(json.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(raw);
        out.writeBytes(json.substring(at + 2).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static List<String> with(List<String> headers, String name, String value) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            if (!headers.get(i).equals(name)) {
                out.add(headers.get(i));
                out.add(headers.get(i + 1));
            }
        }
        out.add(name);
        out.add(value);
        return out;
    }

    private static HttpResponse<byte[]> send(Probe p) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestServer.BASE + p.path()))
                .timeout(Duration.ofSeconds(30))
                .method(p.method(), p.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(p.body()));
        if (p.contentType() != null) {
            b.header("Content-Type", p.contentType());
        }
        for (int i = 0; i + 1 < p.headers().size(); i += 2) {
            b.header(p.headers().get(i), p.headers().get(i + 1));
        }
        return TestServer.http().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String brief(String s) {
        String flat = s.replaceAll("\\p{Cntrl}", "?");
        return flat.length() <= 80 ? flat : flat.substring(0, 60) + "…(" + flat.length() + ")";
    }
}
