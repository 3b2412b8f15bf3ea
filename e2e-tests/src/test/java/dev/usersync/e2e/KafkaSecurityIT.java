package dev.usersync.e2e;

import static dev.usersync.e2e.RunningMesh.PROPAGATION;
import static dev.usersync.e2e.RunningMesh.READY;
import static dev.usersync.e2e.RunningMesh.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.usersync.servers.LocalKafka;
import dev.usersync.servers.LocalMesh;
import dev.usersync.servers.LocalPostgres;
import dev.usersync.testsupport.AccountLogWriter;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Kafka client of the mesh takes the full client configuration (here SASL/SCRAM) from its service's
 * {@code kafka.*} settings, and a broker with ACLs lets each do only its job: the accounts service's relay writes the
 * account topics, the Track adapter reads them and writes (and, to replay, reads) its own dead-letter topic, the
 * auditor reads them, and anyone else is refused.
 */
class KafkaSecurityIT {

    private static final Map<String, String> USERS = new LinkedHashMap<>();
    private static final LocalMesh.Secrets SECRETS = LocalMesh.Secrets.generate();

    static {
        for (String user : List.of("admin", "accounts", "track", "auditor")) {
            USERS.put(user, LocalMesh.Secrets.token());
        }
    }

    private static LocalKafka kafka;
    private static LocalPostgres postgres;
    private static LocalMesh services;

    @BeforeAll
    static void start() throws Exception {
        kafka = LocalKafka.secured(Files.createTempDirectory("secured-kafka"), UUID.randomUUID().toString(), USERS)
                .start();
        grant();
        postgres = LocalPostgres.ephemeral();
        services = new LocalMesh(RunningMesh.ROOT, postgres, kafka.bootstrapServers(),
                LocalMesh.Ports.free(RunningMesh.ROOT), SECRETS,
                Path.of("target", "e2e-logs", "kafka-security"))
                .configure("accounts-service", environment(kafka.clientProperties("accounts")))
                .configure("track-adapter", environment(kafka.clientProperties("track")));
        services.start("accounts-service", READY);
        services.start("track-adapter", READY);
    }

    @AfterAll
    static void stop() {
        LocalMesh.closeAll(services, kafka, postgres);
    }

    @Test
    void theRelayWritesTheLogAndTheAdapterReadsItEachAsItsOwnPrincipal() {
        Client.Session ada = Client.signUp(services.url("accounts-service"), email("secured"), "track", null);

        await().atMost(PROPAGATION).until(() -> count("SELECT count(*) FROM users WHERE account_id = ?::uuid",
                ada.accountId()) == 1);
    }

    @Test
    void anAdapterMayNotWriteTheAccountLog() {
        try (KafkaProducer<byte[], byte[]> producer = producer("track")) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("accounts.events", bytes("forged"))).get(30,
                    TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void anAdapterDeadLettersIntoItsOwnTopic() throws Exception {
        String marker = "not an event " + UUID.randomUUID();
        try (KafkaProducer<byte[], byte[]> producer = producer("admin")) {
            producer.send(new ProducerRecord<>("accounts.events", bytes(UUID.randomUUID().toString()), bytes(marker)))
                    .get(30, TimeUnit.SECONDS);
        }

        await().atMost(PROPAGATION).until(() -> AccountLogWriter.readAll(client("admin"),
                "track-adapter.dead-letter").stream()
                .anyMatch(record -> marker.equals(new String(record.value(), StandardCharsets.UTF_8))));

        var replay = Client.send("POST", services.url("track-adapter") + "/v1/admin/dead-letters/replay", null, null,
                SECRETS.adapterAdminKey());
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(replay.body()).contains("\"outcome\":\"REJECTED\"");
    }

    @Test
    void anyoneElseIsRefused() {
        Map<String, Object> anonymous = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2_000);
        try (Admin admin = Admin.create(anonymous)) {
            assertThatThrownBy(() -> admin.listTopics().names().get()).isInstanceOf(ExecutionException.class);
        }
        Map<String, Object> wrongPassword = new HashMap<>(client("track"));
        wrongPassword.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"track\" password=\"guessed\";");
        try (Admin admin = Admin.create(wrongPassword)) {
            assertThatThrownBy(() -> admin.listTopics().names().get()).hasCauseInstanceOf(
                    SaslAuthenticationException.class);
        }
    }

    @Test
    void theAuditorReadsTheLogAsItsOwnPrincipal() throws Exception {
        Client.Session ada = Client.signUp(services.url("accounts-service"), email("audited"), "track", null);
        await().atMost(PROPAGATION).until(() -> count("SELECT count(*) FROM users WHERE account_id = ?::uuid",
                ada.accountId()) == 1);
        Path settings = Files.createTempFile("auditor-kafka", ".properties");
        Properties properties = new Properties();
        properties.putAll(kafka.clientProperties("auditor"));
        try (OutputStream out = Files.newOutputStream(settings)) {
            properties.store(out, null);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", RunningMesh.ROOT.resolve("auditor/target/quarkus-app/quarkus-run.jar").toString(),
                "history", ada.accountId(), "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config",
                settings.toString(),
                "--event-keys", services.url("accounts-service") + "/.well-known/event-keys.json"));
        Path out = Files.createTempFile("audit", ".out");
        Process audit = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(audit.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(audit.exitValue()).as(Files.readString(out)).isZero();
        assertThat(Files.readString(out)).contains("1 events of account " + ada.accountId() + "; chain intact");
    }

    /** The ACLs a platform team gives each principal: nothing more than its job. */
    private static void grant() throws Exception {
        List<AclBinding> acls = new ArrayList<>();
        allow(acls, "accounts", new ResourcePattern(ResourceType.TOPIC, "accounts.", PatternType.PREFIXED),
                AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE);
        for (String topic : List.of("accounts.events", "accounts.state")) {
            allow(acls, "track", new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    AclOperation.READ, AclOperation.DESCRIBE);
            allow(acls, "auditor", new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    AclOperation.READ, AclOperation.DESCRIBE);
        }
        allow(acls, "track", new ResourcePattern(ResourceType.TOPIC, "track-adapter.dead-letter",
                PatternType.LITERAL), AclOperation.WRITE, AclOperation.READ, AclOperation.DESCRIBE,
                AclOperation.CREATE);
        allow(acls, "track", new ResourcePattern(ResourceType.GROUP, "track-adapter", PatternType.LITERAL),
                AclOperation.READ, AclOperation.DESCRIBE);
        try (Admin admin = Admin.create(client("admin"))) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void allow(List<AclBinding> acls, String user, ResourcePattern resource,
            AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(new AclBinding(resource, new AccessControlEntry("User:" + user, "*", operation,
                    AclPermissionType.ALLOW)));
        }
    }

    /** A service's Kafka client settings as the environment variables Quarkus maps to {@code kafka.*}. */
    private static Map<String, String> environment(Map<String, String> clientProperties) {
        Map<String, String> environment = new HashMap<>();
        clientProperties.forEach((key, value) -> environment.put("KAFKA_" + key.toUpperCase(Locale.ROOT)
                .replace('.', '_'), value));
        return environment;
    }

    private static Map<String, Object> client(String user) {
        Map<String, Object> config = new HashMap<>(kafka.clientProperties(user));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return config;
    }

    private static KafkaProducer<byte[], byte[]> producer(String user) {
        Map<String, Object> config = client(user);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static long count(String sql, String id) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("track"), LocalPostgres.USER,
                LocalPostgres.PASSWORD); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
