package dev.usersync.accounts.web;

import dev.usersync.accounts.config.AccountsConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start with Quarkus's own proxy-address forwarding on: it takes the leftmost {@code X-Forwarded-For}
 * entry, which the client writes itself, so every client could choose its address and step around per-address
 * brute-force protection and rate limits, and write what it likes into the auth log. Behind reverse proxies, list them
 * in {@code accounts.trusted-proxies} instead ({@link ClientAddress}). Also refuses a trusted proxy that is not an
 * address or CIDR range.
 */
@ApplicationScoped
public class ProxyTrust {

    void check(@Observes StartupEvent start,
            @ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false")
            boolean forwarding, AccountsConfig config) {
        require(forwarding, config.trustedProxies().orElse(List.of()));
    }

    static void require(boolean forwarding, List<String> trustedProxies) {
        if (forwarding) {
            throw new IllegalStateException("quarkus.http.proxy.proxy-address-forwarding takes the client's own "
                    + "X-Forwarded-For entry as its address: turn it off and list your reverse proxies (addresses or "
                    + "CIDR ranges) in accounts.trusted-proxies");
        }
        new ClientAddress(trustedProxies);
    }
}
