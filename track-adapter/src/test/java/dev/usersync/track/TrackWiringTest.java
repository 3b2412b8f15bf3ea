package dev.usersync.track;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.Migrations;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The track adapter starts on real PostgreSQL and Kafka with adapter-core's tables and Track's own. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class TrackWiringTest {

    @Inject
    Flyway flyway;

    @Inject
    DataSource dataSource;

    @Test
    void flywayRanTheCoreAndTheProductMigrations() throws Exception {
        Migrations.assertApplied(flyway, dataSource, "0.1", "sync_accounts");
        Migrations.assertApplied(flyway, dataSource, "0.2", "sync_revoked_sessions");
        Migrations.assertApplied(flyway, dataSource, "1", "users");
    }

    @Test
    void theAdapterIsReadyAndReportsItsConsumer() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'account-log-consumer' }.data.group",
                        org.hamcrest.Matchers.equalTo("track-adapter"));
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("adapter_consumer_lag"))
                .body(org.hamcrest.Matchers.containsString("adapter_propagation_seconds"));
        await().atMost(Duration.ofSeconds(10)).until(() -> given().get("/q/metrics").asString()
                .contains("adapter_revocations_in_memory 1.0"));
    }
}
