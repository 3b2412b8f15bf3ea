package dev.usersync.adapter;

import static io.restassured.RestAssured.given;

import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.Migrations;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * adapter-core's shared configuration is enough for a product: with only its name set, the probe product starts on
 * real PostgreSQL and Kafka with adapter-core's migrations and its own (db/probe), and is ready.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class ProbeWiringTest {

    @Inject
    Flyway flyway;

    @Inject
    DataSource dataSource;

    @Test
    void theSharedConfigurationRanTheCoreAndTheProductMigrations() throws Exception {
        Migrations.assertApplied(flyway, dataSource, "0.1", "sync_accounts");
        Migrations.assertApplied(flyway, dataSource, "1", "people");
    }

    @Test
    void theAdapterIsReadyAndServesMetrics() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }
}
