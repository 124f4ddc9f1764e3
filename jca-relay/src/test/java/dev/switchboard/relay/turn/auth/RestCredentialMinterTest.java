package dev.switchboard.relay.turn.auth;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RestCredentialMinterTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00.250Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void mintsCoturnCompatibleCredentialsWithTheNewestSecret() throws Exception {
        RestCredentialMinter minter = new RestCredentialMinter("newest", ':', CLOCK);
        RestCredentialMinter.Minted m = minter.mint("alice", Duration.ofHours(1));

        long expiry = NOW.getEpochSecond() + 3600 + 1; // rounded up: never shorter than asked
        assertEquals(expiry + ":alice", m.username());
        assertEquals(Instant.ofEpochSecond(expiry), m.expiresAt());
        // independently: base64(HMAC-SHA1(secret, username))
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("newest".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        assertEquals(Base64.getEncoder().encodeToString(mac.doFinal(m.username().getBytes(StandardCharsets.UTF_8))),
                m.password());

        // and the relay's verifier, holding the newest and an older secret, accepts it with the newest's key
        RestApiCredentials verifier = new RestApiCredentials("switchboard", List.of("newest", "older"), ':', CLOCK,
                64);
        byte[] expected = MessageDigest.getInstance("MD5").digest((m.username() + ":switchboard:" + m.password())
                .getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(expected, verifier.findKey(m.username(), "switchboard", k -> Arrays.equals(k, expected)));
    }

    @Test
    void withoutConfiguredSecretsARandomOneOfThisStartIsUsed() {
        List<String> a = RestCredentialMinter.secretsFor(List.of());
        List<String> b = RestCredentialMinter.secretsFor(List.of());
        assertEquals(1, a.size());
        assertEquals(64, a.get(0).length());
        assertNotEquals(a, b, "each start has its own");
        assertEquals(List.of("s1", "s2"), RestCredentialMinter.secretsFor(List.of("s1", "s2")));

        RestCredentialMinter.Minted m = new RestCredentialMinter(a.get(0), ':', CLOCK).mint("bob", Duration.ofMinutes(5));
        byte[] key = LongTermKeys.deriveOrNull(m.username(), "switchboard", m.password());
        assertNotNull(new RestApiCredentials("switchboard", a, ':', CLOCK, 64)
                .findKey(m.username(), "switchboard", k -> Arrays.equals(k, key)));
        assertNull(new RestApiCredentials("switchboard", b, ':', CLOCK, 64)
                .findKey(m.username(), "switchboard", k -> Arrays.equals(k, key)), "another start's secret refuses it");
    }

    @Test
    void expiredCredentialsAreRefusedByTheVerifier() {
        RestCredentialMinter.Minted m = new RestCredentialMinter("s", ':', CLOCK).mint("carol", Duration.ofSeconds(10));
        Clock later = Clock.fixed(NOW.plusSeconds(12), ZoneOffset.UTC);
        byte[] key = LongTermKeys.deriveOrNull(m.username(), "switchboard", m.password());
        assertNull(new RestApiCredentials("switchboard", List.of("s"), ':', later, 64)
                .findKey(m.username(), "switchboard", k -> Arrays.equals(k, key)));
    }

    @Test
    void refusesBadUserIdsAndLifetimes() {
        RestCredentialMinter minter = new RestCredentialMinter("s", ':', CLOCK);
        for (String bad : new String[]{null, "", "a:b", "a b", "é", "x".repeat(129)}) {
            assertThrows(IllegalArgumentException.class, () -> minter.mint(bad, Duration.ofMinutes(1)), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> minter.mint("a", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> minter.mint("a", Duration.ofDays(8)));
        assertThrows(IllegalArgumentException.class, () -> new RestCredentialMinter("", ':', CLOCK));
    }

    @Test
    void theSecretTagIsEqualForEqualSecretsOnlyAndRevealsNothing() throws Exception {
        String tag = new RestCredentialMinter("shared", ':', CLOCK).secretTag();
        assertEquals(tag, new RestCredentialMinter("shared", '-', Clock.systemUTC()).secretTag(), "the secret alone");
        assertNotEquals(tag, new RestCredentialMinter("shared2", ':', CLOCK).secretTag());
        assertEquals(32, tag.length());
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("shared".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA256"));
        String expected = java.util.HexFormat.of().formatHex(mac.doFinal(
                "switchboard TURN REST-API secret tag".getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 16);
        assertEquals(expected, tag, "HMAC-SHA256 of the label, not the secret or a plain hash of it");
        String random = new RestCredentialMinter(RestCredentialMinter.secretsFor(List.of()).get(0), ':', CLOCK)
                .secretTag();
        assertNotEquals(random, new RestCredentialMinter(RestCredentialMinter.secretsFor(List.of()).get(0), ':',
                CLOCK).secretTag(), "two starts without a configured secret never name each other");
    }
}
