package dev.usersync.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The test servers are the real thing: PostgreSQL that streams logical changes, and a Kafka broker. */
class ServersTest {

    @Test
    void postgresHasLogicalReplicationWithPgoutput() throws SQLException {
        PostgresServer server = PostgresServer.shared();
        String database = server.createDatabase();

        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(database), server.username(),
                server.password()); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SHOW wal_level")).isEqualTo("logical");
            statement.execute("CREATE TABLE t (id int PRIMARY KEY)");
            statement.execute("CREATE PUBLICATION p FOR TABLE t");
            statement.execute("SELECT pg_create_logical_replication_slot('s_" + database + "', 'pgoutput')");
            assertThat(single(statement,
                    "SELECT plugin FROM pg_replication_slots WHERE slot_name = 's_" + database + "'"))
                    .isEqualTo("pgoutput");
            statement.execute("SELECT pg_drop_replication_slot('s_" + database + "')");
        }
    }

    @Test
    void eachCallGetsItsOwnEmptyDatabase() {
        PostgresServer server = PostgresServer.shared();

        assertThat(server.createDatabase()).isNotEqualTo(server.createDatabase());
    }

    @Test
    void kafkaTakesARecordAndGivesItBack() throws Exception {
        String bootstrap = KafkaServer.shared().bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("servers-test", 1, (short) 1))).all().get();
        }

        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("servers-test", "key", "value")).get();
        }

        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "servers-test");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("servers-test"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("key");
            assertThat(r.value()).isEqualTo("value");
        });
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
