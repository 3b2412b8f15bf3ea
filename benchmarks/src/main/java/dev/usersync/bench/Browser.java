package dev.usersync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The accounts service as a browser uses it: sign-up, login, a profile change, logout, with the session cookies. */
final class Browser {

    static final String PASSWORD = "correct horse battery staple";
    /** The native app the local mesh registers, and its redirect URI (a custom scheme: confirmed every time). */
    static final String APP = "track-ios";
    private static final String APP_REDIRECT = "com.example.track:/oauth/callback";
    private static final Pattern HIDDEN =
            Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");
    private static final Pattern REFRESH_TOKEN = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");
    /** HTTP/1.1, as browsers speak to a plain-HTTP service (the JDK's client would otherwise upgrade to h2c). */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A signed-in browser: its session and CSRF cookies. */
    record Session(String email, String cookie, String csrf) {
    }

    /** An answer: its status, and the session it opened if it opened one. */
    record Answer(int status, Session session) {
    }

    private final String accounts;

    Browser(String accounts) {
        this.accounts = accounts;
    }

    static String newEmail() {
        return "bench-" + UUID.randomUUID() + "@example.com";
    }

    CompletableFuture<Answer> signUp(String email) {
        return credentials("/v1/signup", email, "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\",\"product\":\"track\"}");
    }

    CompletableFuture<Answer> login(String email) {
        return credentials("/v1/login", email, "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
    }

    CompletableFuture<Answer> rename(Session session, String name) {
        return send(write(session, "/v1/me").method("PATCH",
                HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")), null);
    }

    CompletableFuture<Answer> logout(Session session) {
        return send(write(session, "/v1/logout").POST(HttpRequest.BodyPublishers.noBody()), null);
    }

    /**
     * Signs the app in for a freshly signed-in browser, as a person would: the authorization request, the confirmation
     * page allowed, the code exchanged with its PKCE verifier. Returns the app's first refresh token.
     */
    String appRefreshToken(Session session) {
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String page = sync(HttpRequest.newBuilder(URI.create(accounts + "/oauth2/authorize?response_type=code"
                + "&client_id=" + APP + "&redirect_uri=" + encode(APP_REDIRECT) + "&code_challenge="
                + challenge(verifier) + "&code_challenge_method=S256"))
                .header("Cookie", "mesh_session=" + session.cookie()).GET()).body();
        StringBuilder form = new StringBuilder("decision=allow");
        Matcher hidden = HIDDEN.matcher(page);
        while (hidden.find()) {
            form.append('&').append(hidden.group(1)).append('=').append(encode(hidden.group(2).replace("&amp;", "&")));
        }
        HttpResponse<String> allowed = sync(HttpRequest.newBuilder(URI.create(accounts + "/oauth2/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "mesh_session=" + session.cookie()).POST(HttpRequest.BodyPublishers.ofString(form
                        .toString())));
        String location = allowed.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("no code: " + allowed.statusCode() + " " + page));
        String code = location.substring(location.indexOf("code=") + 5).split("&")[0];
        return refreshTokenOf(sync(tokenRequest("grant_type=authorization_code&client_id=" + APP + "&code=" + code
                + "&redirect_uri=" + encode(APP_REDIRECT) + "&code_verifier=" + verifier)).body());
    }

    /** One refresh grant: the new refresh token, or {@code null} if it was refused. */
    String refresh(String refreshToken) {
        HttpResponse<String> answer = sync(tokenRequest("grant_type=refresh_token&client_id=" + APP
                + "&refresh_token=" + encode(refreshToken)));
        return answer.statusCode() == 200 ? refreshTokenOf(answer.body()) : null;
    }

    private HttpRequest.Builder tokenRequest(String form) {
        return HttpRequest.newBuilder(URI.create(accounts + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
    }

    private static String refreshTokenOf(String tokens) {
        Matcher token = REFRESH_TOKEN.matcher(tokens);
        if (!token.find()) {
            throw new IllegalStateException("no refresh token in " + tokens);
        }
        return token.group(1);
    }

    private static HttpResponse<String> sync(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private CompletableFuture<Answer> credentials(String path, String email, String json) {
        return send(HttpRequest.newBuilder(URI.create(accounts + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), email);
    }

    private HttpRequest.Builder write(Session session, String path) {
        return HttpRequest.newBuilder(URI.create(accounts + path)).header("Content-Type", "application/json")
                .header("Cookie", "mesh_session=" + session.cookie()).header("X-CSRF-Token", session.csrf());
    }

    private static CompletableFuture<Answer> send(HttpRequest.Builder request, String email) {
        return HTTP.sendAsync(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> new Answer(response.statusCode(), email == null ? null
                        : session(email, response.headers().allValues("Set-Cookie"))))
                .exceptionally(failure -> new Answer(-1, null));
    }

    private static Session session(String email, List<String> cookies) {
        String session = cookie(cookies, "mesh_session");
        String csrf = cookie(cookies, "mesh_csrf");
        return session == null || csrf == null ? null : new Session(email, session, csrf);
    }

    private static String cookie(List<String> cookies, String name) {
        for (String cookie : cookies) {
            if (cookie.startsWith(name + "=")) {
                String value = cookie.substring(name.length() + 1, cookie.indexOf(';') < 0 ? cookie.length()
                        : cookie.indexOf(';'));
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }
}
