package dev.usersync.accounts;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.EventCodec;
import dev.usersync.testsupport.Outbox;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** Drives the accounts API the way a browser would, and reads what the service wrote. */
final class AccountsApi {

    static final String PASSWORD = "correct horse battery staple";
    static final String ADMIN = "Bearer test-admin-key";
    private static final AtomicInteger PEOPLE = new AtomicInteger();

    private AccountsApi() {
    }

    /** A signed-in browser: its cookies and the CSRF token it echoes on writes. */
    record Browser(UUID accountId, String email, String sessionCookie, String csrf) {

        RequestSpecification cookie() {
            return given().cookie("mesh_session", sessionCookie).cookie("mesh_csrf", csrf);
        }

        RequestSpecification write() {
            return cookie().header("X-CSRF-Token", csrf).contentType(ContentType.JSON);
        }

        RequestSpecification bearer() {
            return given().header("Authorization", "Bearer " + sessionCookie);
        }

        /** The session the cookie's token names ({@code sid}). */
        UUID sessionId() {
            try {
                return UUID.fromString(EventCodec.mapper().readTree(java.util.Base64.getUrlDecoder()
                        .decode(sessionCookie.split("\\.")[1])).get("sid").asText());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The token of the last link to {@code page} mailed to {@code email}, waiting for the mail to be sent. */
    static String mailedToken(io.quarkus.mailer.MockMailbox mailbox, String email, String page) {
        java.util.regex.Pattern link = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(page)
                + "\\?token=([A-Za-z0-9_-]+)");
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            List<io.quarkus.mailer.Mail> mails = mailbox.getMailsSentTo(email);
            for (int i = mails == null ? -1 : mails.size() - 1; i >= 0; i--) {
                java.util.regex.Matcher token = link.matcher(mails.get(i).getText());
                if (token.find()) {
                    return token.group(1);
                }
            }
            return null;
        }, java.util.Objects::nonNull);
    }

    static String newEmail(String prefix) {
        return prefix + "-" + PEOPLE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8)
                + "@example.com";
    }

    static Browser signUp(String email) {
        return signUp(email, "track", null);
    }

    static Browser signUp(String email, String product, String invitation) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("email", email, "password", PASSWORD,
                "name", "Ada Lovelace", "product", product, "locale", "en-GB", "timeZone", "Europe/London"));
        if (invitation != null) {
            body.put("invitation", invitation);
        }
        Response response = given().contentType(ContentType.JSON).body(body).post("/v1/signup")
                .then().statusCode(201).extract().response();
        return browser(response, email);
    }

    static Browser login(String email, String password) {
        Response response = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).post("/v1/login")
                .then().statusCode(200).extract().response();
        return browser(response, email);
    }

    private static Browser browser(Response response, String email) {
        return new Browser(UUID.fromString(response.path("accountId")), email, response.getCookie("mesh_session"),
                response.path("csrfToken"));
    }

    /** The account's events in the outbox, in sequence order, as JSON on the wire. */
    static List<JsonNode> outbox(DataSource dataSource, UUID accountId) throws SQLException {
        return Outbox.events(dataSource, accountId);
    }

    static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("type").asText()).toList();
    }

    static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); ResultSet rows = c.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
