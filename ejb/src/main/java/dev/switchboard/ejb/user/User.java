package dev.switchboard.ejb.user;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import jakarta.persistence.Version;

import java.time.Instant;

/**
 * A person or machine that uses Switchboard. Later issues hang TURN credentials, rooms and tenants off it; the
 * username is the stable key other systems (the IdP, TURN usernames) refer to.
 */
@Entity
// Names are unique per tenant. Databases from before kept a unique key on username alone, which Hibernate's update
// never drops: UserKeyMigration does.
@Table(name = "sb_user",
        uniqueConstraints = @UniqueConstraint(name = "uq_user_tenant_username", columnNames = {"tenant", "username"}))
@NamedQuery(name = User.BY_USERNAME,
        query = "select u from User u where u.tenant = :tenant and u.username = :username")
@NamedQuery(name = User.BY_TENANT, query = "select u from User u where u.tenant = :tenant order by u.username")
public class User {

    public static final String BY_USERNAME = "User.byUsername";
    public static final String BY_TENANT = "User.byTenant";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    /** Unique within the tenant: another tenant may have a user of the same name. */
    @Column(nullable = false, length = 128)
    private String username;

    /**
     * Users, their TURN credentials and usage belong to one tenant; usage is attributed by credential, never by name.
     * Rows from before tenants existed belong to the default tenant.
     */
    @Column(nullable = false, length = 128, columnDefinition = "varchar(128) default 'default' not null")
    private String tenant;

    @Column(name = "display_name", length = 256)
    private String displayName;

    @Column(length = 320)
    private String email;

    @Column(nullable = false)
    private boolean active = true;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Version
    private long version;

    protected User() {
        // for JPA
    }

    public User(String tenant, String username, String displayName, String email) {
        this.tenant = tenant;
        this.username = username;
        this.displayName = displayName;
        this.email = email;
        this.createdAt = Instant.now();
    }

    public Long getId() {
        return id;
    }

    public String getUsername() {
        return username;
    }

    public String getTenant() {
        return tenant;
    }

    public String getDisplayName() {
        return displayName;
    }

    public String getEmail() {
        return email;
    }

    public boolean isActive() {
        return active;
    }

    public void deactivate() {
        this.active = false;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
