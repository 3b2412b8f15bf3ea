package dev.usersync.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points an adapter at the shared {@link TestIssuer}. Use with {@code @WithTestResource(TestIssuerResource.class)}. */
public class TestIssuerResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("adapter.auth.issuer", TestIssuer.shared().url());
    }

    @Override
    public void stop() {
        // shared by every test of this JVM
    }
}
