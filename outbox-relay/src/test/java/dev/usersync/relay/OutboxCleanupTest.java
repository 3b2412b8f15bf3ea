package dev.usersync.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The cleanup deletes outbox rows older than the retention and keeps the others. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class OutboxCleanupTest {

    @Inject
    OutboxCleanup cleanup;

    @Inject
    DataSource dataSource;

    @Test
    void rowsOlderThanTheRetentionAreDeletedAndRecentOnesKept() throws Exception {
        TestOutbox outbox = new TestOutbox(dataSource);
        AccountLogWriter.Account old = outbox.newAccount("old");
        outbox.rename(old, "Ada King");
        AccountLogWriter.Account recent = outbox.newAccount("recent");
        Sql.number(dataSource, "WITH aged AS (UPDATE outbox SET created_at = now() - interval '25 hours' "
                + "WHERE aggregateid = ? RETURNING 1) SELECT count(*) FROM aged", old.id());

        cleanup.clean();

        assertThat(Sql.number(dataSource, "SELECT count(*) FROM outbox WHERE aggregateid = ?", old.id())).isZero();
        assertThat(Sql.number(dataSource, "SELECT count(*) FROM outbox WHERE aggregateid = ?", recent.id()))
                .isEqualTo(1);
    }
}
