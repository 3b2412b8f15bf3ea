package dev.usersync.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
 * An issuer like the accounts service, for adapter tests: real Ed25519 keys, a discovery document and a key set served
 * over real HTTP, and tokens with the accounts service's claims. Counts key-set fetches, so tests can show that
 * requests do not call it.
 */
public final class TestIssuer {

    private static TestIssuer shared;

    private final HttpServer server;
    private final Map<String, KeyPair> published = new LinkedHashMap<>();
    private final AtomicInteger keySetFetches = new AtomicInteger();
    private final AtomicInteger syncFetches = new AtomicInteger();
    private final Map<String, String> accounts = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile String signingKid;

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
        server.createContext("/v1/sync/accounts/", exchange -> {
            syncFetches.incrementAndGet();
            String id = exchange.getRequestURI().getPath().substring("/v1/sync/accounts/".length());
            String account = accounts.get(id);
            if (account == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            } else {
                respond(exchange, account);
            }
        });
        server.start();
        rotate();
    }

    /** Answers sync-on-miss for this account as the accounts service would: its current state and chain head. */
    public void knows(AccountLogWriter.Account account, String product, String invitation) {
        var snapshot = dev.usersync.events.EventCodec.mapper().createObjectNode();
        snapshot.put("accountId", account.id().toString());
        snapshot.put("sequence", account.last().sequence());
        snapshot.put("lastHash", account.last().hash());
        snapshot.set("state", dev.usersync.events.EventCodec.mapper().valueToTree(account.state()));
        snapshot.set("signUp", dev.usersync.events.EventCodec.mapper()
                .valueToTree(dev.usersync.events.SignUpContext.of(product, invitation)));
        accounts.put(account.id().toString(), snapshot.toString());
    }

    /** How many sync-on-miss fetches this issuer answered. */
    public int syncFetches() {
        return syncFetches.get();
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

    public int keySetFetches() {
        return keySetFetches.get();
    }

    /** A token as the accounts service issues it. */
    public String token(UUID account, UUID session, List<String> products, Duration lifetime) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(url());
        claims.setSubject(account.toString());
        claims.setClaim("sid", session.toString());
        claims.setStringListClaim("products", products);
        Instant now = Instant.now();
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
        jws.setKeyIdHeaderValue(signingKid);
        jws.setKey(published.get(signingKid).getPrivate());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
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

    private static void respond(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
