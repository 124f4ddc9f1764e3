package dev.switchboard.ejb.usage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * One TURN allocation as accounted: who, from where, through which relayed address, how long and how much.
 * Usage is attributed to the UTC day the allocation ended ({@code day}), so a day's figures are final once it is over,
 * and to the tenant and user that own the credential ({@code tenant}, {@code owner_name}, {@code credential_id}), as
 * {@link UsageService} found them when the allocation was recorded. Rows from before that have no owner: they count
 * as no tenant's (see docs/abuse.md, Tenants).
 */
@Entity
@Table(name = "sb_allocation",
        uniqueConstraints = @UniqueConstraint(name = "uq_allocation_node_id", columnNames = {"node", "allocation_id"}),
        // allocation_id alone: the batch lookup seeks by id. With "node = ? and allocation_id in (...)" H2 walks the
        // unique index by node and scans every allocation of that node, so the lookup names ids only.
        indexes = {@Index(name = "ix_allocation_user_day", columnList = "username, usage_day"),
                @Index(name = "ix_allocation_id", columnList = "allocation_id"),
                @Index(name = "ix_allocation_tenant_owner_day", columnList = "tenant, owner_name, usage_day"),
                @Index(name = "ix_allocation_credential", columnList = "credential_id")})
@NamedQuery(name = AllocationRecord.BY_IDS,
        query = "select a from AllocationRecord a where a.allocationId in :ids")
public class AllocationRecord {

    public static final String BY_IDS = "AllocationRecord.byIds";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 128)
    private String node;

    @Column(name = "allocation_id", nullable = false)
    private long allocationId;

    @Column(nullable = false, length = 600)
    private String username;

    /** The owning tenant; null for no tenant's (the operator's static users) and for rows without an owner. */
    @Column(length = 128)
    private String tenant;

    /** The owning user's name in {@code tenant}; null only in rows recorded before owners were (not yet attributed). */
    @Column(name = "owner_name", length = 600)
    private String ownerName;

    /** The long-term credential (its id) the allocation authenticated with, if it was one. */
    @Column(name = "credential_id")
    private Long credentialId;

    @Column(nullable = false, length = 8)
    private String transport;

    @Column(length = 64)
    private String client;

    @Column(length = 64)
    private String relayed;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Column(name = "usage_day")
    private LocalDate day;

    @Column(name = "packets_to_peers", nullable = false)
    private long packetsToPeers;

    @Column(name = "bytes_to_peers", nullable = false)
    private long bytesToPeers;

    @Column(name = "packets_from_peers", nullable = false)
    private long packetsFromPeers;

    @Column(name = "bytes_from_peers", nullable = false)
    private long bytesFromPeers;

    @Column(length = 2048)
    private String peers;

    @Column(name = "end_reason", length = 64)
    private String endReason;

    protected AllocationRecord() {
        // for JPA
    }

    public AllocationRecord(String node, long allocationId, String username, String transport, String client,
                            String relayed, Instant startedAt) {
        this.node = node;
        this.allocationId = allocationId;
        this.username = username;
        this.transport = transport;
        this.client = client;
        this.relayed = relayed;
        this.startedAt = startedAt;
    }

    /** Whose usage this is: the owner of the credential, decided once when the allocation is recorded. */
    public void attribute(UsageOwner owner, Long credential) {
        this.tenant = owner.tenant();
        this.ownerName = owner.user();
        this.credentialId = credential;
    }

    /** Records the end and the traffic; idempotent for a repeated delivery of the same end. */
    public void end(Instant at, long packetsTo, long bytesTo, long packetsFrom, long bytesFrom, String peerList,
                    String reason) {
        this.endedAt = at;
        this.day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        this.packetsToPeers = packetsTo;
        this.bytesToPeers = bytesTo;
        this.packetsFromPeers = packetsFrom;
        this.bytesFromPeers = bytesFrom;
        this.peers = peerList == null || peerList.length() <= 2048 ? peerList : peerList.substring(0, 2048);
        this.endReason = reason == null || reason.length() <= 64 ? reason : reason.substring(0, 64);
    }

    public Long getId() {
        return id;
    }

    public String getNode() {
        return node;
    }

    public long getAllocationId() {
        return allocationId;
    }

    public String getUsername() {
        return username;
    }

    public String getTenant() {
        return tenant;
    }

    public String getOwnerName() {
        return ownerName;
    }

    public Long getCredentialId() {
        return credentialId;
    }

    public String getTransport() {
        return transport;
    }

    public String getClient() {
        return client;
    }

    public String getRelayed() {
        return relayed;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getEndedAt() {
        return endedAt;
    }

    public LocalDate getDay() {
        return day;
    }

    public long getPacketsToPeers() {
        return packetsToPeers;
    }

    public long getBytesToPeers() {
        return bytesToPeers;
    }

    public long getPacketsFromPeers() {
        return packetsFromPeers;
    }

    public long getBytesFromPeers() {
        return bytesFromPeers;
    }

    public String getPeers() {
        return peers;
    }

    public String getEndReason() {
        return endReason;
    }
}
