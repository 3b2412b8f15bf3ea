package dev.usersync.accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.KafkaRoundTrip;
import dev.usersync.testsupport.Migrations;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The accounts service starts on real PostgreSQL and Kafka, migrates its schema, and reaches the broker. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class AccountsWiringTest {

    @Inject
    Flyway flyway;

    @Inject
    DataSource dataSource;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Test
    void flywayRanTheFirstMigration() throws Exception {
        Migrations.assertApplied(flyway, dataSource, "1", "outbox");
    }

    @Test
    void aRecordProducedWithTheServiceKafkaConfigurationIsConsumedBack() throws Exception {
        ConsumerRecord<String, String> back = KafkaRoundTrip.roundTrip(kafkaConfig, "accounts-wiring", "k", "v");

        assertThat(back.value()).isEqualTo("v");
    }

    @Test
    void theServiceIsReady() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
