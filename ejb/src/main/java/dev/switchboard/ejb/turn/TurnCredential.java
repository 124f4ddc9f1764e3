package dev.switchboard.ejb.turn;

import dev.switchboard.ejb.user.User;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/**
 * A long-term TURN credential of a user. Only the HA1 key MD5(username:realm:password) is stored — the password is
 * shown once at creation and never kept. The relay holds the keys of enabled, unexpired credentials in memory.
 */
@Entity
@Table(name = "sb_turn_credential")
@NamedQuery(name = TurnCredential.ALL, query = "select c from TurnCredential c join fetch c.user order by c.id")
@NamedQuery(name = TurnCredential.ACTIVE,
        query = "select c from TurnCredential c where c.enabled = true and (c.expiresAt is null or c.expiresAt > :now)")
@NamedQuery(name = TurnCredential.EXPIRED_ENABLED,
        query = "select c from TurnCredential c where c.enabled = true and c.expiresAt is not null and c.expiresAt <= :now")
public class TurnCredential {

    public static final String ALL = "TurnCredential.all";
    public static final String ACTIVE = "TurnCredential.active";
    public static final String EXPIRED_ENABLED = "TurnCredential.expiredEnabled";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id", nullable = false)
    private User user;

    /** The TURN USERNAME clients send. */
    @Column(nullable = false, unique = true, length = 160)
    private String username;

    @Column(length = 256)
    private String label;

    /** MD5(username:realm:password) as 32 lower-case hex digits. */
    @Column(name = "ha1", nullable = false, length = 32)
    private String ha1;

    /** The realm the key was made for: a key is only valid in its realm. */
    @Column(nullable = false, length = 128)
    private String realm;

    @Column(nullable = false)
    private boolean enabled = true;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Version
    private long version;

    protected TurnCredential() {
        // for JPA
    }

    TurnCredential(User user, String username, String label, String ha1, String realm, Instant expiresAt) {
        this.user = user;
        this.username = username;
        this.label = label;
        this.ha1 = ha1;
        this.realm = realm;
        this.createdAt = Instant.now();
        this.expiresAt = expiresAt;
    }

    public Long getId() {
        return id;
    }

    public User getUser() {
        return user;
    }

    public String getUsername() {
        return username;
    }

    public String getLabel() {
        return label;
    }

    String getHa1() {
        return ha1;
    }

    public String getRealm() {
        return realm;
    }

    public boolean isEnabled() {
        return enabled;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    /** Whether the relay should accept it at {@code now}. */
    public boolean isActive(Instant now) {
        return enabled && (expiresAt == null || expiresAt.isAfter(now));
    }
}
