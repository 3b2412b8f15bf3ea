package dev.usersync.accounts.oauth.service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error of the token, revocation or userinfo endpoints, answered as RFC 6749 section 5.2 says: {@code
 * application/json} with {@code error} and {@code error_description}, so that standard OAuth clients can read it
 * (problem details are for the rest of the API). Headers such as {@code WWW-Authenticate} travel with it.
 */
public class OAuthError extends RuntimeException {

    private final int status;
    private final String error;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public OAuthError(int status, String error, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
    }

    public OAuthError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }

    public Map<String, String> headers() {
        return headers;
    }
}
