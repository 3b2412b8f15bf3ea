package dev.usersync.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.accounts.relay.Relay;
import dev.usersync.accounts.relay.RelayConfig;
import dev.usersync.events.ChainVerifier;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.KafkaServer;
import dev.usersync.testsupport.PostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Faults lose nothing: Kafka going away while people sign up, and the leading instance going away. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class RelayFaultTest {

    @Inject
    Relay relay;

    @Inject
    RelayConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void signUpsGoOnWhileKafkaIsDownAndEveryEventArrivesInOrderAfterwards() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.state() == Relay.State.RUNNING);
        KafkaServer.shared().stop();
        List<AccountsApi.Browser> people = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                AccountsApi.Browser person = AccountsApi.signUp(AccountsApi.newEmail("kafka-down"));
                for (int change = 0; change < 5; change++) {
                    person.bearer().contentType(ContentType.JSON).body(Map.of("name", "offline " + change))
                            .patch("/v1/me").then().statusCode(200);
                }
                people.add(person);
            }
        } finally {
            KafkaServer.shared().restart();
        }

        try (LogReader log = new LogReader(bootstrapServers, "accounts.events")) {
            await().atMost(Duration.ofSeconds(120)).until(() -> people.stream()
                    .allMatch(p -> log.poll().recordsOf(p.accountId()).size() >= 6));
            for (AccountsApi.Browser person : people) {
                List<JsonNode> events = log.eventsOf(person.accountId());
                assertThat(events.stream().map(e -> e.get("sequence").asLong()).distinct().toList())
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, 6).boxed().toList());
                assertThat(ChainVerifier.firstBreak(events)).isEmpty();
            }
        }
    }

    @Test
    void whenTheLeadingInstanceStopsAnotherTakesOverAndNothingIsLost() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.leader() && relay.state() == Relay.State.RUNNING);
        Relay second = new Relay(config, registry, dataSource, jdbcUrl, user, password, kafka,
                io.opentelemetry.api.OpenTelemetry.noop().getTracer("second"));
        second.start();
        try {
            AccountsApi.Browser before = AccountsApi.signUp(AccountsApi.newEmail("handover"));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !second.leader());

            relay.stop();
            AccountsApi.Browser during = AccountsApi.signUp(AccountsApi.newEmail("handover"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> second.leader() && second.state() == Relay.State.RUNNING);
            AccountsApi.Browser after = AccountsApi.signUp(AccountsApi.newEmail("handover"));

            assertThat(relay.leader()).isFalse();
            try (LogReader log = new LogReader(bootstrapServers, "accounts.events")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> List.of(before, during, after).stream()
                        .allMatch(p -> !log.poll().recordsOf(p.accountId()).isEmpty()));
            }
        } finally {
            second.stop();
            relay.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.leader() && relay.state() == Relay.State.RUNNING);
    }
}
