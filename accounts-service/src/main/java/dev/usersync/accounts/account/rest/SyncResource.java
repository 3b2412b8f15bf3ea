package dev.usersync.accounts.account.rest;

import dev.usersync.accounts.account.model.Account;
import dev.usersync.accounts.outbox.EventRecorder;
import dev.usersync.web.Problem;
import dev.usersync.accounts.web.AdminGuard;
import dev.usersync.events.AccountState;
import dev.usersync.events.SignUpContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/**
 * Sync-on-miss: a product adapter that gets a request from an account it has not seen yet fetches it here once, and
 * applies it through the same step as log events. The answer carries the head of the account's chain, so the
 * adapter's sequence guard drops the log events it already reflects.
 */
@Path("/v1/sync/accounts/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class SyncResource {

    private final AdminGuard guard;

    public SyncResource(AdminGuard guard) {
        this.guard = guard;
    }

    /** The account's state at the head of its chain, with where it signed up from. */
    public record Snapshot(UUID accountId, long sequence, String lastHash, AccountState state, SignUpContext signUp) {
    }

    @GET
    public Snapshot get(@Context HttpHeaders headers, @PathParam("id") UUID id) {
        guard.requireSync(headers);
        return QuarkusTransaction.requiringNew().call(() -> {
            Account account = Account.<Account>findByIdOptional(id)
                    .orElseThrow(() -> Problem.notFound("no such account"));
            return new Snapshot(account.id, account.lastSequence, account.lastHash, EventRecorder.stateOf(account),
                    account.signupProduct == null ? null
                            : SignUpContext.of(account.signupProduct, account.signupInvitation));
        });
    }
}
