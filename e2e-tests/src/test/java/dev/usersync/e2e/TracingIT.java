package dev.usersync.e2e;

import static dev.usersync.e2e.RunningMesh.PROPAGATION;
import static dev.usersync.e2e.RunningMesh.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.usersync.e2e.OtlpCollector.Span;
import dev.usersync.servers.LocalMesh;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One trace per change across the three packaged services, as their OTLP exports show it: a sign-up's HTTP request
 * in the accounts service, the outbox span of each event it records, the relay's publish span and each adapter's apply
 * span, linked parent to child through the outbox row and the Kafka record headers.
 */
class TracingIT {

    private static OtlpCollector collector;
    private static RunningMesh mesh;

    @BeforeAll
    static void startTheMeshExportingToAnInMemoryCollector() {
        collector = new OtlpCollector();
        mesh = new RunningMesh("tracing", LocalMesh.services(RunningMesh.ROOT), collector.environment());
    }

    @AfterAll
    static void stopTheMesh() {
        LocalMesh.closeAll(mesh, collector);
    }

    @Test
    void aSignUpIsOneTraceFromTheRequestThroughTheOutboxAndKafkaToEachAdaptersApply() {
        String email = email("traced");
        Client.Session ada = Client.signUp(mesh.accounts, email, "track", null);
        String secret = "secret-" + java.util.UUID.randomUUID();
        assertThat(Client.send("GET", mesh.accounts + "/v1/me?token=" + secret, null, ada, null).statusCode())
                .isEqualTo(200);

        Span request = await().atMost(PROPAGATION).until(() -> find(s -> "accounts-service".equals(s.service())
                && s.kind() == Span.SERVER && s.name().contains("/v1/signup")), java.util.Objects::nonNull);
        Span outbox = await().atMost(PROPAGATION).until(() -> find(s -> s.name().equals("outbox record AccountCreated")
                && s.traceId().equals(request.traceId())), java.util.Objects::nonNull);
        assertThat(outbox.service()).isEqualTo("accounts-service");
        assertThat(outbox.parentSpanId()).as("the outbox span's parent").isEqualTo(request.spanId());

        Span publish = await().atMost(PROPAGATION).until(() -> find(s -> s.kind() == Span.PRODUCER
                && s.parentSpanId().equals(outbox.spanId())), java.util.Objects::nonNull);
        assertThat(publish.service()).isEqualTo("accounts-service");
        assertThat(publish.traceId()).isEqualTo(request.traceId());
        assertThat(publish.name()).isEqualTo("accounts.events publish");

        for (String product : mesh.services.products()) {
            String adapter = LocalMesh.adapter(product);
            Span apply = await().atMost(PROPAGATION).until(() -> find(s -> adapter.equals(s.service())
                    && s.kind() == Span.CONSUMER && s.parentSpanId().equals(outbox.spanId())),
                    java.util.Objects::nonNull);
            assertThat(apply.traceId()).as(adapter).isEqualTo(request.traceId());
            assertThat(apply.name()).isEqualTo("accounts.events process");
            assertThat(apply.attributes()).containsEntry("adapter.result", "APPLIED")
                    .containsEntry("messaging.consumer.group.name", adapter);
        }

        assertThat(collector.spans()).filteredOn(s -> s.traceId().equals(request.traceId()))
                .as("no personal data in the trace").allSatisfy(s -> assertThat(s.attributes().values())
                        .noneMatch(value -> value.contains(email) || value.contains("Ada Lovelace")));
        Span read = await().atMost(PROPAGATION).until(() -> find(s -> s.kind() == Span.SERVER
                && s.name().equals("GET /v1/me")), java.util.Objects::nonNull);
        assertThat(read.attributes()).as("a query string and the client's address are not exported")
                .containsEntry("url.query", "redacted").containsEntry("client.address", "redacted");
        assertThat(collector.spans()).allSatisfy(s -> assertThat(s.attributes().values())
                .noneMatch(value -> value.contains(secret)));
        assertThat(ada.accountId()).isNotBlank();
    }

    private static Span find(Predicate<Span> which) {
        return collector.spans().stream().filter(which).findFirst().orElse(null);
    }
}
