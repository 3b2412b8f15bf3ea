package dev.usersync.adapter.sync;

import dev.usersync.adapter.AdapterConfig;
import dev.usersync.adapter.auth.EventKeySet;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventKeys;
import dev.usersync.events.SyncSnapshot;
import dev.usersync.web.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The one synchronous call an adapter makes to the accounts service: for an account it has never seen, and to heal a
 * gap in an account's sequence, fetch its {@link SyncSnapshot} and apply it through {@link AccountSync}, the same
 * serialised, sequence-guarded step as log events. The snapshot's head is the account's last event as published: it is
 * checked like any record of the log (signature, schema, account) before it is applied, and the revoked sessions that
 * come with it are recorded even where the head changes nothing.
 */
@ApplicationScoped
public class SyncOnMiss {

    private static final Logger LOG = Logger.getLogger(SyncOnMiss.class);

    private final AdapterConfig.Auth config;
    private final AccountSync sync;
    private final EventKeySet keys;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public SyncOnMiss(AdapterConfig config, AccountSync sync, EventKeySet keys) {
        this.config = config.auth();
        this.sync = sync;
        this.keys = keys;
    }

    /**
     * Fetches an account and applies it. Two requests racing here both fetch; the apply step's lock and sequence guard
     * make the second a no-op. A 401 problem when the accounts service does not know the account, a 503 when it cannot
     * answer (or answers with something that is not its own signed event).
     */
    public void fetch(UUID accountId) {
        SyncSnapshot snapshot = get(accountId);
        LogRecord head;
        try {
            head = LogRecord.read(accountId.toString().getBytes(StandardCharsets.UTF_8),
                    EventCodec.mapper().writeValueAsBytes(snapshot.head()), keys);
        } catch (IOException | EventKeys.Unavailable e) {
            throw unavailable("the account's state cannot be checked now; try again");
        }
        if (head.rejected()) {
            LOG.errorf("the accounts service's answer for account %s is not applicable: %s", accountId,
                    head.rejection());
            throw unavailable("the accounts service's answer for this account cannot be trusted");
        }
        sync.applySnapshot(head.event(), snapshot.revokedSessions());
    }

    private SyncSnapshot get(UUID accountId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.accountsBase() + "/v1/sync/accounts/" + accountId))
                .timeout(Duration.ofSeconds(3))
                .header("Authorization", "Bearer " + config.syncApiKey().orElse(""))
                .GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 404) {
                throw Problem.unauthorized("the account does not exist");
            }
            if (response.statusCode() != 200) {
                throw unavailable("the accounts service did not answer (" + response.statusCode() + "); try again");
            }
            SyncSnapshot snapshot = EventCodec.mapper().readValue(response.body(), SyncSnapshot.class);
            if (snapshot.head() == null || !snapshot.head().isObject()) {
                throw unavailable("the accounts service's answer has no account state");
            }
            return snapshot;
        } catch (IOException e) {
            throw unavailable("the accounts service is unreachable; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Problem unavailable(String detail) {
        return new Problem(503, "accounts-unavailable", "Service unavailable", detail).header("Retry-After", "2");
    }
}
