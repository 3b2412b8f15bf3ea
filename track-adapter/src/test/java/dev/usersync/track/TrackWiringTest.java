package dev.usersync.track;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usersync.adapter.AdapterConfig;
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

/** The track adapter starts on real PostgreSQL and Kafka, migrates Track's tables, and reaches the account log. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class TrackWiringTest {

    @Inject
    Flyway flyway;

    @Inject
    DataSource dataSource;

    @Inject
    AdapterConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Test
    void flywayRanTheFirstMigration() throws Exception {
        Migrations.assertApplied(flyway, dataSource, "1", "users");
    }

    @Test
    void aRecordProducedToTheAccountLogIsConsumedBack() throws Exception {
        ConsumerRecord<String, String> back = KafkaRoundTrip.roundTrip(kafkaConfig, config.topics().accountLog(),
                "account", "event");

        assertThat(config.product()).isEqualTo("track");
        assertThat(back.topic()).isEqualTo("accounts.events");
        assertThat(back.value()).isEqualTo("event");
    }

    @Test
    void theAdapterIsReady() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
