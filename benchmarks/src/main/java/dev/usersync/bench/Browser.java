package dev.usersync.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** The accounts service as a browser uses it: sign-up, login, a profile change, logout, with the session cookies. */
final class Browser {

    static final String PASSWORD = "correct horse battery staple";
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
