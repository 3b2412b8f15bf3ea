package dev.usersync.track;

import static org.awaitility.Awaitility.await;

import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.TestIssuer;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Throughput of Track's {@code GET /v1/track/me} with local token verification against the same endpoint without
 * authentication, in one run, with {@code wrk} (Debian package {@code wrk}) as the load generator in its own process.
 * Not part of {@code verify}; run with {@code ./mvnw -pl track-adapter verify -Dtest=TrackAuthBenchmark}
 * ({@code -Dbench.seconds=20 -Dbench.connections=16}).
 */
@QuarkusTest
@TestProfile(TrackAuthBenchmark.Baseline.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class TrackAuthBenchmark {

    /** Turns the unauthenticated baseline endpoint on. */
    public static class Baseline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bench.unauthenticated", "true");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/")
    URL root;

    @Test
    void authenticatedAgainstUnauthenticated() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 20);
        int connections = Integer.getInteger("bench.connections", 16);
        TestIssuer issuer = TestIssuer.shared();
        UUID account;
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account ada = log.newAccount("bench-" + UUID.randomUUID() + "@example.com", "Ada",
                    List.of("track"), "track", null);
            var sent = log.send(ada.last());
            await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast("track-adapter", sent));
            account = ada.id();
        }
        String token = issuer.token(account, UUID.randomUUID(), List.of("track"), Duration.ofHours(1));
        String authenticated = root + "v1/track/me";
        String unauthenticated = root + "bench/unauthenticated/me";

        wrk(authenticated, "Authorization: Bearer " + token, 10, connections);
        wrk(unauthenticated, "X-Account: " + account, 10, connections);
        int fetches = issuer.syncFetches(account) + issuer.keySetFetches();
        // Alternated, twice each, so that neither side gains from running later (JIT, caches, the disk).
        double without = 0;
        double with = 0;
        for (int round = 0; round < 2; round++) {
            without += wrk(unauthenticated, "X-Account: " + account, seconds, connections) / 2;
            with += wrk(authenticated, "Authorization: Bearer " + token, seconds, connections) / 2;
        }
        int calls = issuer.syncFetches(account) + issuer.keySetFetches() - fetches;

        System.out.printf("%nGET /v1/track/me, %d connections, 2 x %d s each, alternated (wrk, same machine):%n",
                connections, seconds);
        System.out.printf("  without authentication  %,10.0f requests/s%n", without);
        System.out.printf("  with a verified token   %,10.0f requests/s  (%.0f%% of the baseline)%n", with,
                100 * with / without);
        System.out.printf("  calls to the accounts service during the measured runs: %d%n%n", calls);
    }

    /** Runs wrk and returns its requests per second; a non-2xx answer fails the benchmark. */
    private static double wrk(String url, String header, int seconds, int connections)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s",
                "--latency", "-H", header, url));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        if (out.contains("Non-2xx")) {
            throw new IllegalStateException("wrk saw errors:\n" + out);
        }
        Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        if (!rate.find()) {
            throw new IllegalStateException("no rate in wrk's output:\n" + out);
        }
        System.out.println(out);
        return Double.parseDouble(rate.group(1));
    }
}
