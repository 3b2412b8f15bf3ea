package dev.usersync.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points an adapter at the real, packaged accounts service. Use with {@code @WithTestResource}. */
public class AccountsServiceResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        AccountsServiceProcess accounts = AccountsServiceProcess.shared();
        return Map.of("adapter.auth.issuer", accounts.url(), "adapter.auth.sync-api-key", accounts.syncKey());
    }

    @Override
    public void stop() {
        // shared by every test of this JVM; stopped when it exits
    }
}
