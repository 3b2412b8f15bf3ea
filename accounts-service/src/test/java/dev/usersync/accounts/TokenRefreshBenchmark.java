package dev.usersync.accounts;

import dev.usersync.accounts.oauth.service.OAuthService;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Refresh-token rotations per second at the token endpoint: each worker keeps its own chains of native-app sessions and
 * exchanges each chain's refresh token for the next, as apps do, so every request is a real rotation (a used token
 * is never sent twice). Not part of {@code verify}; run with
 * {@code ./mvnw -pl accounts-service verify -Dtest=TokenRefreshBenchmark -Dbench.seconds=20 -Dbench.threads=8}.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class TokenRefreshBenchmark {

    private static final Pattern REFRESH = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");

    @Test
    void refreshTokensAsFastAsTheyGo() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 20);
        int threads = Integer.getInteger("bench.threads", 8);
        List<String> chains = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            AccountsApi.Browser person = AccountsApi.signUp(AccountsApi.newEmail("refresh"));
            String verifier = OAuthTest.verifier();
            chains.add(OAuthTest.exchange(OAuthTest.authorize(person, OAuthService.challengeOf(verifier), null),
                    verifier).refresh());
        }
        URI token = URI.create("http://localhost:" + RestAssured.port + "/oauth2/token");
        HttpClient http = HttpClient.newHttpClient();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        List<Future<?>> running = new ArrayList<>();
        for (String first : chains) {
            running.add(workers.submit(() -> {
                String refresh = first;
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(token)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id="
                                    + OAuthTest.CLIENT + "&refresh_token="
                                    + URLEncoder.encode(refresh, StandardCharsets.UTF_8)))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    Matcher next = REFRESH.matcher(response.body());
                    if (response.statusCode() != 200 || !next.find()) {
                        failed.incrementAndGet();
                        return null;
                    }
                    latencies.add(System.nanoTime() - sent);
                    refresh = next.group(1);
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> worker : running) {
            worker.get();
        }
        workers.shutdown();
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("%nrefresh-token rotations, %d chains on %d threads for %d s (client in the same JVM):%n",
                threads, threads, seconds);
        System.out.printf("  %,d rotations = %,.0f per second, %d failed; latency p50 %.1f ms, p99 %.1f ms%n%n",
                done.get(), done.get() / elapsed, failed.get(), sorted.get(sorted.size() / 2) / 1e6,
                sorted.get((int) (sorted.size() * 0.99)) / 1e6);
    }
}
