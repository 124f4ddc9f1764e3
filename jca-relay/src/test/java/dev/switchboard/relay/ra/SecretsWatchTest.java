package dev.switchboard.relay.ra;

import dev.switchboard.relay.server.RelayConfig;
import dev.switchboard.relay.server.RelayServer;
import dev.switchboard.relay.turn.ExternalAddresses;
import dev.switchboard.relay.turn.auth.RestApiCredentials;
import dev.switchboard.relay.turn.auth.RestCredentialMinter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** REST-API secrets rotated at run time, from the system property, without restarting the relay. */
class SecretsWatchTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, String> properties = new HashMap<>();
    private RelayServer relay;

    @AfterEach
    void shutdown() {
        if (relay != null) {
            relay.stop(Duration.ofSeconds(5));
        }
        threads.shutdownNow();
    }

    @Test
    void theRelayMintsWithTheFirstSecretOfTheProperty() throws Exception {
        properties.put(SecretsWatch.PROPERTY, "old");
        relay = new RelayServer(RelayConfig.builder().bindAddress("127.0.0.1").udpPort(0).tcpPort(0)
                .turn(RelayConfig.TurnSettings.builder().secrets(List.of("old")).portRange(50000, 50100).build())
                .build(), e -> { });
        relay.start(threads);
        SecretsWatch watch = new SecretsWatch(relay, properties::get);

        watch.run();
        assertEquals("old", secretOf(relay.issueRestCredential("u", Duration.ofMinutes(5))), "unchanged");

        properties.put(SecretsWatch.PROPERTY, " new , old ");
        watch.run();
        assertEquals("new", secretOf(relay.issueRestCredential("u", Duration.ofMinutes(5))));

        properties.remove(SecretsWatch.PROPERTY);
        watch.run();
        RestCredentialMinter.Minted random = relay.issueRestCredential("u", Duration.ofMinutes(5));
        assertNotEquals("new", secretOf(random), "none: a random secret of this start");
        assertNotEquals("old", secretOf(random));

        properties.put(SecretsWatch.PROPERTY, "newer");
        watch.run();
        assertEquals("newer", secretOf(relay.issueRestCredential("u", Duration.ofMinutes(5))));
    }

    /** Which of the test's secrets signed {@code m}, or "?" for none of them. */
    private static String secretOf(RestCredentialMinter.Minted m) {
        for (String s : List.of("old", "new", "newer")) {
            if (RestApiCredentials.password(s, m.username()).equals(m.password())) {
                return s;
            }
        }
        return "?";
    }
}
