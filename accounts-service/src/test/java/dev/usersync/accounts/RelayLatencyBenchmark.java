package dev.usersync.accounts;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Commit-to-Kafka latency of the relay at a steady rate of account changes. Not part of {@code verify}; run with
 * {@code ./mvnw -pl accounts-service verify -Dtest=RelayLatencyBenchmark -Dbench.rate=200 -Dbench.seconds=20}.
 * Prints the relay's own commit-to-acknowledgement timer and what a consumer of the log sees (event time to receipt).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class RelayLatencyBenchmark {

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void commitToKafkaAtASteadyRate() throws Exception {
        int rate = Integer.getInteger("bench.rate", 200);
        int seconds = Integer.getInteger("bench.seconds", 20);
        List<AccountsApi.Browser> people = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            people.add(AccountsApi.signUp(AccountsApi.newEmail("bench")));
        }
        try (LogReader log = new LogReader(bootstrapServers, "accounts.events")) {
            log.poll();
            Instant start = Instant.now();
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            HttpClient http = HttpClient.newHttpClient();
            URI me = URI.create("http://localhost:" + RestAssured.port + "/v1/me");
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            long periodMicros = 1_000_000L / rate;
            ticker.scheduleAtFixedRate(() -> {
                int n = sent.getAndIncrement();
                AccountsApi.Browser person = people.get(n % people.size());
                http.sendAsync(HttpRequest.newBuilder(me).header("Authorization", "Bearer " + person.sessionCookie())
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"bench " + n + "\"}"))
                        .build(), HttpResponse.BodyHandlers.discarding())
                        .thenAccept(response -> {
                            if (response.statusCode() != 200) {
                                failed.incrementAndGet();
                            }
                        });
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            Set<String> seen = new HashSet<>();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() < end) {
                collect(log, start, seen, latencies);
            }
            ticker.shutdown();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                collect(log, start, seen, latencies);
                return seen.size() >= sent.get() - failed.get();
            });

            double achieved = sent.get() / (double) seconds;
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            Timer relay = registry.find("relay.commit.to.ack").timer();
            System.out.printf("%nRelay latency at %d changes/s for %d s (achieved %.0f/s, %d events, %d failed):%n",
                    rate, seconds, achieved, sorted.size(), failed.get());
            for (ValueAtPercentile p : relay.takeSnapshot().percentileValues()) {
                System.out.printf("  relay commit -> Kafka ack   p%-4.0f %7.1f ms%n", p.percentile() * 100,
                        p.value(TimeUnit.MILLISECONDS));
            }
            System.out.printf("  event time -> consumer      p50  %7d ms%n", percentile(sorted, 0.50));
            System.out.printf("  event time -> consumer      p99  %7d ms%n", percentile(sorted, 0.99));
            System.out.printf("  event time -> consumer      max  %7d ms%n%n", sorted.get(sorted.size() - 1));
        }
    }

    private static void collect(LogReader log, Instant start, Set<String> seen, List<Long> latencies) {
        for (ConsumerRecord<String, String> record : log.pollNew()) {
            JsonNode event = dev.usersync.events.EventCodec.parse(record.value().getBytes());
            Instant occurred = Instant.parse(event.get("occurredAt").asText());
            if (occurred.isAfter(start) && seen.add(event.get("eventId").asText())) {
                latencies.add(Duration.between(occurred, Instant.now()).toMillis());
            }
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
