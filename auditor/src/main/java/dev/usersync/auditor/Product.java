package dev.usersync.auditor;

import dev.usersync.adapter.sync.ProductProjection;
import dev.usersync.plan.sync.PlanProjection;
import dev.usersync.track.sync.TrackProjection;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The products whose caches an auditor can rebuild: each adapter's own projection and migrations, nothing written
 * again here. A new product adapter adds a line.
 */
enum Product {
    TRACK(TrackProjection::new),
    PLAN(PlanProjection::new);

    private final Supplier<ProductProjection> projection;

    Product(Supplier<ProductProjection> projection) {
        this.projection = projection;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    ProductProjection projection() {
        return projection.get();
    }

    /** Where the adapter's jar keeps its own Flyway migrations (adapter-core's are in {@code db/adapter}). */
    String migrations() {
        return "classpath:db/" + id();
    }

    /** Reads {@code --product track}. */
    static final class Converter implements ITypeConverter<Product> {
        @Override
        public Product convert(String id) {
            return Arrays.stream(values()).filter(p -> p.id().equals(id)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("no product '" + id + "'; one of "
                            + Arrays.stream(values()).map(Product::id).collect(Collectors.joining(", "))));
        }
    }
}
