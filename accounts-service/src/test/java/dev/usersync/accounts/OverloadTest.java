package dev.usersync.accounts;

import static org.hamcrest.Matchers.endsWith;

import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Overload answers 503 with {@code Retry-After}, never 500: a request that finds no free database connection in time
 * (the benchmark harness met it at 400 changes/s: 181 answers of 500) is told to come back, like a full hashing queue.
 */
@QuarkusTest
@TestProfile(OverloadTest.TwoConnections.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class OverloadTest {

    /** A pool of two connections (Flyway needs two) that gives up waiting after a second; no relay to hold one. */
    public static class TwoConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.max-size", "2", "quarkus.datasource.jdbc.acquisition-timeout",
                    "PT1S", "accounts.relay.enabled", "false");
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void aRequestThatFindsNoFreeDatabaseConnectionIs503WithRetryAfter() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("overload"));

        try (Connection one = dataSource.getConnection(); Connection two = dataSource.getConnection()) {
            ada.cookie().get("/v1/me").then().statusCode(503).header("Retry-After", "1")
                    .body("type", endsWith("/busy"));
        }

        ada.cookie().get("/v1/me").then().statusCode(200);
    }
}
