package dev.switchboard.ejb.relay;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;

/** One relay event as the application recorded it: the audit trail of what the relay did and when. */
@Entity
@Table(name = "sb_relay_event", indexes = @Index(name = "ix_relay_event_at", columnList = "occurred_at"))
@NamedQuery(name = RelayEventRecord.RECENT, query = "select e from RelayEventRecord e order by e.id desc")
public class RelayEventRecord {

    public static final String RECENT = "RelayEventRecord.recent";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 64)
    private String type;

    @Column(nullable = false, length = 128)
    private String node;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(length = 128)
    private String subject;

    @Column(length = 32)
    private String state;

    @Column(length = 1024)
    private String detail;

    protected RelayEventRecord() {
        // for JPA
    }

    public RelayEventRecord(String type, String node, Instant occurredAt, String subject, String state, String detail) {
        this.type = type;
        this.node = node;
        this.occurredAt = occurredAt;
        this.subject = subject;
        this.state = state;
        this.detail = detail == null || detail.length() <= 1024 ? detail : detail.substring(0, 1024);
    }

    public Long getId() {
        return id;
    }

    public String getType() {
        return type;
    }

    public String getNode() {
        return node;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public String getSubject() {
        return subject;
    }

    public String getState() {
        return state;
    }

    public String getDetail() {
        return detail;
    }
}
