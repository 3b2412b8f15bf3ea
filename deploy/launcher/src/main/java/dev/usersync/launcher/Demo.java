package dev.usersync.launcher;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the mesh does, step by step, against the running services: sign-ups with and without a Track invitation and
 * from Work, login, the adapters with the session cookie and with an OAuth access token, an email change, logout.
 * Propagation times are measured from the accounts service's answer to the row appearing in each product's own
 * database.
 */
final class Demo {

    private static final String OWNED = """
            SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id JOIN workspaces w ON w.id = m.workspace_id
            WHERE u.account_id = ?::uuid AND w.personal AND m.role = 'owner'""";
    private static final Pattern STRING = Pattern.compile("\"%s\"\\s*:\\s*\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String accounts;
    private final String track;
    private final String plan;
    private final String trackDb;
    private final String planDb;
    private final String work;
    private final String workDb;
    private final String adminKey;
    private final BiFunction<String, String, Optional<String>> mailbox;

    /**
     * {@code urls} and {@code databases}: each product's adapter and cache, by product id; {@code mailbox}: the token
     * of the last link mailed to an address for a page ({@code LocalMesh.mailedToken}).
     */
    Demo(String accounts, Map<String, String> urls, Map<String, String> databases, String adminKey,
            BiFunction<String, String, Optional<String>> mailbox) {
        this.adminKey = adminKey;
        this.mailbox = mailbox;
        this.accounts = accounts;
        this.track = urls.get("track");
        this.plan = urls.get("plan");
        this.work = urls.get("work");
        this.trackDb = databases.get("track");
        this.planDb = databases.get("plan");
        this.workDb = databases.get("work");
    }

    record Session(String accountId, String cookie, String csrf) {
    }

    void run() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String password = "correct horse battery staple";
        step("1. Ada signs up from Track, without an invitation");
        long start = System.nanoTime();
        Session ada = session(send("POST", accounts + "/v1/signup", json("email", "ada-" + run + "@example.com",
                "password", password, "name", "Ada Lovelace", "product", "track"), null));
        long accepted = System.nanoTime();
        say("   account %s created in %d ms", ada.accountId(), ms(start, accepted));
        say("   reached Track's users table in %d ms, Plan's members table: %s (Ada may not use Plan)",
                awaitRow(trackDb, "SELECT 1 FROM users WHERE account_id = ?::uuid", ada.accountId(), accepted),
                row(planDb, "SELECT 1 FROM members WHERE account_id = ?::uuid", ada.accountId()) ? "yes" : "no");
        String me = send("GET", track + "/v1/track/me", null, ada).body();
        say("   GET track /v1/track/me with the cookie: %s", me);
        String workspace = field(me, "workspaceId");

        step("2. Ada invites Bob to her workspace in Track");
        String invitation = send("POST", track + "/v1/track/workspaces/" + workspace + "/invitations",
                json("email", "bob-" + run + "@example.com"), ada).body();
        String code = field(invitation, "code");
        say("   invitation %s", invitation);

        step("3. Bob signs up through the invitation");
        Session bob = session(send("POST", accounts + "/v1/signup", json("email", "bob-" + run + "@example.com",
                "password", password, "name", "Bob Babbage", "product", "track", "invitation", code), null));
        accepted = System.nanoTime();
        say("   reached Track in %d ms", awaitRow(trackDb, "SELECT 1 FROM users WHERE account_id = ?::uuid",
                bob.accountId(), accepted));
        say("   Bob in Track: %s", send("GET", track + "/v1/track/me", null, bob).body());
        say("   (an invitation to an address is joined once its owner proves it: Bob is not a member yet)");

        step("3b. Bob opens the link mailed to him (the local mesh writes mails to .mesh/logs/accounts-service.log)");
        long waited = System.nanoTime();
        String token;
        while ((token = mailbox.apply("bob-" + run + "@example.com", "verify-email").orElse(null)) == null) {
            if (System.nanoTime() - waited > 10_000_000_000L) {
                throw new IllegalStateException("no verification mail for Bob in the accounts service's log");
            }
            Thread.sleep(100);
        }
        send("POST", accounts + "/v1/email-verification/confirm", json("token", token), null);
        accepted = System.nanoTime();
        say("   joined Ada's workspace in Track after %d ms", awaitRow(trackDb, "SELECT 1 FROM memberships m "
                + "JOIN users u ON u.id = m.user_id WHERE u.account_id = ?::uuid AND m.workspace_id = " + workspace,
                bob.accountId(), accepted));
        say("   Bob in Track: %s", send("GET", track + "/v1/track/me", null, bob).body());
        say("   personal workspaces Bob owns: %s (an invited person gets none); Ada owns %s", count(trackDb, OWNED,
                bob.accountId()), count(trackDb, OWNED, ada.accountId()));

        step("4. An admin grants Plan to Ada; Ada logs in again");
        send("PUT", accounts + "/v1/admin/accounts/" + ada.accountId() + "/products/plan", "", new Session(null, null,
                null), "Bearer " + adminKey);
        accepted = System.nanoTime();
        say("   reached Plan's members table in %d ms", awaitRow(planDb,
                "SELECT 1 FROM members WHERE account_id = ?::uuid", ada.accountId(), accepted));
        Session again = session(send("POST", accounts + "/v1/login", json("email", "ada-" + run + "@example.com",
                "password", password), null));
        say("   GET plan /v1/plan/me with the new cookie: %s", send("GET", plan + "/v1/plan/me", null, again).body());

        step("4b. Carol signs up from Work, the expense product");
        Session carol = session(send("POST", accounts + "/v1/signup", json("email", "carol-" + run + "@example.com",
                "password", password, "name", "Carol Shaw", "product", "work"), null));
        accepted = System.nanoTime();
        say("   reached Work's people table in %d ms, in the default cost centre (a Work sign-up's)", awaitRow(workDb,
                "SELECT 1 FROM people WHERE account_id = ?::uuid AND cost_center = 'GENERAL'", carol.accountId(),
                accepted));
        say("   GET work /v1/work/me with the cookie: %s", send("GET", work + "/v1/work/me", null, carol).body());

        step("5. Ada changes her email (signed in minutes ago: no password needed); her other sessions end");
        String newEmail = "ada.king-" + run + "@example.com";
        send("PATCH", accounts + "/v1/me", json("email", newEmail), again);
        accepted = System.nanoTime();
        say("   reached Track in %d ms and Plan in %d ms", awaitRow(trackDb,
                "SELECT 1 FROM users WHERE account_id = ?::uuid AND email = '" + newEmail + "'", ada.accountId(),
                accepted), awaitRow(planDb, "SELECT 1 FROM members WHERE account_id = ?::uuid AND email = '"
                        + newEmail + "'", ada.accountId(), accepted));

        step("6. Ada's phone app signs in (OAuth code + PKCE); she allows it on the confirmation page");
        String verifier = randomToken() + randomToken();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        HttpResponse<String> authorize = send("GET", accounts + "/oauth2/authorize?response_type=code&client_id="
                + "track-ios&redirect_uri=" + URLEncoder.encode("com.example.track:/oauth/callback",
                        StandardCharsets.UTF_8) + "&code_challenge=" + challenge + "&code_challenge_method=S256",
                null, again);
        StringBuilder form = new StringBuilder("decision=allow");
        Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")
                .matcher(authorize.body());
        while (hidden.find()) {
            form.append('&').append(hidden.group(1)).append('=')
                    .append(URLEncoder.encode(hidden.group(2).replace("&amp;", "&"), StandardCharsets.UTF_8));
        }
        HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(URI.create(accounts + "/oauth2/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "mesh_session=" + again.cookie())
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        String location = allowed.headers().firstValue("Location").orElseThrow();
        String authCode = location.substring(location.indexOf("code=") + 5).split("&")[0];
        String tokens = http.send(HttpRequest.newBuilder(URI.create(accounts + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&client_id=track-ios&code="
                        + authCode + "&redirect_uri=" + URLEncoder.encode("com.example.track:/oauth/callback",
                                StandardCharsets.UTF_8) + "&code_verifier=" + verifier)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String access = field(tokens, "access_token");
        say("   access token for %s s; GET track /v1/track/me with it: HTTP %d", field(tokens, "expires_in"),
                http.send(HttpRequest.newBuilder(URI.create(track + "/v1/track/me"))
                        .header("Authorization", "Bearer " + access).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode());

        step("7. Ada logs out of her browser session");
        send("POST", accounts + "/v1/logout", "", again);
        accepted = System.nanoTime();
        long trackMs = awaitStatus(track + "/v1/track/me", again, status -> status == 401, accepted);
        long planMs = awaitStatus(plan + "/v1/plan/me", again, status -> status == 401, accepted);
        say("   Track refuses the session after %d ms, Plan after %d ms; the phone app's token still works: HTTP %d",
                trackMs, planMs, http.send(HttpRequest.newBuilder(URI.create(track + "/v1/track/me"))
                        .header("Authorization", "Bearer " + access).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode());
        step("demo done");
    }

    private HttpResponse<String> send(String method, String url, String body, Session session) throws Exception {
        return send(method, url, body, session, null);
    }

    private HttpResponse<String> send(String method, String url, String body, Session session, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (session != null && session.cookie() != null) {
            request.header("Cookie", "mesh_session=" + session.cookie()).header("X-CSRF-Token", session.csrf());
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response;
    }

    private static Session session(HttpResponse<String> response) {
        String cookie = response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("mesh_session="))
                .findFirst().orElseThrow();
        return new Session(field(response.body(), "accountId"),
                cookie.substring("mesh_session=".length(), cookie.indexOf(';')), field(response.body(), "csrfToken"));
    }

    /** Milliseconds from {@code since} until {@code sql} finds a row (polling every 2 ms, at most 30 s). */
    private static long awaitRow(String db, String sql, String id, long since) throws Exception {
        while (!row(db, sql, id)) {
            if (System.nanoTime() - since > 30_000_000_000L) {
                throw new IllegalStateException("not propagated within 30 s: " + sql);
            }
            Thread.sleep(2);
        }
        return ms(since, System.nanoTime());
    }

    private long awaitStatus(String url, Session session, Predicate<Integer> done, long since) throws Exception {
        while (true) {
            int status = http.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", "mesh_session="
                    + session.cookie()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (done.test(status)) {
                return ms(since, System.nanoTime());
            }
            if (System.nanoTime() - since > 30_000_000_000L) {
                throw new IllegalStateException(url + " still answers " + status + " after 30 s");
            }
            Thread.sleep(5);
        }
    }

    private static boolean row(String db, String sql, String id) throws SQLException {
        try (Connection c = DriverManager.getConnection(db, "postgres", "postgres");
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static long count(String db, String sql, String id) throws SQLException {
        try (Connection c = DriverManager.getConnection(db, "postgres", "postgres");
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String field(String json, String name) {
        Matcher string = Pattern.compile(String.format(STRING.pattern(), name)).matcher(json);
        if (string.find()) {
            return string.group(1);
        }
        Matcher number = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
        if (number.find()) {
            return number.group(1);
        }
        throw new IllegalStateException("no " + name + " in " + json);
    }

    private static String json(String... pairs) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            out.append(i == 0 ? "" : ",").append('"').append(pairs[i]).append("\":\"").append(pairs[i + 1]).append('"');
        }
        return out.append('}').toString();
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }

    private static void step(String text) {
        System.out.println();
        System.out.println(text);
    }

    private static void say(String format, Object... args) {
        System.out.printf(format + "%n", args);
    }
}
