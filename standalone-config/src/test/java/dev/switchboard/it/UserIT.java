package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Users are persisted with JPA; bad input is answered with problem+json. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class UserIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void createThenGetAndList() throws Exception {
        String name = "alice-" + System.nanoTime();
        HttpResponse<String> created = TestServer.postJson("/api/users",
                "{\"username\":\"" + name + "\",\"displayName\":\"Alice\",\"email\":\"alice@example.org\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject user = TestServer.object(created.body());
        long id = user.getJsonNumber("id").longValue();
        String location = created.headers().firstValue("Location").orElseThrow();
        assertTrue(location.endsWith("/api/users/" + id), location);

        HttpResponse<String> got = TestServer.get("/api/users/" + id);
        assertEquals(200, got.statusCode(), got.body());
        assertEquals(name, TestServer.object(got.body()).getString("username"));
        assertTrue(TestServer.object(got.body()).getBoolean("active"));

        HttpResponse<String> list = TestServer.get("/api/users?max=1000");
        assertTrue(list.body().contains(name), list.body());
    }

    @Test
    void duplicateUsernameIs409() throws Exception {
        String body = "{\"username\":\"bob-" + System.nanoTime() + "\"}";
        assertEquals(201, TestServer.postJson("/api/users", body).statusCode());
        HttpResponse<String> again = TestServer.postJson("/api/users", body);
        assertProblem(again, 409);
    }

    /**
     * Requests for one name at the same moment all pass the look-up before any is saved: the database key decides,
     * and the losers get 409, never a 5xx. Likewise a new user's first TURN credentials, asked for at once, each
     * find or make the one user record.
     */
    @Test
    void concurrentCreatesOfOneNameGiveOneUserAndNo5xx() throws Exception {
        int parallel = 8;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            for (int round = 0; round < 5; round++) {
                String name = "race-" + System.nanoTime();
                List<Integer> statuses = all(pool, parallel, () -> TestServer.postJson("/api/users",
                        "{\"username\":\"" + name + "\"}").statusCode());
                assertEquals(1, statuses.stream().filter(s -> s == 201).count(), name + ": " + statuses);
                assertEquals(parallel - 1, statuses.stream().filter(s -> s == 409).count(), name + ": " + statuses);

                String newcomer = "first-" + System.nanoTime();
                List<Integer> credentials = all(pool, parallel, () -> TestServer.request("POST",
                        "/api/turn/credentials", "{\"label\":\"x\"}", "X-Switchboard-User", newcomer).statusCode());
                assertEquals(List.of(201, 201, 201, 201, 201, 201, 201, 201), credentials, newcomer);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code n} copies of {@code call} as close together as the pool allows; their results in order. */
    private static List<Integer> all(ExecutorService pool, int n, Callable<Integer> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return call.call();
            }));
        }
        start.countDown();
        List<Integer> out = new ArrayList<>();
        for (Future<Integer> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void invalidUsernameIs400() throws Exception {
        assertProblem(TestServer.postJson("/api/users", "{\"username\":\"no spaces allowed\"}"), 400);
    }

    @Test
    void malformedJsonIs400() throws Exception {
        assertProblem(TestServer.postJson("/api/users", "{\"username\": "), 400);
    }

    @Test
    void unknownUserIs404() throws Exception {
        assertProblem(TestServer.get("/api/users/987654321"), 404);
    }

    private static void assertProblem(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonObject p = TestServer.object(r.body());
        assertEquals(status, p.getInt("status"));
        assertTrue(p.getString("type").startsWith("/problems/"), r.body());
    }
}
