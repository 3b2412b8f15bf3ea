package dev.usersync.auditor;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A point in the log given as an ISO-8601 instant, or as a date meaning its start in UTC. */
final class Times implements ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return value.contains("T") ? Instant.parse(value)
                    : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is neither a date (2026-11-01) nor an instant "
                    + "(2026-11-01T12:00:00Z)");
        }
    }
}
