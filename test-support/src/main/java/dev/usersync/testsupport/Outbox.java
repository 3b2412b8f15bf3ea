package dev.usersync.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** The outbox as the accounts service writes it and the relay reads it. */
public final class Outbox {

    private Outbox() {
    }

    /** The account's events in the outbox, in sequence order, as JSON on the wire. */
    public static List<JsonNode> events(DataSource dataSource, UUID accountId) throws SQLException {
        List<JsonNode> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT payload FROM outbox WHERE aggregateid = ? ORDER BY sequence")) {
            s.setObject(1, accountId);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    events.add(EventCodec.parse(rows.getString(1).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        return events;
    }
}
