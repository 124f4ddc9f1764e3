package dev.switchboard.ejb.apikey;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** API keys of machine clients: create (the key is returned once), list, revoke, and look a presented key up. */
@Stateless
public class ApiKeyService {

    public static final String KEY_PREFIX = "sbk_";
    private static final Set<String> ROLES = Set.of("user", "admin");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What creation returns: the record and the key, which is never shown again. */
    public record Created(ApiKey apiKey, String key) {
    }

    @PersistenceContext(unitName = "switchboard")
    private EntityManager em;

    public Created create(String tenant, String name, String role, String createdBy) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidApiKeyException("name must be 1-128 characters of A-Z a-z 0-9 . _ @ -");
        }
        if (role == null || !ROLES.contains(role)) {
            throw new InvalidApiKeyException("role must be user or admin");
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey k = new ApiKey(tenant, name, role, hash(key), key.substring(0, 12), createdBy);
        em.persist(k);
        return new Created(k, key);
    }

    public List<ApiKey> list(String tenant) {
        return em.createNamedQuery(ApiKey.BY_TENANT, ApiKey.class).setParameter("tenant", tenant).getResultList();
    }

    public Optional<ApiKey> find(long id, String tenant) {
        return Optional.ofNullable(em.find(ApiKey.class, id)).filter(k -> k.getTenant().equals(tenant));
    }

    /** Revoked keys stay listed (who made them, when they stopped) but authenticate no more. */
    public ApiKey revoke(long id, String tenant) {
        ApiKey k = find(id, tenant).orElseThrow(() -> new NoSuchApiKeyException(id));
        k.revoke();
        return k;
    }

    /** The unrevoked key this presented key is, if any. */
    public Optional<ApiKey> authenticate(String presented) {
        if (presented == null || !presented.startsWith(KEY_PREFIX) || presented.length() > 100) {
            return Optional.empty();
        }
        return em.createNamedQuery(ApiKey.BY_HASH, ApiKey.class).setParameter("hash", hash(presented))
                .getResultStream().findFirst().filter(k -> !k.isRevoked());
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
