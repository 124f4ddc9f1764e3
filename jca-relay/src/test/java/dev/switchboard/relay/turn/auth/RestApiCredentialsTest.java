package dev.switchboard.relay.turn.auth;

import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestApiCredentialsTest {

    static final String REALM = "switchboard.test";
    static final String USER = "1893456000:alice"; // expires 2030-01-01T00:00:00Z
    static final Clock BEFORE_EXPIRY = clockAt(1_735_689_600L); // 2025-01-01

    static Clock clockAt(long epochSecond) {
        return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }

    static RestApiCredentials store(Clock clock, String... secrets) {
        return new RestApiCredentials(REALM, List.of(secrets), ':', clock, 64);
    }

    /** What coturn computes: base64(HMAC-SHA1(secret, username)). */
    static String coturnPassword(String secret, String username) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void matchesCoturnsRestApiCredentials() throws Exception {
        // echo -n "1893456000:alice" | openssl dgst -binary -sha1 -hmac north | base64
        String password = "MME/7rvfb/gOjpkB59+7AxlCLvk=";
        assertEquals(password, coturnPassword("north", USER));
        assertEquals(password, RestApiCredentials.password("north", USER));
        byte[] key = store(BEFORE_EXPIRY, "north").longTermKey(USER, REALM);
        assertArrayEquals(Md5.key(USER, REALM, password), key);
        assertEquals(16, key.length);
    }

    @Test
    void acceptsABareTimestampAndTheUserFirstOrder() throws Exception {
        RestApiCredentials s = store(BEFORE_EXPIRY, "north");
        for (String u : List.of("1893456000", "alice:1893456000")) {
            assertArrayEquals(Md5.key(u, REALM, coturnPassword("north", u)), s.longTermKey(u, REALM), u);
        }
    }

    @Test
    void expiredUsernamesAreRefusedAndTheExpirySecondItselfIsStillValid() {
        assertNotNull(store(clockAt(1_893_456_000L), "north").longTermKey(USER, REALM));
        assertNotNull(store(clockAt(1_893_456_000L), "north").longTermKey(USER, REALM), "cached or not");
        assertNull(store(clockAt(1_893_456_001L), "north").longTermKey(USER, REALM));
        // A key cached before expiry is not served after it.
        MutableClock clock = new MutableClock(1_893_455_999L);
        RestApiCredentials s = store(clock, "north");
        assertNotNull(s.longTermKey(USER, REALM));
        clock.epochSecond = 1_893_456_001L;
        assertNull(s.longTermKey(USER, REALM));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice", ":1893456000", "18934560x0:alice", "+1893456000:alice", " 1893456000:alice",
            "1893456000000000000000:alice", "alice:bob", "alice:", "1893456000:al\u0007ice", "1893456000:\u200Balice",
            "1893456000:\uD800", "alice:bob:1893456000", "1893456000\u0000:x"})
    void malformedUsernamesAreRefusedWithoutExceptions(String username) {
        RestApiCredentials s = store(BEFORE_EXPIRY, "north", "south");
        assertNull(s.longTermKey(username, REALM));
        assertNull(s.findKey(username, REALM, k -> true));
        assertTrue(s.longTermKeys(username, REALM).isEmpty());
    }

    @Test
    void nullsWrongRealmAndNoSecretsAreRefused() {
        RestApiCredentials s = store(BEFORE_EXPIRY, "north");
        assertNull(s.longTermKey(null, REALM));
        assertNull(s.longTermKey(USER, null));
        assertNull(s.longTermKey(USER, "other.realm"));
        assertNull(s.findKey(USER, REALM, null));
        assertNull(store(BEFORE_EXPIRY).longTermKey(USER, REALM));
    }

    @Test
    void rotationKeepsBothSecretsValidUntilTheOldOneIsRemoved() throws Exception {
        byte[] oldKey = Md5.key(USER, REALM, coturnPassword("old-secret", USER));
        byte[] newKey = Md5.key(USER, REALM, coturnPassword("new-secret", USER));
        RestApiCredentials s = store(BEFORE_EXPIRY, "old-secret");
        assertArrayEquals(oldKey, s.findKey(USER, REALM, k -> Arrays.equals(k, oldKey)));

        s.setSecrets(List.of("new-secret", "old-secret"));
        assertEquals(2, s.secretCount());
        assertArrayEquals(newKey, s.longTermKey(USER, REALM), "one key only: the newest secret's");
        List<byte[]> keys = s.longTermKeys(USER, REALM);
        assertEquals(2, keys.size());
        assertArrayEquals(newKey, keys.get(0));
        assertArrayEquals(oldKey, keys.get(1));
        assertArrayEquals(oldKey, s.findKey(USER, REALM, k -> Arrays.equals(k, oldKey)));
        assertArrayEquals(newKey, s.findKey(USER, REALM, k -> Arrays.equals(k, newKey)));

        s.setSecrets(List.of("new-secret"));
        assertNull(s.findKey(USER, REALM, k -> Arrays.equals(k, oldKey)), "old secret removed");
        assertArrayEquals(newKey, s.findKey(USER, REALM, k -> Arrays.equals(k, newKey)));
    }

    @Test
    void messageIntegrityUnderEitherSecretIsCheckedThroughTheMultiKeyContract() throws Exception {
        RestApiCredentials s = store(BEFORE_EXPIRY, "new-secret", "old-secret");
        StunMessage signedWithOld = allocate(Md5.key(USER, REALM, coturnPassword("old-secret", USER)));
        StunMessage signedWithNew = allocate(Md5.key(USER, REALM, coturnPassword("new-secret", USER)));
        StunMessage signedWithOther = allocate(Md5.key(USER, REALM, coturnPassword("other", USER)));
        assertNotNull(MultiKeyCredentialStore.matchingKey(s, USER, REALM, signedWithOld::checkMessageIntegrity));
        assertNotNull(MultiKeyCredentialStore.matchingKey(s, USER, REALM, signedWithNew::checkMessageIntegrity));
        assertNull(MultiKeyCredentialStore.matchingKey(s, USER, REALM, signedWithOther::checkMessageIntegrity));
        // A single-key caller only gets the newest.
        assertFalse(signedWithOld.checkMessageIntegrity(s.longTermKey(USER, REALM)));
    }

    static StunMessage allocate(byte[] key) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(512);
        new StunEncoder().begin(out, TurnMethod.ALLOCATE, StunClass.REQUEST, new byte[12])
                .addText(StunAttribute.USERNAME, USER).addText(StunAttribute.REALM, REALM)
                .addText(StunAttribute.NONCE, "nonce").addMessageIntegrity(key).finish();
        StunMessage m = new StunMessage();
        m.decode(out);
        return m;
    }

    @Test
    void cachedKeysAreReusedAndSurviveCollisionsInATinyCache() {
        RestApiCredentials s = new RestApiCredentials(REALM, List.of("north"), ':', BEFORE_EXPIRY, 1);
        byte[] first = s.longTermKey(USER, REALM);
        assertSame(first, s.longTermKey(USER, REALM), "served from the cache");
        for (int i = 0; i < 100; i++) {
            String u = "1893456000:user" + i;
            assertArrayEquals(Md5.key(u, REALM, RestApiCredentials.password("north", u)), s.longTermKey(u, REALM));
        }
        assertArrayEquals(first, s.longTermKey(USER, REALM));
    }

    @Test
    void otherSeparators() throws Exception {
        RestApiCredentials s = RestApiCredentials.fromConfig(REALM, "north", "-");
        String u = "4102444800-alice"; // 2100-01-01
        assertArrayEquals(Md5.key(u, REALM, coturnPassword("north", u)), s.longTermKey(u, REALM));
        assertNull(s.longTermKey("4102444800:alice", REALM));
        assertEquals('-', s.separator());
    }

    @Test
    void configurationErrorsAreClearAndDoNotEchoSecrets() {
        assertEquals(List.of("newest", "older"), RestApiCredentials.parseSecrets(" newest , older "));
        assertTrue(RestApiCredentials.parseSecrets(null).isEmpty());
        assertTrue(RestApiCredentials.parseSecrets("  ").isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RestApiCredentials.parseSecrets("s3cret,,other"));
        assertTrue(e.getMessage().contains("#2"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        List<String> withEmpty = new ArrayList<>(List.of("s3cret", ""));
        RestApiCredentials s = store(BEFORE_EXPIRY, "north");
        assertThrows(IllegalArgumentException.class, () -> s.setSecrets(withEmpty));
        assertEquals(1, s.secretCount(), "a refused update changes nothing");
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> s.setSecrets(withNull));
        assertThrows(IllegalArgumentException.class, () -> RestApiCredentials.fromConfig("", "north", null));
        assertThrows(IllegalArgumentException.class, () -> RestApiCredentials.fromConfig(REALM, "north", "ab"));
        assertThrows(IllegalArgumentException.class,
                () -> new RestApiCredentials(REALM, List.of("x"), ':', BEFORE_EXPIRY, 0));
        assertFalse(s.toString().contains("north"));
    }

    @Test
    void readersSeeEitherGenerationWhileSecretsAreReplaced() throws Exception {
        RestApiCredentials s = store(BEFORE_EXPIRY, "a");
        byte[] keyA = Md5.key(USER, REALM, RestApiCredentials.password("a", USER));
        byte[] keyB = Md5.key(USER, REALM, RestApiCredentials.password("b", USER));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(4);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 20_000; i++) {
                        byte[] k = s.longTermKey(USER, REALM);
                        if (!Arrays.equals(k, keyA) && !Arrays.equals(k, keyB)) {
                            throw new AssertionError("unexpected key " + Arrays.toString(k));
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    done.countDown();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (int i = 0; done.getCount() > 0; i++) {
            s.setSecrets(List.of(i % 2 == 0 ? "b" : "a"));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(failure.get());
    }

    static final class MutableClock extends Clock {
        long epochSecond;

        MutableClock(long epochSecond) {
            this.epochSecond = epochSecond;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(epochSecond);
        }
    }
}
