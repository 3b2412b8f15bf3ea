package dev.usersync.adapter.auth;

import dev.usersync.adapter.AdapterConfig;
import dev.usersync.events.EventKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The accounts service's event-signing keys ({@code /.well-known/event-keys.json}), cached and refreshed like the token
 * keys ({@link PublishedKeys}). Every event is checked against them before it is applied: from the log, from the
 * compacted state topic at bootstrap, from a sync-on-miss or gap-healing fetch, and on a dead letter's replay. A kid
 * the accounts service does not publish makes the event a forgery (dead-lettered); a kid that cannot be looked up
 * because the accounts service is unreachable throws {@link EventKeys.Unavailable}, so the event waits instead.
 */
@Startup // fetches in the background from the start, so the first request or event finds the keys
@ApplicationScoped
public class EventKeySet implements EventKeys {

    private final PublishedKeys<Ed25519PublicKeyParameters> keys;

    public EventKeySet(AdapterConfig config, MeterRegistry registry) {
        AdapterConfig.Auth auth = config.auth();
        URI location = URI.create(auth.accountsBase() + "/.well-known/event-keys.json");
        this.keys = new PublishedKeys<>(new PublishedKeys.Source<>("event key set", "events", http -> location,
                EventKeys::parseJwks, auth.keySetMaxAge(), auth.unknownKidRefetchInterval(), auth.unknownKidWait(),
                auth.fetchTimeout()), registry);
    }

    void stop(@Observes ShutdownEvent event) {
        keys.close();
    }

    @Override
    public Ed25519PublicKeyParameters publicKey(String kid) {
        PublishedKeys.Lookup<Ed25519PublicKeyParameters> found = keys.lookup(kid);
        if (found.found() == PublishedKeys.Found.UNKNOWN) {
            throw new Unavailable("the event key set cannot be fetched from the accounts service, so whether a key it "
                    + "does not hold yet is published is unknown");
        }
        return found.key();
    }
}
