package dev.usersync.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.IDTokenClaimsVerifier;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A certified OpenID Connect relying-party library (Nimbus OAuth 2.0 SDK with OpenID Connect extensions) runs the
 * whole code flow against the real service, as any standard app would: discovery, code with PKCE, ID-token validation,
 * userinfo, refresh rotation, refresh reuse and RP-initiated logout. The browser's part (the signed-in cookie and the
 * confirmation page) is played over HTTP like the other tests.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(IssuerAtTestPort.class)
class OpenIdRelyingPartyTest {

    private static final ClientID CLIENT = new ClientID(OAuthTest.CLIENT);
    private static final URI CALLBACK = URI.create("com.example.test:/cb");

    @Test
    void aCertifiedRelyingPartyCompletesTheCodeFlowRefreshReuseAndLogout() throws Exception {
        Issuer issuer = new Issuer(IssuerAtTestPort.issuer);
        OIDCProviderMetadata provider = OIDCProviderMetadata.resolve(issuer);
        assertThat(provider.getIssuer()).isEqualTo(issuer);
        IdTokens validator = new IdTokens(provider);
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("relying-party"));

        Nonce nonce = new Nonce();
        OIDCTokens tokens = signIn(provider, ada, nonce);
        IDTokenClaimsSet claims = validator.validate(tokens.getIDToken(), nonce);
        assertThat(claims.getSubject().getValue()).isEqualTo(ada.accountId().toString());
        assertThat(claims.getAuthenticationTime()).isNotNull();
        assertThat(claims.getAccessTokenHash()).isEqualTo(
                AccessTokenHash.compute(tokens.getAccessToken(), JWSAlgorithm.EdDSA, Curve.Ed25519));

        UserInfoResponse userInfo = UserInfoResponse.parse(new UserInfoRequest(provider.getUserInfoEndpointURI(),
                tokens.getBearerAccessToken()).toHTTPRequest().send());
        UserInfo person = userInfo.toSuccessResponse().getUserInfo();
        assertThat(person.getSubject()).isEqualTo(claims.getSubject());
        assertThat(person.getEmailAddress()).isEqualTo(ada.email());
        assertThat(person.getName()).isEqualTo("Ada Lovelace");

        OIDCTokens rotated = token(provider, new RefreshTokenGrant(tokens.getRefreshToken())).toSuccessResponse()
                .getTokens().toOIDCTokens();
        assertThat(rotated.getRefreshToken()).isNotEqualTo(tokens.getRefreshToken());
        assertThat(validator.validate(rotated.getIDToken(), null).getSubject()).isEqualTo(claims.getSubject());

        TokenResponse replayed = token(provider, new RefreshTokenGrant(tokens.getRefreshToken()));
        assertThat(replayed.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) replayed).getErrorObject().getCode())
                .isEqualTo(OAuth2Error.INVALID_GRANT.getCode());
        assertThat(token(provider, new RefreshTokenGrant(rotated.getRefreshToken())).indicatesSuccess())
                .as("the whole family ends with the replay").isFalse();

        OIDCTokens again = signIn(provider, ada, new Nonce());
        State logoutState = new State();
        URI logout = new LogoutRequest(provider.getEndSessionEndpointURI(), again.getIDToken(),
                URI.create("com.example.test:/signed-out"), logoutState).toURI();
        Response loggedOut = ada.cookie().redirects().follow(false).urlEncodingEnabled(false).get(logout.toString());
        assertThat(loggedOut.statusCode()).isEqualTo(303);
        assertThat(OAuthTest.query(URI.create(loggedOut.header("Location"))))
                .containsEntry("state", logoutState.getValue());
        assertThat(UserInfoResponse.parse(new UserInfoRequest(provider.getUserInfoEndpointURI(),
                again.getBearerAccessToken()).toHTTPRequest().send()).indicatesSuccess()).isFalse();
        assertThat(token(provider, new RefreshTokenGrant(again.getRefreshToken())).indicatesSuccess()).isFalse();
    }

    /** The library builds the authorization request; the browser confirms; the library checks and redeems the answer. */
    private static OIDCTokens signIn(OIDCProviderMetadata provider, AccountsApi.Browser browser, Nonce nonce)
            throws Exception {
        State state = new State();
        CodeVerifier verifier = new CodeVerifier();
        AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope("openid", "profile", "email"), CLIENT, CALLBACK)
                .endpointURI(provider.getAuthorizationEndpointURI()).state(state).nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256).build();
        Response page = browser.cookie().redirects().follow(false).urlEncodingEnabled(false)
                .get(request.toURI().toString());
        Response answer = OAuthTest.confirm(browser, page, Map.of());
        assertThat(answer.statusCode()).isEqualTo(303);

        AuthenticationResponse response = AuthenticationResponseParser.parse(URI.create(answer.header("Location")));
        assertThat(response.indicatesSuccess()).isTrue();
        AuthenticationSuccessResponse success = response.toSuccessResponse();
        assertThat(success.getState()).isEqualTo(state);
        assertThat(success.getIssuer()).isEqualTo(provider.getIssuer());
        AuthorizationCode code = success.getAuthorizationCode();
        TokenResponse tokens = token(provider, new AuthorizationCodeGrant(code, CALLBACK, verifier));
        assertThat(tokens.indicatesSuccess()).as(String.valueOf(tokens)).isTrue();
        return ((OIDCTokenResponse) tokens.toSuccessResponse()).getOIDCTokens();
    }

    /**
     * ID-token validation with the library's own parts. Its {@code IDTokenValidator} cannot check EdDSA: its default
     * key selection turns JWKs into {@code java.security.Key}s, which Nimbus does not do for OKP (Ed25519) keys, and its
     * verifier factory has no Ed25519 verifier. So the signature is checked by Nimbus JOSE's {@code Ed25519Verifier}
     * with the key the discovered key set names, and the claims (issuer, audience, expiry, issue time, nonce) by the
     * same {@code IDTokenClaimsVerifier} the validator runs.
     */
    private record IdTokens(OIDCProviderMetadata provider) {

        IDTokenClaimsSet validate(JWT token, Nonce nonce) throws Exception {
            SignedJWT signed = (SignedJWT) token;
            assertThat(signed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
            OctetKeyPair key = (OctetKeyPair) JWKSet.load(provider.getJWKSetURI().toURL())
                    .getKeyByKeyId(signed.getHeader().getKeyID());
            assertThat(signed.verify(new Ed25519Verifier(key.toPublicJWK()))).isTrue();
            new IDTokenClaimsVerifier(provider.getIssuer(), CLIENT, nonce, 30).verify(signed.getJWTClaimsSet(), null);
            return new IDTokenClaimsSet(signed.getJWTClaimsSet());
        }
    }

    private static TokenResponse token(OIDCProviderMetadata provider,
            com.nimbusds.oauth2.sdk.AuthorizationGrant grant) throws Exception {
        return OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(), CLIENT, grant)
                .toHTTPRequest().send());
    }
}
