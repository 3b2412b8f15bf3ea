package dev.usersync.e2e;

import static dev.usersync.e2e.RunningMesh.READY;
import static dev.usersync.e2e.RunningMesh.email;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usersync.servers.LocalKafka;
import dev.usersync.servers.LocalMesh;
import dev.usersync.servers.LocalPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A burst never takes the accounts service down: the packaged service, as the local mesh runs it (its JVM settings
 * included), answers 100 parallel sign-ups and 100 parallel wrong-password logins with 201, 401, 429 or 503 (busy,
 * with {@code Retry-After}), never 500, and is ready afterwards. Each Argon2id hash holds 19 MiB of heap: before the
 * hashing pool, such a burst ran out of memory.
 */
class BurstIT {

    private static final int BURST = 100;

    private static LocalKafka kafka;
    private static LocalPostgres postgres;
    private static LocalMesh services;
    private static String accounts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        kafka = new LocalKafka(Files.createTempDirectory("burst-kafka"), UUID.randomUUID().toString(), 0, 0).start();
        postgres = LocalPostgres.ephemeral();
        services = new LocalMesh(RunningMesh.ROOT, postgres, kafka.bootstrapServers(),
                LocalMesh.Ports.free(RunningMesh.ROOT), LocalMesh.Secrets.generate(),
                Path.of("target", "e2e-logs", "burst")).configure("accounts-service", RunningMesh.MANY_CLIENTS);
        services.start("accounts-service", READY);
        accounts = services.url("accounts-service");
    }

    @AfterAll
    static void stop() {
        LocalMesh.closeAll(services, kafka, postgres);
    }

    @Test
    void aBurstOfSignUpsAndWrongPasswordLoginsNeverAnswers500AndTheServiceStaysReady() {
        String existing = email("burst-owner");
        assertThat(post("/v1/signup", signUp(existing)).statusCode()).isEqualTo(201);

        Map<Integer, Integer> signUps = burst(i -> post("/v1/signup", signUp(email("burst-" + i))));
        Map<Integer, Integer> logins = burst(i -> post("/v1/login", "{\"email\":\"" + (i % 2 == 0 ? existing
                : email("nobody")) + "\",\"password\":\"not the password at all\"}"));
        System.out.printf("burst of %d: sign-ups answered %s, wrong-password logins %s%n", BURST, signUps, logins);

        assertThat(signUps.keySet()).as("sign-up answers %s", signUps).isSubsetOf(201, 429, 503).contains(201);
        assertThat(logins.keySet()).as("login answers %s", logins).isSubsetOf(401, 429, 503).contains(401);
        assertThat(http(HttpRequest.newBuilder(URI.create(accounts + "/q/health/ready")).GET()).statusCode())
                .as("readiness after the burst").isEqualTo(200);
        assertThat(post("/v1/signup", signUp(email("after-burst"))).statusCode()).isEqualTo(201);
    }

    /** Sends {@value #BURST} requests at once; counts the answers by status. */
    private Map<Integer, Integer> burst(IntFunction<HttpResponse<String>> request) {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            int n = i;
            sent.add(CompletableFuture.supplyAsync(() -> request.apply(n), command -> new Thread(command).start()));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> response : sent) {
            HttpResponse<String> answer = response.join();
            statuses.merge(answer.statusCode(), 1, Integer::sum);
            if (answer.statusCode() == 503) {
                assertThat(answer.headers().firstValue("Retry-After")).as("Retry-After of a 503").isPresent();
            }
        }
        return statuses;
    }

    private static String signUp(String email) {
        return "{\"email\":\"" + email + "\",\"password\":\"correct horse battery staple\",\"product\":\"track\"}";
    }

    private HttpResponse<String> post(String path, String json) {
        return http(HttpRequest.newBuilder(URI.create(accounts + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> http(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
