package dev.usersync.accounts.oauth.rest;

import dev.usersync.accounts.oauth.service.OAuthError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Writes {@link OAuthError}s as RFC 6749 JSON, never cached. */
public class OAuthErrorMapper {

    @ServerExceptionMapper
    public Response oauthError(OAuthError failure) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", failure.error());
        body.put("error_description", failure.description());
        Response.ResponseBuilder response = Response.status(failure.status()).type(MediaType.APPLICATION_JSON)
                .entity(body).header("Cache-Control", "no-store").header("Pragma", "no-cache");
        failure.headers().forEach(response::header);
        return response.build();
    }
}
