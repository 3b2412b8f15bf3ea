package dev.usersync.accounts.oauth.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.usersync.accounts.authlog.service.AuthAction;
import dev.usersync.accounts.authlog.service.AuthLog;
import dev.usersync.accounts.oauth.service.OAuthService;
import dev.usersync.web.Problem;
import dev.usersync.accounts.session.service.Sessions;
import dev.usersync.accounts.session.service.SignedIn;
import dev.usersync.accounts.throttle.Throttle;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import java.util.UUID;

/** The OAuth 2 endpoints native apps use. */
@Path("/oauth2")
public class OAuthResource {

    private final OAuthService oauth;
    private final Sessions sessions;
    private final Throttle throttle;
    private final AuthLog authLog;

    public OAuthResource(OAuthService oauth, Sessions sessions, Throttle throttle, AuthLog authLog) {
        this.oauth = oauth;
        this.sessions = sessions;
        this.throttle = throttle;
        this.authLog = authLog;
    }

    public record TokenResponse(@JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType, @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("refresh_token") String refreshToken) {
    }

    /**
     * Issues a code to the signed-in browser session and redirects back to the app. An unknown client or redirect
     * URI is answered here (never redirected); other request errors are redirected to the app as RFC 6749 says.
     */
    @GET
    @Path("/authorize")
    public Response authorize(@Context HttpHeaders headers, @QueryParam("response_type") String responseType,
            @QueryParam("client_id") String clientId, @QueryParam("redirect_uri") String redirectUri,
            @QueryParam("code_challenge") String codeChallenge,
            @QueryParam("code_challenge_method") String challengeMethod, @QueryParam("state") String state) {
        oauth.checkClient(clientId, redirectUri);
        UriBuilder back = UriBuilder.fromUri(redirectUri);
        if (state != null) {
            back.queryParam("state", state);
        }
        if (!"code".equals(responseType)) {
            return Response.seeOther(back.queryParam("error", "unsupported_response_type").build()).build();
        }
        if (!"S256".equals(challengeMethod) || !OAuthService.validPkceValue(codeChallenge)) {
            return Response.seeOther(back.queryParam("error", "invalid_request")
                    .queryParam("error_description", "PKCE with code_challenge_method=S256 is required").build())
                    .build();
        }
        SignedIn caller = sessions.authenticateBrowser(headers);
        String code = oauth.authorize(caller, clientId, redirectUri, codeChallenge);
        authLog.record(AuthLog.Attempt.success(caller.accountId(), AuthAction.AUTHORIZE, "cookie").client(clientId));
        return Response.seeOther(back.queryParam("code", code).build()).build();
    }

    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
            @FormParam("code") String code, @FormParam("redirect_uri") String redirectUri,
            @FormParam("code_verifier") String verifier, @FormParam("refresh_token") String refreshToken) {
        List<Throttle.Key> keys = List.of(throttle.ipKey());
        AuthLog.Attempt attempt = AuthLog.Attempt.success(null, AuthAction.TOKEN, grantType).client(clientId);
        try {
            throttle.check(keys);
        } catch (Problem blocked) {
            authLog.record(attempt.blocked());
            throw blocked;
        }
        try {
            OAuthService.Grant grant = switch (grantType == null ? "" : grantType) {
                case "authorization_code" -> oauth.exchangeCode(client(clientId), code, redirectUri, verifier);
                case "refresh_token" -> oauth.refresh(client(clientId), refreshToken);
                default -> throw OAuthService.error(400, "unsupported_grant_type",
                        "grant_type is authorization_code or refresh_token");
            };
            authLog.record(new AuthLog.Attempt(grant.accountId(), AuthAction.TOKEN, AuthLog.SUCCESS, grantType, null,
                    clientId, null));
            CacheControl noStore = new CacheControl();
            noStore.setNoStore(true);
            noStore.setNoTransform(false);
            return Response.ok(new TokenResponse(grant.accessToken(), "Bearer", grant.expiresIn(),
                    grant.refreshToken())).cacheControl(noStore).build();
        } catch (Problem failed) {
            throttle.failure(keys);
            boolean reuse = failed instanceof OAuthService.Replay;
            authLog.record(new AuthLog.Attempt(reuse ? ((OAuthService.Replay) failed).accountId() : null,
                    reuse ? AuthAction.REFRESH_TOKEN_REUSE : AuthAction.TOKEN, AuthLog.FAILURE, grantType, null,
                    clientId, String.valueOf(failed.extensions().get("error"))));
            throw failed;
        }
    }

    /** RFC 7009: revokes a refresh token's family and session; answers 200 whether or not the token was known. */
    @POST
    @Path("/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@FormParam("token") String token, @FormParam("client_id") String clientId) {
        UUID account = oauth.revoke(client(clientId), token);
        if (account != null) {
            authLog.record(AuthLog.Attempt.success(account, AuthAction.TOKEN_REVOKE, "refresh_token").client(clientId));
        }
        return Response.ok().build();
    }

    private String client(String clientId) {
        if (clientId == null || !oauth.knows(clientId)) {
            throw OAuthService.error(401, "invalid_client", "unknown client_id");
        }
        return clientId;
    }
}
