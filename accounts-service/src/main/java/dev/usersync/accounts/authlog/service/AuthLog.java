package dev.usersync.accounts.authlog.service;

import dev.usersync.accounts.authlog.model.AuthLogEntry;
import dev.usersync.accounts.web.RequestInfo;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Records every authentication attempt, in a transaction of its own so that a failed attempt (whose own transaction
 * rolls back) is still recorded.
 */
@ApplicationScoped
public class AuthLog {

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    public static final String BLOCKED = "blocked";

    private final RequestInfo request;

    public AuthLog(RequestInfo request) {
        this.request = request;
    }

    /** One attempt: the account if known, how it ended, the method and product or client, and why it failed. */
    public record Attempt(UUID accountId, AuthAction action, String outcome, String method, String product,
            String clientId, String reason) {

        public static Attempt success(UUID accountId, AuthAction action, String method) {
            return new Attempt(accountId, action, SUCCESS, method, null, null, null);
        }

        public static Attempt failure(UUID accountId, AuthAction action, String method, String reason) {
            return new Attempt(accountId, action, FAILURE, method, null, null, reason);
        }

        public Attempt product(String product) {
            return new Attempt(accountId, action, outcome, method, product, clientId, reason);
        }

        public Attempt client(String clientId) {
            return new Attempt(accountId, action, outcome, method, product, clientId, reason);
        }

        public Attempt blocked() {
            return new Attempt(accountId, action, BLOCKED, method, product, clientId, "throttled");
        }
    }

    public void record(Attempt attempt) {
        AuthLogEntry entry = new AuthLogEntry();
        entry.at = Instant.now();
        entry.accountId = attempt.accountId();
        entry.action = attempt.action().code();
        entry.outcome = attempt.outcome();
        entry.method = attempt.method();
        entry.product = attempt.product();
        entry.clientId = attempt.clientId();
        entry.reason = attempt.reason();
        entry.ip = request.ip();
        entry.userAgent = request.userAgent();
        QuarkusTransaction.requiringNew().run(entry::persist);
    }

    /** Search criteria; every one is optional. */
    public record Search(UUID accountId, Instant from, Instant to, AuthAction action, String product,
            String outcome) {
    }

    public record Result(List<AuthLogEntry> entries, long total) {
    }

    /** Newest first. */
    public Result search(Search search, int page, int size) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (search.accountId() != null) {
            where.add("accountId = :account");
            params.put("account", search.accountId());
        }
        if (search.from() != null) {
            where.add("at >= :from");
            params.put("from", search.from());
        }
        if (search.to() != null) {
            where.add("at < :to");
            params.put("to", search.to());
        }
        if (search.action() != null) {
            where.add("action = :action");
            params.put("action", search.action().code());
        }
        if (search.product() != null) {
            where.add("product = :product");
            params.put("product", search.product());
        }
        if (search.outcome() != null) {
            where.add("outcome = :outcome");
            params.put("outcome", search.outcome());
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            PanacheQuery<AuthLogEntry> query = AuthLogEntry.find(String.join(" and ", where.isEmpty()
                    ? List.of("true = true") : where), Sort.descending("at", "id"), params);
            return new Result(query.page(Page.of(page, size)).list(), query.count());
        });
    }
}
