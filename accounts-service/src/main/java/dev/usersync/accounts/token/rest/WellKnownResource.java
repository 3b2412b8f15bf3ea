package dev.usersync.accounts.token.rest;

import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.accounts.oauth.service.OAuthService;
import dev.usersync.accounts.token.model.SigningKey;
import dev.usersync.accounts.token.service.SigningKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.lang.JoseException;

/**
 * The key sets and discovery document every product uses to verify tokens locally, and the event-signing keys every
 * consumer of the account log verifies events with.
 */
@Path("/.well-known")
public class WellKnownResource {

    private final SigningKeys keys;
    private final AccountsConfig config;

    public WellKnownResource(SigningKeys keys, AccountsConfig config) {
        this.keys = keys;
        this.config = config;
    }

    @GET
    @Path("/jwks.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() throws JoseException {
        return keySet(SigningKey.Purpose.TOKEN);
    }

    /** The event-signing keys: every key that ever signed an event stays here, so the whole log stays verifiable. */
    @GET
    @Path("/event-keys.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response eventKeys() throws JoseException {
        return keySet(SigningKey.Purpose.EVENT);
    }

    private Response keySet(SigningKey.Purpose purpose) throws JoseException {
        List<JsonWebKey> published = new ArrayList<>();
        for (SigningKeys.PublicKeyEntry entry : keys.ring(purpose).published().values()) {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(entry.key());
            jwk.setKeyId(entry.kid());
            jwk.setUse("sig");
            jwk.setAlgorithm(AlgorithmIdentifiers.EDDSA);
            published.add(jwk);
        }
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(new JsonWebKeySet(published).toJson()).cacheControl(cache).build();
    }

    /** OpenID Provider metadata: exactly what is implemented, nothing more. */
    @GET
    @Path("/openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> discovery() {
        String issuer = config.issuer();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("authorization_endpoint", issuer + "/oauth2/authorize");
        document.put("token_endpoint", issuer + "/oauth2/token");
        document.put("userinfo_endpoint", issuer + "/oauth2/userinfo");
        document.put("jwks_uri", issuer + "/.well-known/jwks.json");
        document.put("revocation_endpoint", issuer + "/oauth2/revoke");
        document.put("end_session_endpoint", issuer + "/oauth2/logout");
        document.put("scopes_supported", OAuthService.SCOPES);
        document.put("response_types_supported", List.of("code"));
        document.put("response_modes_supported", List.of("query"));
        document.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        document.put("code_challenge_methods_supported", List.of("S256"));
        document.put("token_endpoint_auth_methods_supported", List.of("none"));
        document.put("revocation_endpoint_auth_methods_supported", List.of("none"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of(AlgorithmIdentifiers.EDDSA));
        document.put("prompt_values_supported", List.of("none", "login", "consent"));
        document.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash",
                "azp", "sid", "name", "locale", "zoneinfo", "updated_at", "email", "email_verified"));
        document.put("claims_parameter_supported", false);
        document.put("request_parameter_supported", false);
        document.put("request_uri_parameter_supported", false);
        document.put("authorization_response_iss_parameter_supported", true);
        return document;
    }
}
