package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The install kit applied as README "Install into an existing WildFly" says, to a WildFly this project did not
 * configure: the feature pack's stock standalone-ha.xml (target/stock-server). The edge module is copied into the
 * installation's modules, switchboard-install.cli applied offline to standalone-ha.xml, and two nodes started with it
 * and the kit's EAR ({@link ClusterLab}: own base dirs, node names, port offsets, TCPPING members). Then the cluster
 * tests of {@link ClusterBehaviour} (inherited, as {@link ClusterIT} runs them on the build's nodes) run against these
 * nodes, and each node is healthy.
 */
class InstallScriptIT extends ClusterBehaviour {

    /** The nodes come from the stock server and the install kit. */
    @BeforeAll
    static void startCluster() throws Exception {
        Path home = Path.of(System.getProperty("test.stock.home", "target/stock-server"));
        Path kit = Path.of(System.getProperty("test.install.dir", "target/switchboard-install"));
        LabServer.copyTree(kit.resolve("modules"), home.resolve("modules")); // the README's first step
        lab = ClusterLab.start(2, home, kit.resolve("switchboard.ear"), kit.resolve("switchboard-install.cli"),
                "standalone-ha.xml", OPTIONS, db -> { });
    }

    @Test
    @Order(0)
    void eachNodeIsHealthyWithItsDatabaseAndRelay() throws Exception {
        for (ClusterLab.Node n : lab.nodes()) {
            HttpResponse<String> r = TestServer.http().send(HttpRequest.newBuilder(URI.create(n.base() + "/api/health"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), n.name() + ": " + r.body());
            JsonObject health = TestServer.object(r.body());
            assertEquals("UP", health.getString("status"), n.name() + ": " + r.body());
            // the relay's listeners on this node's own ports: the resource adapter took the install's settings
            assertTrue(r.body().contains("relay:stun-udp/127.0.0.1:" + (3478 + n.offset())), n.name() + ": " + r.body());
            assertTrue(r.body().contains("\"database\""), n.name() + ": " + r.body());
        }
    }
}
