package dev.usersync.accounts.token.rest;

import dev.usersync.accounts.token.model.SigningKey;
import dev.usersync.accounts.token.service.SigningKeys;
import dev.usersync.accounts.web.AdminGuard;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * Key rotation without downtime: the published NEXT key starts signing; the old one stays published (a token key
 * until its last token expires, an event key for ever).
 */
@Path("/v1/admin/signing-keys")
@Produces(MediaType.APPLICATION_JSON)
public class SigningKeyResource {

    private final SigningKeys keys;
    private final AdminGuard admin;

    public SigningKeyResource(SigningKeys keys, AdminGuard admin) {
        this.keys = keys;
        this.admin = admin;
    }

    /** Rotates the token keys. */
    @POST
    @Path("/rotate")
    public Map<String, Object> rotate(@Context HttpHeaders headers) {
        return rotate(headers, SigningKey.Purpose.TOKEN);
    }

    /** Rotates the event-signing keys. */
    @POST
    @Path("/events/rotate")
    public Map<String, Object> rotateEventKeys(@Context HttpHeaders headers) {
        return rotate(headers, SigningKey.Purpose.EVENT);
    }

    private Map<String, Object> rotate(HttpHeaders headers, SigningKey.Purpose purpose) {
        admin.require(headers);
        String signing = keys.rotate(purpose);
        return Map.of("signingKid", signing, "publishedKids", keys.ring(purpose).published().keySet());
    }
}
