package dev.usersync.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
        ConsumerRecord<String, String> back = KafkaRoundTrip.roundTrip(
                Map.of("bootstrap.servers", KafkaServer.shared().bootstrapServers()), "servers-test", "key", "value");

        assertThat(back.key()).isEqualTo("key");
        assertThat(back.value()).isEqualTo("value");
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
