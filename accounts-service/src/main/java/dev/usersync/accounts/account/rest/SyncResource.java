package dev.usersync.accounts.account.rest;

import dev.usersync.accounts.account.model.Account;
import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.accounts.session.model.Session;
import dev.usersync.accounts.web.AdminGuard;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventFormatException;
import dev.usersync.events.SyncSnapshot;
import dev.usersync.web.Problem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Sync-on-miss and gap healing: a product adapter that meets an account it has not seen, or finds a hole in an
 * account's sequence, fetches it here and applies it through the same step as log events. The answer is the account's
 * last event as published (signed, so the adapter verifies it like the log) and the sessions revoked within the
 * longest token lifetime, which the sequence guard would otherwise let the adapter skip.
 */
@Path("/v1/sync/accounts/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class SyncResource {

    private final AdminGuard guard;
    private final Duration revocationWindow;

    public SyncResource(AdminGuard guard, AccountsConfig config) {
        this.guard = guard;
        this.revocationWindow = config.tokens().longestLifetime();
    }

    @GET
    public SyncSnapshot get(@Context HttpHeaders headers, @PathParam("id") UUID id) {
        guard.requireSync(headers);
        return QuarkusTransaction.requiringNew().call(() -> {
            Account account = Account.<Account>findByIdOptional(id)
                    .orElseThrow(() -> Problem.notFound("no such account"));
            if (account.lastEvent == null) {
                throw Problem.conflict("unsigned-history", "this account's last event predates signed events; "
                        + "any change to the account records a signed one");
            }
            try {
                return new SyncSnapshot(EventCodec.parse(account.lastEvent.getBytes(StandardCharsets.UTF_8)),
                        Session.<Session>list("accountId = ?1 and revokedAt > ?2", id,
                                Instant.now().minus(revocationWindow)).stream().map(s -> s.id).toList());
            } catch (EventFormatException e) {
                throw new IllegalStateException("the stored last event of account " + id + " is unreadable", e);
            }
        });
    }
}
