package dev.usersync.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventSigner;
import dev.usersync.events.SyncSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * An issuer like the accounts service, for adapter tests: real Ed25519 keys, a discovery document, a token key set and
 * the event key set of {@link AccountLogWriter#SIGNER} served over real HTTP, tokens with the accounts service's
 * claims, and sync snapshots. Counts key-set fetches, so tests can show that requests do not call it; can stall like
 * an accounts service that accepts connections and never answers.
 */
public final class TestIssuer {

    private static TestIssuer shared;

    private final HttpServer server;
    private final Map<String, KeyPair> published = new LinkedHashMap<>();
    private final AtomicInteger keySetFetches = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, Integer> syncFetches = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> accounts = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile String signingKid;
    private volatile CountDownLatch stalled;
    private final List<EventSigner> eventSigners = new java.util.concurrent.CopyOnWriteArrayList<>(
            List.of(AccountLogWriter.SIGNER));

    private TestIssuer() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/.well-known/openid-configuration", exchange -> respond(exchange,
                "{\"issuer\":\"" + url() + "\",\"jwks_uri\":\"" + url() + "/.well-known/jwks.json\"}"));
        server.createContext("/.well-known/jwks.json", exchange -> {
            keySetFetches.incrementAndGet();
            respond(exchange, keySet());
        });
        server.createContext("/.well-known/event-keys.json", exchange -> respond(exchange, eventKeySet()));
        server.createContext("/v1/sync/accounts/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/v1/sync/accounts/".length());
            syncFetches.merge(id, 1, Integer::sum);
            String account = accounts.get(id);
            if (account == null) {
                requests.incrementAndGet();
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            } else {
                respond(exchange, account);
            }
        });
        server.start();
        rotate();
    }

    /**
     * Answers sync-on-miss for this account as the accounts service would: its last event as published, and the
     * sessions revoked recently.
     */
    public void knows(AccountLogWriter.Account account, UUID... revokedSessions) {
        knows(account.last(), revokedSessions);
    }

    /** Answers sync-on-miss for the account of {@code head} with that event as its last. */
    public void knows(AccountEvent head, UUID... revokedSessions) {
        accounts.put(head.accountId().toString(), EventCodec.mapper().valueToTree(new SyncSnapshot(
                EventCodec.toTree(head), List.of(revokedSessions))).toString());
    }

    /** How many sync-on-miss fetches of this account this issuer was asked. */
    public int syncFetches(UUID account) {
        return syncFetches.getOrDefault(account.toString(), 0);
    }

    /** From now on requests are accepted and never answered, as by an accounts service that hangs. */
    public void stall() {
        stalled = new CountDownLatch(1);
    }

    /** Answers again, the requests held meanwhile included. */
    public void resume() {
        CountDownLatch held = stalled;
        stalled = null;
        if (held != null) {
            held.countDown();
        }
    }

    public static synchronized TestIssuer shared() {
        if (shared == null) {
            shared = new TestIssuer();
        }
        return shared;
    }

    public String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** Publishes a new key and signs with it from now on; earlier keys stay published. */
    public synchronized String rotate() {
        try {
            String kid = "test-" + UUID.randomUUID().toString().substring(0, 8);
            published.put(kid, KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
            signingKid = kid;
            return kid;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kid tokens are signed with now. */
    public synchronized String signingKid() {
        return signingKid;
    }

    /** Stops publishing a key, as the accounts service would after a compromise. */
    public synchronized void withdraw(String kid) {
        if (kid.equals(signingKid)) {
            throw new IllegalArgumentException("rotate before withdrawing the signing key");
        }
        published.remove(kid);
    }

    /** Signs with a key that is not published yet, as the accounts service's NEXT key before anyone refetched. */
    public synchronized String signWithNewKey(UUID account, UUID session, List<String> products) {
        rotate();
        return token(account, session, products, Duration.ofMinutes(5));
    }

    /** Every request answered so far, of any kind: what a product would have asked the accounts service. */
    public int requests() {
        return requests.get();
    }

    /** The URL of the event key set. */
    public String eventKeysUrl() {
        return url() + "/.well-known/event-keys.json";
    }

    public int keySetFetches() {
        return keySetFetches.get();
    }

    /**
     * A browser session's token as the accounts service issues it: {@code typ} session+jwt, {@code aud} the accounts API
     * and {@code products}.
     */
    public String token(UUID account, UUID session, List<String> products, Duration lifetime) {
        List<String> audience = new ArrayList<>(List.of("accounts"));
        audience.addAll(products);
        return sign("session+jwt", account, session, audience, null, lifetime);
    }

    /** A native app's OAuth access token as the accounts service issues it: {@code typ} at+jwt, for {@code audience}. */
    public String accessToken(UUID account, UUID session, String clientId, List<String> audience) {
        return sign("at+jwt", account, session, audience, clientId, Duration.ofMinutes(5));
    }

    /** A token of any {@code typ} (none if null), signed with the current key. */
    public synchronized String sign(String typ, UUID account, UUID session, List<String> audience, String clientId,
            Duration lifetime) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(url());
        claims.setSubject(account.toString());
        claims.setAudience(audience);
        claims.setClaim("sid", session.toString());
        Instant now = Instant.now();
        claims.setClaim("auth_time", now.getEpochSecond());
        if (clientId != null) {
            claims.setClaim("client_id", clientId);
        }
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
        jws.setKeyIdHeaderValue(signingKid);
        if (typ != null) {
            jws.setHeader("typ", typ);
        }
        jws.setKey(published.get(signingKid).getPrivate());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes another event-signing key, as the accounts service does before it signs with it. */
    public void publishEventKey(EventSigner signer) {
        eventSigners.add(signer);
    }

    private String eventKeySet() {
        return EventCodec.mapper().valueToTree(Map.of("keys", eventSigners.stream().map(EventSigner::jwk).toList()))
                .toString();
    }

    private synchronized String keySet() {
        try {
            List<JsonWebKey> keys = new ArrayList<>();
            for (Map.Entry<String, KeyPair> entry : published.entrySet()) {
                PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(entry.getValue().getPublic());
                jwk.setKeyId(entry.getKey());
                keys.add(jwk);
            }
            return new JsonWebKeySet(keys).toJson();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private void respond(HttpExchange exchange, String json) throws IOException {
        requests.incrementAndGet();
        CountDownLatch held = stalled;
        if (held != null) {
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
