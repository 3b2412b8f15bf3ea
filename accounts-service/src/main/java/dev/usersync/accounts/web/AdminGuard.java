package dev.usersync.accounts.web;

import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.web.ApiKeys;
import dev.usersync.web.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;

/** Admin and sync endpoints take their configured API key as a bearer token, compared in constant time. */
@ApplicationScoped
public class AdminGuard {

    private final AccountsConfig.Admin config;

    public AdminGuard(AccountsConfig config) {
        this.config = config.admin();
    }

    public void require(HttpHeaders headers) {
        if (!presents(headers, config.apiKey())) {
            throw Problem.unauthorized("admin endpoints need the admin API key as a Bearer token");
        }
    }

    /** The adapters' sync-on-miss endpoint takes its own key, so a product never holds the admin key. */
    public void requireSync(HttpHeaders headers) {
        if (!presents(headers, config.syncApiKey())) {
            throw Problem.unauthorized("this endpoint needs the sync API key as a Bearer token");
        }
    }

    private static boolean presents(HttpHeaders headers, Optional<String> key) {
        return ApiKeys.presented(headers.getHeaderString(HttpHeaders.AUTHORIZATION), key);
    }
}
