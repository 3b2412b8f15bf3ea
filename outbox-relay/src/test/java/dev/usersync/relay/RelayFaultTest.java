package dev.usersync.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.ChainVerifier;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.KafkaServer;
import dev.usersync.testsupport.PostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
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

    private TestOutbox outbox;

    @BeforeEach
    void outbox() {
        outbox = new TestOutbox(dataSource);
    }

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
        List<AccountLogWriter.Account> people = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                AccountLogWriter.Account person = outbox.newAccount("kafka-down");
                for (int change = 0; change < 5; change++) {
                    outbox.rename(person, "offline " + change);
                }
                people.add(person);
            }
        } finally {
            KafkaServer.shared().restart();
        }

        try (LogReader log = new LogReader(bootstrapServers, "accounts.events")) {
            await().atMost(Duration.ofSeconds(120)).until(() -> people.stream()
                    .allMatch(p -> log.poll().recordsOf(p.id()).size() >= 6));
            for (AccountLogWriter.Account person : people) {
                List<JsonNode> events = log.eventsOf(person.id());
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
            AccountLogWriter.Account before = outbox.newAccount("handover");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !second.leader());

            relay.stop();
            AccountLogWriter.Account during = outbox.newAccount("handover");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> second.leader() && second.state() == Relay.State.RUNNING);
            AccountLogWriter.Account after = outbox.newAccount("handover");

            assertThat(relay.leader()).isFalse();
            try (LogReader log = new LogReader(bootstrapServers, "accounts.events")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> List.of(before, during, after).stream()
                        .allMatch(p -> !log.poll().recordsOf(p.id()).isEmpty()));
            }
        } finally {
            second.stop();
            relay.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.leader() && relay.state() == Relay.State.RUNNING);
    }
}
