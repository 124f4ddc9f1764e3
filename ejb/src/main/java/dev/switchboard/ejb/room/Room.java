package dev.switchboard.ejb.room;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/**
 * A room people meet in. The database is its record; the signaling hot path reads a mirror of it from the
 * {@code rooms} cache. Who is in it right now is not stored here (that lives in the {@code room-members} cache).
 */
@Entity
@Table(name = "sb_room", indexes = @Index(name = "sb_room_tenant", columnList = "tenant, created_at"))
@NamedQuery(name = Room.BY_TENANT,
        query = "select r from Room r where r.tenant = :tenant and (r.expiresAt is null or r.expiresAt > :now)"
                + " order by r.createdAt, r.id")
@NamedQuery(name = Room.EXPIRED_IDS, query = "select r.id from Room r where r.expiresAt is not null and r.expiresAt <= :now")
@NamedQuery(name = Room.DELETE_BY_IDS, query = "delete from Room r where r.id in :ids")
public class Room {

    public static final String BY_TENANT = "Room.byTenant";
    public static final String EXPIRED_IDS = "Room.expiredIds";
    public static final String DELETE_BY_IDS = "Room.deleteByIds";

    @Id
    @Column(length = 32)
    private String id;

    @Column(nullable = false, length = RoomRules.MAX_NAME)
    private String name;

    /** Rooms belong to a tenant; until tenants arrive every caller is in "default". */
    @Column(nullable = false, length = 128)
    private String tenant;

    /** The username of the creator. */
    @Column(nullable = false, length = 128)
    private String owner;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    private RoomMode mode;

    @Column(name = "max_participants", nullable = false)
    private int maxParticipants;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Version
    private long version;

    protected Room() {
        // for JPA
    }

    Room(String id, NewRoom spec, String tenant, String owner, Instant createdAt) {
        this.id = id;
        this.name = spec.name();
        this.mode = spec.mode();
        this.maxParticipants = spec.maxParticipants();
        this.expiresAt = spec.expiresAt();
        this.tenant = tenant;
        this.owner = owner;
        this.createdAt = createdAt;
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getTenant() {
        return tenant;
    }

    public String getOwner() {
        return owner;
    }

    public RoomMode getMode() {
        return mode;
    }

    public int getMaxParticipants() {
        return maxParticipants;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
