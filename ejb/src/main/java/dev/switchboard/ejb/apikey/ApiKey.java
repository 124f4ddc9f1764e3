package dev.switchboard.ejb.apikey;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A machine client's key: it acts in one tenant with one role. Only the SHA-256 of the key is stored (the key is
 * 256 random bits, so a fast hash is enough: there is nothing to guess); the key itself is shown once at creation.
 */
@Entity
@Table(name = "sb_api_key")
@NamedQuery(name = ApiKey.BY_HASH, query = "select k from ApiKey k where k.hash = :hash")
@NamedQuery(name = ApiKey.BY_TENANT, query = "select k from ApiKey k where k.tenant = :tenant order by k.id")
public class ApiKey {

    public static final String BY_HASH = "ApiKey.byHash";
    public static final String BY_TENANT = "ApiKey.byTenant";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 128)
    private String tenant;

    /** Acts as this name (room owner, TURN credential user). */
    @Column(nullable = false, length = 128)
    private String name;

    @Column(nullable = false, length = 16)
    private String role;

    /** SHA-256 of the key, hex. */
    @Column(nullable = false, unique = true, length = 64)
    private String hash;

    /** The key's first characters, so people can tell keys apart in lists. */
    @Column(nullable = false, length = 16)
    private String prefix;

    @Column(name = "created_by", length = 128)
    private String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected ApiKey() {
        // for JPA
    }

    ApiKey(String tenant, String name, String role, String hash, String prefix, String createdBy) {
        this.tenant = tenant;
        this.name = name;
        this.role = role;
        this.hash = hash;
        this.prefix = prefix;
        this.createdBy = createdBy;
        this.createdAt = Instant.now();
    }

    public Long getId() {
        return id;
    }

    public String getTenant() {
        return tenant;
    }

    public String getName() {
        return name;
    }

    public String getRole() {
        return role;
    }

    public String getPrefix() {
        return prefix;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    void revoke() {
        if (revokedAt == null) {
            revokedAt = Instant.now();
        }
    }
}
