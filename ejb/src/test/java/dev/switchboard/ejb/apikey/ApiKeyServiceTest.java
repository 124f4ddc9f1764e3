package dev.switchboard.ejb.apikey;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API keys are stored hashed: what the service persists holds a SHA-256 of the key and a short prefix, never the key;
 * a presented key is found by its hash; a revoked key authenticates no more. The entity manager is an in-memory
 * stand-in that keeps what is persisted and answers the by-hash query from it.
 */
class ApiKeyServiceTest {

    private final List<ApiKey> stored = new ArrayList<>();
    private ApiKeyService service;

    @BeforeEach
    void wire() throws Exception {
        service = new ApiKeyService();
        Field em = ApiKeyService.class.getDeclaredField("em");
        em.setAccessible(true);
        em.set(service, entityManager());
    }

    @Test
    void theKeyIsReturnedOnceAndOnlyItsHashIsStored() throws Exception {
        ApiKeyService.Created created = service.create("acme", "deployer", "admin", "boss");
        String key = created.key();
        assertTrue(key.startsWith(ApiKeyService.KEY_PREFIX) && key.length() == 4 + 43, "256 random bits: " + key);
        assertEquals(1, stored.size());
        ApiKey k = stored.get(0);
        assertSame(created.apiKey(), k);
        assertEquals(sha256Hex(key), field(k, "hash"));
        assertEquals(key.substring(0, 12), k.getPrefix(), "a prefix to recognise it by, not enough to use it");
        for (Field f : ApiKey.class.getDeclaredFields()) {
            f.setAccessible(true);
            Object v = f.get(k);
            assertFalse(v instanceof String s && s.contains(key.substring(12)), f.getName() + " holds the key");
        }
        assertNotEquals(key, service.create("acme", "another", "user", "boss").key(), "every key is new");
    }

    @Test
    void aPresentedKeyIsFoundByItsHashUntilRevoked() throws Exception {
        String key = service.create("acme", "bot", "user", "boss").key();
        ApiKey k = stored.get(0);
        assertEquals(Optional.of(k), service.authenticate(key));
        assertEquals(Optional.of(k), service.authenticate(key), "not single-use");
        assertEquals(Optional.empty(), service.authenticate(key + "x"));
        assertEquals(Optional.empty(), service.authenticate((String) field(k, "hash")), "what is stored is no key");
        assertEquals(Optional.empty(), service.authenticate(null));
        assertEquals(Optional.empty(), service.authenticate("sbk_" + "a".repeat(200)), "too long to look up");
        k.revoke();
        assertEquals(Optional.empty(), service.authenticate(key), "revoked");
    }

    private static Object field(Object o, String name) throws Exception {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    private static String sha256Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private EntityManager entityManager() {
        return (EntityManager) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {EntityManager.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "persist" -> {
                        stored.add((ApiKey) args[0]);
                        yield null;
                    }
                    case "createNamedQuery" -> {
                        assertEquals(ApiKey.BY_HASH, args[0], "only the by-hash query is expected here");
                        yield byHash();
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private TypedQuery<?> byHash() {
        Map<String, Object> params = new HashMap<>();
        return (TypedQuery<?>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {TypedQuery.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "setParameter" -> {
                        params.put((String) args[0], args[1]);
                        yield proxy;
                    }
                    case "getResultStream" -> stored.stream().filter(k -> {
                        try {
                            return field(k, "hash").equals(params.get("hash"));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
