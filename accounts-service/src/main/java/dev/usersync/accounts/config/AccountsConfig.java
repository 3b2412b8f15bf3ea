package dev.usersync.accounts.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Configuration of the accounts service, under {@code accounts.}. */
@ConfigMapping(prefix = "accounts")
public interface AccountsConfig {

    /** The issuer of every token: this service's public base URL, e.g. {@code https://accounts.example.com}. */
    String issuer();

    /** The products accounts may be given, as named in tokens and events. */
    @WithDefault("track,plan")
    List<String> products();

    Cookie cookie();

    Tokens tokens();

    Keys keys();

    Argon2 argon2();

    BruteForce bruteForce();

    RateLimits rateLimits();

    Mail mail();

    /** OAuth clients (native apps), by client id. */
    Map<String, OAuthClient> clients();

    Admin admin();

    /**
     * Addresses or CIDR ranges of the reverse proxies in front of the service: from them, the client's address is the
     * rightmost {@code X-Forwarded-For} entry they did not add. None: the connection's peer is the client.
     */
    Optional<List<String>> trustedProxies();

    /**
     * How long after proving the password a person may change their email or password, close the account or approve
     * an app for the first time without typing it again (the session's {@code auth_time}).
     */
    @WithDefault("PT10M")
    Duration recentAuthentication();

    /** Largest request body accepted by the JSON API; larger ones get 413 problem details. */
    @WithDefault("65536")
    int maxBodyBytes();

    interface Cookie {
        /** Name of the session cookie holding the session JWT. */
        @WithDefault("mesh_session")
        String name();

        /** Name of the readable cookie holding the CSRF token that cookie-authenticated writes must echo. */
        @WithDefault("mesh_csrf")
        String csrfName();

        /** The shared parent domain (e.g. {@code example.com}) so every product subdomain sees the cookie. */
        Optional<String> domain();

        /**
         * Name of the long-lived device cookie (host-only, {@code HttpOnly}) that tells brute-force protection a
         * browser the person signed in on before.
         */
        @WithDefault("mesh_device")
        String deviceName();

        /** Whether cookies are marked {@code Secure}; only a local plain-HTTP setup turns this off. */
        @WithDefault("true")
        boolean secure();
    }

    interface Tokens {
        /** Lifetime of a web session and of the JWT in its cookie. */
        @WithDefault("PT12H")
        Duration webSession();

        /** Lifetime of an OAuth access token. */
        @WithDefault("PT1H")
        Duration accessToken();

        /** Lifetime of an OAuth refresh token (and so of a native app's session without use). */
        @WithDefault("P30D")
        Duration refreshToken();

        /** Lifetime of an authorization code. */
        @WithDefault("PT2M")
        Duration authorizationCode();

        /** Clock skew tolerated when checking {@code exp} and {@code iat}. */
        @WithDefault("PT30S")
        Duration clockSkew();

        /** How long any token this service issued may still be accepted somewhere, skew included. */
        default Duration longestLifetime() {
            return (webSession().compareTo(accessToken()) > 0 ? webSession() : accessToken()).plus(clockSkew());
        }
    }

    interface Keys {
        /**
         * AES-256 key (base64, 32 bytes) that encrypts signing keys at rest. Required in production; in dev and
         * test a key is generated at first start into {@link #devKeyFile()}.
         */
        Optional<String> encryptionKey();

        /** Where dev and test keep their generated encryption key. */
        @WithDefault("target/accounts-dev-encryption.key")
        String devKeyFile();

        /** How long a replica serves its cached key set before re-reading it (rotation reaches every replica). */
        @WithDefault("PT30S")
        Duration cacheTtl();
    }

    interface Argon2 {
        /** Memory cost in KiB (OWASP minimum: 19456, i.e. 19 MiB). */
        @WithDefault("19456")
        int memoryKib();

        /** Iterations (OWASP minimum with 19 MiB: 2). */
        @WithDefault("2")
        int iterations();

        /** Lanes. */
        @WithDefault("1")
        int parallelism();

        /** Threads hashing passwords at once (each holds {@link #memoryKib()} of heap); default: the cores. */
        Optional<Integer> threads();

        /** Hashes that may wait for a thread; beyond them a request is refused with 503 and {@code Retry-After}. */
        @WithDefault("16")
        int queue();
    }

    interface BruteForce {
        /** Whether login and token endpoints throttle repeated failures. */
        @WithDefault("true")
        boolean enabled();

        /** Failures allowed per account (by submitted email) and client (device cookie, else address). */
        @WithDefault("5")
        int accountFailures();

        /**
         * Failures allowed per account from all clients it never signed in on, together, before they back off; a
         * known device is exempt.
         */
        @WithDefault("30")
        int unknownClientFailures();

        /** Failures allowed per client IP before back-off starts. */
        @WithDefault("20")
        int ipFailures();

        /**
         * Failed token requests allowed per client IP before back-off: high, as codes and refresh tokens cannot be
         * guessed and many apps may share one carrier's address.
         */
        @WithDefault("100")
        int tokenFailures();

        /** First back-off; it doubles with every further failure. */
        @WithDefault("PT2S")
        Duration baseDelay();

        /** Longest back-off. */
        @WithDefault("PT15M")
        Duration maxDelay();

        /** Failures older than this are forgotten. */
        @WithDefault("PT1H")
        Duration window();
    }

    /** Limits on requests that create accounts or send mail (429 with {@code Retry-After} beyond them). */
    interface RateLimits {
        Limit signUp();

        Limit passwordReset();

        Limit verificationMail();

        interface Limit {
            /** Requests per client address per window. */
            @WithDefault("20")
            int perAddress();

            /** Requests per email (whether or not an account has it) from one address per window. */
            @WithDefault("5")
            int perEmailAndAddress();

            /**
             * Requests per email from all addresses per window: it bounds mail to one address, while someone flooding
             * a person's email from one place cannot stop the person's own request from another.
             */
            @WithDefault("20")
            int perEmail();

            @WithDefault("PT1H")
            Duration window();
        }
    }

    interface Mail {
        /** Sender of verification and reset mails. */
        @WithDefault("accounts@localhost")
        String from();

        /** Base URL of the pages that open emailed links (the link appends {@code ?token=...}). */
        String linkBaseUrl();

        /** How long an email verification link works. */
        @WithDefault("P2D")
        Duration verificationTtl();

        /** How long a password reset link works. */
        @WithDefault("PT1H")
        Duration resetTtl();

        /** How long the link mailed to the old address after an email change can undo it. */
        @WithDefault("P3D")
        Duration undoTtl();
    }

    interface OAuthClient {
        /** Redirect URIs this client may use, matched exactly. */
        List<String> redirectUris();

        /**
         * The {@code aud} of this client's access tokens: the products it is an app of, and {@code accounts} if it
         * calls the accounts API. A product accepts only tokens naming it.
         */
        List<String> audience();

        /** The app's name as the confirmation page shows it; default: the client id. */
        Optional<String> name();

        /** Where RP-initiated logout may send the browser back to, matched exactly; none: no redirect. */
        Optional<List<String>> postLogoutRedirectUris();
    }

    interface Admin {
        /** Bearer key for admin endpoints; without it every admin endpoint answers 401. */
        Optional<String> apiKey();

        /** Bearer key the product adapters use to fetch an account they have not seen (sync-on-miss). */
        Optional<String> syncApiKey();
    }
}
