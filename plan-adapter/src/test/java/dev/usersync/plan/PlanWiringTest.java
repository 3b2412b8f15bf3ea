package dev.usersync.plan;

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

/** The plan adapter starts on real PostgreSQL and Kafka with adapter-core's tables and Plan's own. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class PlanWiringTest {

    @Inject
    Flyway flyway;

    @Inject
    DataSource dataSource;

    @Test
    void flywayRanTheCoreAndTheProductMigrations() throws Exception {
        Migrations.assertApplied(flyway, dataSource, "0.1", "sync_accounts");
        Migrations.assertApplied(flyway, dataSource, "1", "members");
    }

    @Test
    void theAdapterIsReady() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
