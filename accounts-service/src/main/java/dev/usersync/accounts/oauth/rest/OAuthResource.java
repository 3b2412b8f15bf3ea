package dev.usersync.accounts.oauth.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.usersync.accounts.account.model.Account;
import dev.usersync.accounts.authlog.service.AuthAction;
import dev.usersync.accounts.authlog.service.AuthLog;
import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.accounts.oauth.service.OAuthError;
import dev.usersync.accounts.oauth.service.OAuthService;
import dev.usersync.accounts.session.rest.SessionCookies;
import dev.usersync.accounts.session.service.Authentication;
import dev.usersync.accounts.session.service.Sessions;
import dev.usersync.accounts.session.service.SignedIn;
import dev.usersync.accounts.throttle.Throttle;
import dev.usersync.accounts.token.service.Tokens;
import dev.usersync.web.ApiKeys;
import dev.usersync.web.Problem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The OAuth 2 and OpenID Connect endpoints of native apps and other clients: authorize (with its confirmation page),
 * token, revoke, userinfo and RP-initiated logout.
 */
@Path("/oauth2")
public class OAuthResource {

    private static final List<String> GRANTS = List.of("authorization_code", "refresh_token");

    private final OAuthService oauth;
    private final Sessions sessions;
    private final Authentication authentication;
    private final SessionCookies cookies;
    private final Tokens tokens;
    private final Throttle throttle;
    private final AuthLog authLog;
    private final AccountsConfig config;

    public OAuthResource(OAuthService oauth, Sessions sessions, Authentication authentication, SessionCookies cookies,
            Tokens tokens, Throttle throttle, AuthLog authLog, AccountsConfig config) {
        this.oauth = oauth;
        this.sessions = sessions;
        this.authentication = authentication;
        this.cookies = cookies;
        this.tokens = tokens;
        this.throttle = throttle;
        this.authLog = authLog;
        this.config = config;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenResponse(@JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType, @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("refresh_token") String refreshToken, @JsonProperty("scope") String scope,
            @JsonProperty("id_token") String idToken) {
    }

    /**
     * An app asks for a code for the signed-in browser session. An unknown client or redirect URI is answered here
     * (never redirected); other request errors go back to the app as RFC 6749 says. The code goes back at once only to
     * an app this person approved before for this scope at an https redirect URI; otherwise (and always for custom
     * schemes and loopback) the person confirms on a page first, with their password when the approval needs it.
     */
    @GET
    @Path("/authorize")
    public Response authorize(@Context HttpHeaders headers, @Context UriInfo uri) {
        AuthorizationRequest request = AuthorizationRequest.from(uri.getQueryParameters());
        AccountsConfig.OAuthClient client = oauth.checkClient(request.clientId(), request.redirectUri());
        RedirectBack back = new RedirectBack(request.redirectUri(), request.state(), config.issuer());
        Map.Entry<String, String> problem = request.problem();
        if (problem != null) {
            return back.error(problem.getKey(), problem.getValue());
        }
        boolean silent = request.prompts().contains("none");
        SignedIn caller;
        try {
            caller = sessions.authenticateBrowser(headers);
        } catch (Problem notSignedIn) {
            if (silent) {
                return back.error("login_required", "nobody is signed in in this browser");
            }
            throw notSignedIn;
        }
        String scope = OAuthService.grantedScope(request.scope());
        boolean password = needsPassword(caller, request);
        if (!password && !request.prompts().contains("consent")
                && oauth.approvedBefore(caller, request.clientId(), request.redirectUri(), scope)) {
            return issue(caller, request, scope, back);
        }
        if (silent) {
            return back.error(password ? "login_required" : "consent_required", password
                    ? "the app needs a recent sign-in" : "the person has to confirm this app");
        }
        return ConsentPage.render(client.name().orElse(request.clientId()), managesAccount(client), request, scope, password,
                sessions.csrfToken(caller.sessionId()), null, 200);
    }

    /** The person's answer on the confirmation page. */
    @POST
    @Path("/authorize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response approve(@Context HttpHeaders headers, MultivaluedMap<String, String> form) {
        AuthorizationRequest request = AuthorizationRequest.from(form);
        AccountsConfig.OAuthClient client = oauth.checkClient(request.clientId(), request.redirectUri());
        RedirectBack back = new RedirectBack(request.redirectUri(), request.state(), config.issuer());
        Map.Entry<String, String> problem = request.problem();
        if (problem != null) {
            return back.error(problem.getKey(), problem.getValue());
        }
        SignedIn caller = sessions.authenticateBrowser(headers);
        if (!ApiKeys.equal(sessions.csrfToken(caller.sessionId()), form.getFirst("csrf"))) {
            throw Problem.forbidden("this confirmation was not sent from this browser's own page");
        }
        String scope = OAuthService.grantedScope(request.scope());
        if (!"allow".equals(form.getFirst("decision"))) {
            authLog.record(AuthLog.Attempt.failure(caller.accountId(), AuthAction.AUTHORIZE, "cookie", "denied")
                    .client(request.clientId()));
            return back.error("access_denied", "the person did not allow the app");
        }
        if (needsPassword(caller, request)) {
            String password = form.getFirst("password");
            String appName = client.name().orElse(request.clientId());
            if (password == null || password.isEmpty()) {
                return ConsentPage.render(appName, managesAccount(client), request, scope, true, form.getFirst("csrf"),
                        "Type your password to allow this app.", 403);
            }
            try {
                authentication.confirm(caller, password, AuthAction.AUTHORIZE);
            } catch (Problem refused) {
                if (refused.status() != 403) {
                    throw refused;
                }
                return ConsentPage.render(appName, managesAccount(client), request, scope, true, form.getFirst("csrf"),
                        "That password is not right.", 403);
            }
        }
        return issue(caller, request, scope, back);
    }

    private static boolean managesAccount(AccountsConfig.OAuthClient client) {
        return client.audience().contains(Tokens.ACCOUNTS);
    }

    private boolean needsPassword(SignedIn caller, AuthorizationRequest request) {
        Long maxAge = request.maxAgeSeconds();
        return request.prompts().contains("login")
                || maxAge != null && caller.authTime().plusSeconds(maxAge).isBefore(Instant.now())
                || oauth.firstApproval(caller, request.clientId()) && !sessions.recentlyAuthenticated(caller);
    }

    private Response issue(SignedIn caller, AuthorizationRequest request, String scope, RedirectBack back) {
        String code = oauth.authorize(caller, new OAuthService.Approval(request.clientId(), request.redirectUri(),
                request.codeChallenge(), scope, request.nonce()));
        authLog.record(AuthLog.Attempt.success(caller.accountId(), AuthAction.AUTHORIZE, "cookie")
                .client(request.clientId()));
        return back.code(code);
    }

    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
            @FormParam("code") String code, @FormParam("redirect_uri") String redirectUri,
            @FormParam("code_verifier") String verifier, @FormParam("refresh_token") String refreshToken) {
        List<Throttle.Key> keys = List.of(throttle.tokenKey());
        String grant = GRANTS.contains(grantType) ? grantType : "other";
        String client = oauth.knows(clientId) ? clientId : null;
        AuthLog.Attempt attempt = AuthLog.Attempt.success(null, AuthAction.TOKEN, grant).client(client);
        try {
            throttle.check(keys);
        } catch (Problem blocked) {
            authLog.record(attempt.blocked());
            OAuthError slowDown = new OAuthError(429, "slow_down", blocked.detail());
            blocked.headers().forEach(slowDown::header);
            throw slowDown;
        }
        try {
            OAuthService.Grant granted = switch (grant) {
                case "authorization_code" -> oauth.exchangeCode(client(clientId), code, redirectUri, verifier);
                case "refresh_token" -> oauth.refresh(client(clientId), refreshToken);
                default -> throw OAuthService.error(400, "unsupported_grant_type",
                        "grant_type is authorization_code or refresh_token");
            };
            authLog.record(new AuthLog.Attempt(granted.accountId(), AuthAction.TOKEN, AuthLog.SUCCESS, grant, null,
                    client, null));
            CacheControl noStore = new CacheControl();
            noStore.setNoStore(true);
            noStore.setNoTransform(false);
            return Response.ok(new TokenResponse(granted.accessToken(), "Bearer", granted.expiresIn(),
                    granted.refreshToken(), granted.scope(), granted.idToken())).cacheControl(noStore)
                    .header("Pragma", "no-cache").build();
        } catch (OAuthError failed) {
            throttle.failed(keys);
            OAuthService.Replay replay = failed instanceof OAuthService.Replay r ? r : null;
            authLog.record(new AuthLog.Attempt(replay == null ? null : replay.accountId(), replay == null
                    ? AuthAction.TOKEN : replay.action(), AuthLog.FAILURE, grant, null, client, failed.error()));
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

    /** OpenID Connect userinfo: the claims the access token's scope allows, for an app's live session. */
    @GET
    @Path("/userinfo")
    @Produces(MediaType.APPLICATION_JSON)
    public Response userinfo(@Context HttpHeaders headers) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new OAuthError(401, "invalid_token", "send the access token as a Bearer token")
                    .header("WWW-Authenticate", "Bearer");
        }
        Tokens.Verified token;
        try {
            token = sessions.authenticateApp(authorization.substring(7).trim());
        } catch (Problem refused) {
            throw new OAuthError(401, "invalid_token", refused.detail())
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        if (!token.hasScope(OAuthService.OPENID)) {
            throw new OAuthError(403, "insufficient_scope", "the access token was not granted the openid scope")
                    .header("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"openid\"");
        }
        Map<String, Object> claims = QuarkusTransaction.requiringNew().call(() -> {
            Account account = Account.findById(token.accountId());
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("sub", account.id.toString());
            if (token.hasScope("profile")) {
                values.put("name", account.name);
                values.put("locale", account.locale);
                values.put("zoneinfo", account.timeZone);
                values.put("updated_at", account.updatedAt.getEpochSecond());
            }
            if (token.hasScope("email")) {
                values.put("email", account.email);
                values.put("email_verified", account.emailVerified);
            }
            return values;
        });
        return Response.ok(claims).header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("/userinfo")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.WILDCARD)
    public Response userinfoByPost(@Context HttpHeaders headers) {
        return userinfo(headers);
    }

    /**
     * OpenID Connect RP-initiated logout: ends the app's session named by {@code id_token_hint} (and this browser's
     * session of the same account) through the log, then goes back to a registered {@code post_logout_redirect_uri}
     * with {@code state}, or shows that the person is signed out.
     */
    @GET
    @Path("/logout")
    public Response logout(@Context HttpHeaders headers, @Context UriInfo uri) {
        return endSession(headers, uri.getQueryParameters());
    }

    @POST
    @Path("/logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logoutByPost(@Context HttpHeaders headers, MultivaluedMap<String, String> form) {
        return endSession(headers, form);
    }

    private Response endSession(HttpHeaders headers, MultivaluedMap<String, String> params) {
        String hintToken = params.getFirst("id_token_hint");
        if (hintToken == null) {
            throw Problem.badRequest("id-token-hint-required", "id_token_hint names the session to end");
        }
        Tokens.IdTokenHint hint = tokens.readIdTokenHint(hintToken);
        String clientId = params.getFirst("client_id");
        if (clientId != null && !clientId.equals(hint.clientId())) {
            throw Problem.badRequest("client-mismatch", "client_id is not the app the ID token was issued to");
        }
        String redirect = params.getFirst("post_logout_redirect_uri");
        if (redirect != null && (!oauth.knows(hint.clientId()) || !config.clients().get(hint.clientId())
                .postLogoutRedirectUris().orElse(List.of()).contains(redirect))) {
            throw Problem.badRequest("unregistered-redirect-uri", "post_logout_redirect_uri is not registered for "
                    + "this app");
        }
        UUID browser;
        try {
            browser = sessions.authenticateBrowser(headers).sessionId();
        } catch (Problem notSignedIn) {
            browser = null;
        }
        boolean browserEnded = oauth.endSession(hint, browser);
        authLog.record(AuthLog.Attempt.success(hint.accountId(), AuthAction.LOGOUT, "end-session")
                .client(hint.clientId()));
        Response response = redirect != null
                ? new RedirectBack(redirect, params.getFirst("state"), null).loggedOut()
                : Response.ok("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signed out"
                        + "</title></head><body><main><h1>You are signed out.</h1></main></body></html>")
                        .type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).header("Cache-Control", "no-store")
                        .build();
        return browserEnded ? cookies.clear(Response.fromResponse(response)).build() : response;
    }

    private String client(String clientId) {
        if (!oauth.knows(clientId)) {
            throw OAuthService.error(401, "invalid_client", "unknown client_id");
        }
        return clientId;
    }
}
