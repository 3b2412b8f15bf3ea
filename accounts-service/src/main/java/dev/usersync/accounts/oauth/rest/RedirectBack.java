package dev.usersync.accounts.oauth.rest;

import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The way back to an app: its registered redirect URI with the answer in the query, form-encoded as RFC 6749
 * appendix B says, so that {@code state} decodes to exactly what the app sent, whatever characters it holds; and
 * {@code iss} (RFC 9207), so an app talking to several providers can tell which one answered.
 */
record RedirectBack(String redirectUri, String state, String issuer) {

    Response code(String code) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("code", code);
        return to(answer);
    }

    Response error(String error, String description) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("error", error);
        answer.put("error_description", description);
        return to(answer);
    }

    /** The redirect after RP-initiated logout: only {@code state}. */
    Response loggedOut() {
        return to(new LinkedHashMap<>());
    }

    private Response to(Map<String, String> answer) {
        if (state != null) {
            answer.put("state", state);
        }
        if (issuer != null) {
            answer.put("iss", issuer);
        }
        StringBuilder location = new StringBuilder(redirectUri);
        char separator = redirectUri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> parameter : answer.entrySet()) {
            location.append(separator).append(parameter.getKey()).append('=')
                    .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return Response.seeOther(URI.create(location.toString())).header("Cache-Control", "no-store").build();
    }
}
