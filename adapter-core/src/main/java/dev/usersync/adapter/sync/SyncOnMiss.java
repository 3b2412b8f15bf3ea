package dev.usersync.adapter.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.adapter.AdapterConfig;
import dev.usersync.web.Problem;
import dev.usersync.events.AccountCreated;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountState;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventType;
import dev.usersync.events.SignUpContext;
import dev.usersync.events.Uuid7;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The one synchronous call an adapter makes to the accounts service: for an account it has never seen, fetch its state
 * (with the head of its chain and where it signed up) and apply it through {@link AccountSync}, the same serialised,
 * sequence-guarded step as log events. The log's own events for that account up to the fetched sequence then change
 * nothing when they arrive.
 */
@ApplicationScoped
public class SyncOnMiss {

    private final AdapterConfig.Auth config;
    private final AccountSync sync;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public SyncOnMiss(AdapterConfig config, AccountSync sync) {
        this.config = config.auth();
        this.sync = sync;
    }

    /**
     * Fetches an account this adapter has not applied yet and applies it. Two requests racing here both fetch; the
     * apply step's lock and sequence guard make the second a no-op.
     */
    public void fetch(UUID accountId) {
        sync.apply(snapshot(get(accountId)));
    }

    private JsonNode get(UUID accountId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.issuer() + "/v1/sync/accounts/" + accountId))
                .timeout(Duration.ofSeconds(3))
                .header("Authorization", "Bearer " + config.syncApiKey().orElse(""))
                .GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 404) {
                throw Problem.unauthorized("the account does not exist");
            }
            if (response.statusCode() != 200) {
                throw new Problem(503, "accounts-unavailable", "Service unavailable",
                        "this account is new here and the accounts service did not answer (" + response.statusCode()
                                + "); try again");
            }
            return EventCodec.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new Problem(503, "accounts-unavailable", "Service unavailable",
                    "this account is new here and the accounts service is unreachable; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The fetched state as an event at the head of the account's chain. It is applied here only (never published),
     * as an AccountCreated so the product sees the sign-up context on first sight.
     */
    static AccountEvent snapshot(JsonNode fetched) {
        try {
            AccountState state = EventCodec.mapper().treeToValue(fetched.get("state"), AccountState.class);
            JsonNode signUp = fetched.path("signUp");
            SignUpContext context = signUp.hasNonNull("product")
                    ? SignUpContext.of(signUp.get("product").asText(), signUp.path("invitation").textValue())
                    : SignUpContext.of("unknown", null);
            long sequence = fetched.get("sequence").asLong();
            return new AccountEvent(Uuid7.next(), state.id(), sequence, Instant.now(), EventType.CURRENT_VERSION,
                    sequence == 1 ? null : fetched.get("lastHash").asText(), null, null,
                    AccountCreated.of(state, context));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the accounts service's answer is not an account", e);
        }
    }
}
