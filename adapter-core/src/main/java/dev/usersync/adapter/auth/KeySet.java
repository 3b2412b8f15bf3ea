package dev.usersync.adapter.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.adapter.AdapterConfig;
import dev.usersync.events.EventFormatException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.security.Key;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

/**
 * The accounts service's token keys, cached ({@link PublishedKeys}): found through its discovery document, refreshed
 * in the background every {@code adapter.auth.key-set-max-age} (30 min), and fetched at once for an unknown kid, at
 * most every {@code adapter.auth.unknown-kid-refetch-interval}. A request never waits on the accounts service for a
 * key this adapter holds, whether the accounts service answers or not.
 */
@Startup // fetches in the background from the start, so the first request or event finds the keys
@ApplicationScoped
public class KeySet {

    private final PublishedKeys<Key> keys;

    public KeySet(AdapterConfig config, MeterRegistry registry) {
        AdapterConfig.Auth auth = config.auth();
        URI discovery = URI.create(auth.accountsBase() + "/.well-known/openid-configuration");
        this.keys = new PublishedKeys<>(new PublishedKeys.Source<>("token key set", "tokens",
                http -> reachable(URI.create(http.get(discovery).path("jwks_uri").asText()), auth.accountsUrl()),
                KeySet::parse,
                auth.keySetMaxAge(), auth.unknownKidRefetchInterval(), auth.unknownKidWait(), auth.fetchTimeout()),
                registry);
    }

    /**
     * The key set's address as this adapter reaches it: the discovery document names it under the public issuer; with
     * {@code adapter.auth.accounts-url} set, the same path there.
     */
    static URI reachable(URI published, Optional<String> accountsUrl) {
        if (accountsUrl.isEmpty()) {
            return published;
        }
        String query = published.getRawQuery() == null ? "" : "?" + published.getRawQuery();
        return URI.create(accountsUrl.get() + published.getRawPath() + query);
    }

    void stop(@Observes ShutdownEvent event) {
        keys.close();
    }

    /** The key with this kid, or {@code null} if it is not published (or cannot be fetched now). */
    public Key key(String kid) {
        return keys.lookup(kid).key();
    }

    private static Map<String, Key> parse(JsonNode jwks) {
        try {
            Map<String, Key> parsed = new HashMap<>();
            for (JsonWebKey jwk : new JsonWebKeySet(jwks.toString()).getJsonWebKeys()) {
                if (jwk.getKeyId() != null) {
                    parsed.put(jwk.getKeyId(), jwk.getKey());
                }
            }
            return parsed;
        } catch (JoseException e) {
            throw new EventFormatException("the token key set is not a JWK set: " + e.getMessage());
        }
    }
}
