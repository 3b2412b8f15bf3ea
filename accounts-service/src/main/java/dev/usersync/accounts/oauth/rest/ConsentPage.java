package dev.usersync.accounts.oauth.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The plain page on which a person confirms that an app may have a code (and asks for the password when the approval
 * needs it). It posts the request back unchanged with the session's CSRF token; it cannot be framed, cached or leak
 * the request through the referrer.
 */
final class ConsentPage {

    private static final Map<String, String> SCOPE_TEXT = Map.of(
            "openid", "know who you are (your account id)",
            "profile", "read your name, language and time zone",
            "email", "read your email address");

    private ConsentPage() {
    }

    /** The page; {@code notice}, if any, says why it is shown again. */
    static Response render(String appName, boolean managesAccount, AuthorizationRequest request, String scope,
            boolean askPassword, String csrf, String notice, int status) {
        StringBuilder html = new StringBuilder(2048);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Allow ").append(escape(appName)).append("?</title></head><body><main>")
                .append("<h1>Allow ").append(escape(appName)).append(" to use your account?</h1>");
        if (notice != null) {
            html.append("<p role=\"alert\"><strong>").append(escape(notice)).append("</strong></p>");
        }
        html.append("<p>").append(escape(appName)).append(" will be able to act for you in the products it is "
                + "made for");
        if (managesAccount) {
            html.append(", to read and change your profile (changing your email or password takes your password)");
        }
        if (!scope.isEmpty()) {
            html.append(", and to:</p><ul>");
            for (String each : scope.split(" ")) {
                html.append("<li>").append(escape(SCOPE_TEXT.getOrDefault(each, each))).append("</li>");
            }
            html.append("</ul>");
        } else {
            html.append(".</p>");
        }
        html.append("<p>It will get the answer at <code>").append(escape(request.redirectUri())).append("</code>. ")
                .append("Allow only if you have just opened this app yourself.</p>")
                .append("<form method=\"post\" action=\"/oauth2/authorize\">");
        for (Map.Entry<String, String> parameter : request.asParameters().entrySet()) {
            hidden(html, parameter.getKey(), parameter.getValue());
        }
        hidden(html, "csrf", csrf);
        if (askPassword) {
            html.append("<p><label>Your password <input type=\"password\" name=\"password\" required ")
                    .append("autocomplete=\"current-password\"></label></p>");
        }
        html.append("<p><button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button> ")
                .append("<button type=\"submit\" name=\"decision\" value=\"deny\" formnovalidate>Deny</button></p>")
                .append("</form></main></body></html>");
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).entity(html.toString())
                .header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private static void hidden(StringBuilder html, String name, String value) {
        html.append("<input type=\"hidden\" name=\"").append(escape(name)).append("\" value=\"").append(escape(value))
                .append("\">");
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
