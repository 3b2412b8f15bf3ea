package dev.usersync.accounts.oauth.rest;

import dev.usersync.accounts.oauth.service.OAuthService;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of an authorization request, from the query (the app's request) or the confirmation form (the
 * person's answer), which carries them back unchanged.
 */
record AuthorizationRequest(String responseType, String clientId, String redirectUri, String scope, String state,
        String nonce, String codeChallenge, String codeChallengeMethod, String prompt, String maxAge,
        String duplicated) {

    /** The parameters the confirmation form carries back. */
    static final List<String> NAMES = List.of("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
            "code_challenge", "code_challenge_method", "prompt", "max_age");

    /** The {@code prompt} values this provider honours. */
    static final List<String> PROMPTS = List.of("none", "login", "consent");

    static AuthorizationRequest from(MultivaluedMap<String, String> params) {
        String duplicated = NAMES.stream().filter(name -> params.get(name) != null && params.get(name).size() > 1)
                .findFirst().orElse(null);
        return new AuthorizationRequest(params.getFirst("response_type"), params.getFirst("client_id"),
                params.getFirst("redirect_uri"), params.getFirst("scope"), params.getFirst("state"),
                params.getFirst("nonce"), params.getFirst("code_challenge"),
                params.getFirst("code_challenge_method"), params.getFirst("prompt"), params.getFirst("max_age"),
                duplicated);
    }

    /** What is wrong with the request, as an RFC 6749 error and its description; {@code null} when nothing is. */
    Map.Entry<String, String> problem() {
        if (duplicated != null) {
            return Map.entry("invalid_request", duplicated + " is given more than once");
        }
        if (!"code".equals(responseType)) {
            return Map.entry("unsupported_response_type", "response_type must be code");
        }
        if (!"S256".equals(codeChallengeMethod) || !OAuthService.validPkceValue(codeChallenge)) {
            return Map.entry("invalid_request", "PKCE with code_challenge_method=S256 is required");
        }
        if (!PROMPTS.containsAll(prompts()) || prompts().contains("none") && prompts().size() > 1) {
            return Map.entry("invalid_request", "prompt is none alone, or any of login and consent");
        }
        if (maxAge != null && !maxAge.matches("[0-9]{1,9}")) {
            return Map.entry("invalid_request", "max_age is a number of seconds");
        }
        return null;
    }

    Set<String> prompts() {
        return prompt == null || prompt.isBlank() ? Set.of()
                : new LinkedHashSet<>(Arrays.asList(prompt.trim().split(" +")));
    }

    /** {@code max_age} in seconds, or {@code null}; call after {@link #problem()} found none. */
    Long maxAgeSeconds() {
        return maxAge == null ? null : Long.valueOf(maxAge);
    }

    /** The parameters as given, for the confirmation form. */
    Map<String, String> asParameters() {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        String[] given = {responseType, clientId, redirectUri, scope, state, nonce, codeChallenge,
            codeChallengeMethod, prompt, maxAge};
        for (int i = 0; i < given.length; i++) {
            if (given[i] != null) {
                values.put(NAMES.get(i), given[i]);
            }
        }
        return values;
    }
}
