package dev.usersync.accounts;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Serves the test instance on a port chosen here and makes that address its issuer, so a standard client that
 * discovers the provider from its issuer (and checks that the discovery document names the same) finds it.
 */
public class IssuerAtTestPort implements QuarkusTestResourceLifecycleManager {

    static volatile String issuer;

    @Override
    public Map<String, String> start() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        issuer = "http://localhost:" + port;
        return Map.of("quarkus.http.test-port", Integer.toString(port), "accounts.issuer", issuer);
    }

    @Override
    public void stop() {
    }
}
