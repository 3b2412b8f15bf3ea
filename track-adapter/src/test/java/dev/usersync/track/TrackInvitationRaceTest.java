package dev.usersync.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.usersync.adapter.consumer.AccountLogConsumer;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.EmailVerified;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.Sql;
import dev.usersync.testsupport.TestIssuer;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Toggl's race, proven fixed: for every person the sign-up event (delivered twice), their email verification if any
 * (delivered twice, before or after their first request), their first authenticated request (which fetches them on a
 * miss, at whatever head the accounts service has then) and, if invited, the invitation acceptance run concurrently in
 * random order, with a consumer restart in the middle. Invited people whose email is verified must end up in the
 * invited workspace without a personal one; invited people who never verify their address must get neither (an
 * unproven address joins nothing); everyone else exactly one personal workspace.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class TrackInvitationRaceTest {

    @Inject
    DataSource dataSource;

    @Inject
    AccountLogConsumer consumer;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final TestIssuer issuer = TestIssuer.shared();
    private final HttpClient http = HttpClient.newHttpClient();

    record Person(AccountLogWriter.Account account, String token, String invitation, boolean verified,
            long workspace) {
    }

    @Test
    void invitedPeopleJoinAndGetNoPersonalWorkspaceWhateverTheOrder() throws Exception {
        int people = Integer.getInteger("race.people", 300);
        long seed = Long.getLong("race.seed", System.nanoTime());
        Random random = new Random(seed);
        List<Long> workspaces = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            workspaces.add(Sql.number(dataSource, "INSERT INTO workspaces (name) VALUES (?) RETURNING id", "Team " + i));
        }
        List<Person> persons = new ArrayList<>();
        Map<Integer, RecordMetadata> lastByPartition = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < people; i++) {
                boolean invited = i % 2 == 0;
                boolean verified = i % 3 != 0;
                long workspace = workspaces.get(i % workspaces.size());
                String email = "race-" + UUID.randomUUID() + "@example.com";
                String code = invited ? "race-" + UUID.randomUUID() : null;
                if (invited) {
                    Sql.execute(dataSource, "INSERT INTO invitations (code, workspace_id, email) VALUES (?, ?, ?)",
                            code, workspace, email.toUpperCase());
                }
                AccountLogWriter.Account account = log.newAccount(email, "Person " + i, List.of("track"), "track",
                        code);
                AccountEvent created = account.last();
                AccountEvent verification = verified
                        ? account.next(s -> s.withEmail(email, true), s -> EmailVerified.of(s, email)) : null;
                boolean verifiedBeforeFirstRequest = verified && random.nextBoolean();
                issuer.knows(verifiedBeforeFirstRequest ? verification : created);
                Person person = new Person(account, issuer.token(account.id(), UUID.randomUUID(), List.of("track"),
                        Duration.ofMinutes(10)), code, verified, workspace);
                persons.add(person);

                List<Runnable> steps = new ArrayList<>();
                steps.add(() -> record(lastByPartition, log.send(created)));
                steps.add(() -> record(lastByPartition, log.send(created)));
                if (verification != null) {
                    steps.add(() -> record(lastByPartition, log.send(verification)));
                    steps.add(() -> record(lastByPartition, log.send(verification)));
                }
                steps.add(() -> assertThat(call("GET", "/v1/track/me", person.token())).isEqualTo(200));
                if (invited) {
                    steps.add(() -> assertThat(call("POST", "/v1/track/invitations/" + code + "/accept",
                            person.token())).isIn(200, 403));
                }
                Collections.shuffle(steps, random);
                steps.forEach(step -> done.add(pool.submit(step)));
                if (i == people / 2) {
                    consumer.stop();
                    consumer.start();
                }
            }
            for (Future<?> f : done) {
                f.get();
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> lastByPartition.values().stream()
                    .allMatch(sent -> log.consumedPast("track-adapter", sent)));
        } finally {
            pool.shutdown();
        }

        for (Person person : persons) {
            UUID id = person.account().id();
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM users WHERE account_id = ?", id)).as("users of %s (seed %d)", id,
                    seed).isEqualTo(1);
            long personal = Sql.number(dataSource, "SELECT count(*) FROM workspaces w JOIN memberships m ON m.workspace_id = w.id "
                    + "JOIN users u ON u.id = m.user_id WHERE u.account_id = ? AND w.personal", id);
            long memberships = Sql.number(dataSource, "SELECT count(*) FROM memberships m JOIN users u "
                    + "ON u.id = m.user_id WHERE u.account_id = ? AND m.workspace_id = " + person.workspace()
                    + " AND m.active", id);
            if (person.invitation() != null) {
                assertThat(personal).as("personal workspaces of invited %s (seed %d)", id, seed).isZero();
                assertThat(memberships).as("membership of invited %s, verified %s (seed %d)", id, person.verified(),
                        seed).isEqualTo(person.verified() ? 1 : 0);
            } else {
                assertThat(personal).as("personal workspaces of %s (seed %d)", id, seed).isEqualTo(1);
            }
        }
    }

    private int call(String method, String path, String token) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                    .header("Authorization", "Bearer " + token)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void record(Map<Integer, RecordMetadata> last, RecordMetadata sent) {
        last.merge(sent.partition(), sent, (a, b) -> a.offset() >= b.offset() ? a : b);
    }
}
