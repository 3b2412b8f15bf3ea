package dev.usersync.accounts.authlog.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One authentication action: who, what, how it ended, from where. */
@Entity
@Table(name = "auth_log")
public class AuthLogEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public Instant at;

    @Column(name = "account_id")
    public UUID accountId;

    public String action;

    public String outcome;

    public String method;

    public String product;

    @Column(name = "client_id")
    public String clientId;

    public String ip;

    @Column(name = "user_agent")
    public String userAgent;

    public String reason;
}
