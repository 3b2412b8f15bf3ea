package dev.usersync.accounts.web;

import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.accounts.problem.Problem;
import dev.usersync.accounts.secret.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

/** Admin endpoints take the configured API key as a bearer token, compared in constant time. */
@ApplicationScoped
public class AdminGuard {

    private final AccountsConfig.Admin config;

    public AdminGuard(AccountsConfig config) {
        this.config = config.admin();
    }

    public void require(HttpHeaders headers) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        if (config.apiKey().isEmpty() || !Secrets.equal(config.apiKey().get(), presented)) {
            throw Problem.unauthorized("admin endpoints need the admin API key as a Bearer token");
        }
    }
}
