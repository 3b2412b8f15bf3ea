package dev.usersync.accounts.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of the transactional outbox, in Debezium's outbox layout plus the chain position and trace context. */
@Entity
@Table(name = "outbox")
public class OutboxEvent extends PanacheEntityBase {

    public static final String AGGREGATE_TYPE = "account";

    @Id
    public UUID id;

    public String aggregatetype;

    public UUID aggregateid;

    public String type;

    public String payload;

    public long sequence;

    public String traceparent;

    public String tracestate;

    @Column(name = "created_at")
    public Instant createdAt;
}
