package dev.usersync.adapter.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.adapter.AdapterConfig;
import dev.usersync.events.EventCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

/**
 * The accounts service's published keys, cached: fetched through its discovery document, fetched again after
 * {@code adapter.auth.key-set-max-age} (30 min), and at once when a token names an unknown kid, at most every
 * {@code adapter.auth.unknown-kid-refetch-interval}. Requests never wait on the accounts service otherwise.
 */
@ApplicationScoped
public class KeySet {

    private static final Logger LOG = Logger.getLogger(KeySet.class);

    private final AdapterConfig.Auth config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Counter fetches;
    private volatile Map<String, Key> keys = Map.of();
    private volatile Instant fetchedAt = Instant.EPOCH;
    private volatile Instant lastUnknownKidFetch = Instant.EPOCH;
    private volatile URI jwksUri;

    public KeySet(AdapterConfig config, MeterRegistry registry) {
        this.config = config.auth();
        this.fetches = Counter.builder("adapter.keyset.fetches").description("Key set fetches from accounts")
                .register(registry);
    }

    /** The key with this kid, or {@code null} if the accounts service does not publish it. */
    public Key key(String kid) {
        if (fetchedAt.plus(config.keySetMaxAge()).isBefore(Instant.now())) {
            refresh();
        }
        Key key = keys.get(kid);
        if (key == null && lastUnknownKidFetch.plus(config.unknownKidRefetchInterval()).isBefore(Instant.now())) {
            lastUnknownKidFetch = Instant.now();
            refresh();
            key = keys.get(kid);
        }
        return key;
    }

    private synchronized void refresh() {
        try {
            if (jwksUri == null) {
                JsonNode discovery = get(URI.create(config.issuer() + "/.well-known/openid-configuration"));
                jwksUri = URI.create(discovery.path("jwks_uri").asText());
            }
            Map<String, Key> fresh = new HashMap<>();
            for (JsonWebKey jwk : new JsonWebKeySet(get(jwksUri).toString()).getJsonWebKeys()) {
                if (jwk.getKeyId() != null) {
                    fresh.put(jwk.getKeyId(), jwk.getKey());
                }
            }
            keys = Map.copyOf(fresh);
            fetchedAt = Instant.now();
            fetches.increment();
        } catch (IOException | JoseException | IllegalArgumentException e) {
            LOG.warnf("cannot fetch the key set from %s: %s; keeping %d cached keys", config.issuer(), e.getMessage(),
                    keys.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode get(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET()
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode());
        }
        return EventCodec.mapper().readTree(response.body());
    }
}
