package dev.usersync.accounts.web;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start when forwarded client addresses are honoured from anyone. With
 * {@code quarkus.http.proxy.proxy-address-forwarding} on and no {@code quarkus.http.proxy.trusted-proxies}, Quarkus
 * trusts every peer: each client could name its own address in {@code X-Forwarded-For} and step around per-address
 * brute-force protection and rate limits, and write what it likes into the auth log.
 */
@ApplicationScoped
public class ProxyTrust {

    void check(@Observes StartupEvent start,
            @ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false")
            boolean forwarding,
            @ConfigProperty(name = "quarkus.http.proxy.trusted-proxies") Optional<List<String>> trusted) {
        require(forwarding, trusted);
    }

    static void require(boolean forwarding, Optional<List<String>> trusted) {
        if (forwarding && trusted.map(List::isEmpty).orElse(true)) {
            throw new IllegalStateException("quarkus.http.proxy.proxy-address-forwarding is on but "
                    + "quarkus.http.proxy.trusted-proxies is empty, so every client could choose its own address: "
                    + "list the addresses (or CIDR ranges) of your reverse proxies");
        }
    }
}
