package dev.usersync.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser of the mesh: plain HTTP, the session cookie and its CSRF token. */
final class Client {

    static final String PASSWORD = "correct horse battery staple";
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    record Session(String accountId, String cookie, String csrf) {
    }

    static HttpResponse<String> send(String method, String url, String json, Session session, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (session != null) {
            request.header("Cookie", "mesh_session=" + session.cookie()).header("X-CSRF-Token", session.csrf());
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + url, e);
        }
    }

    static Session signUp(String accounts, String email, String product, String invitation) {
        return session(send("POST", accounts + "/v1/signup", signUpBody(email, product, invitation), null, null));
    }

    static String signUpBody(String email, String product, String invitation) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"Ada Lovelace\","
                + "\"product\":\"" + product + "\"" + (invitation == null ? "" : ",\"invitation\":\"" + invitation
                + "\"") + "}";
    }

    static Session login(String accounts, String email) {
        return session(send("POST", accounts + "/v1/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\"}", null, null));
    }

    static Session session(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        String cookie = response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("mesh_session="))
                .findFirst().orElseThrow();
        return new Session(field(response.body(), "accountId"),
                cookie.substring("mesh_session=".length(), cookie.indexOf(';')), field(response.body(), "csrfToken"));
    }

    static String field(String json, String name) {
        Matcher text = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (text.find()) {
            return text.group(1);
        }
        Matcher number = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
        if (number.find()) {
            return number.group(1);
        }
        throw new IllegalStateException("no " + name + " in " + json);
    }

    private Client() {
    }
}
