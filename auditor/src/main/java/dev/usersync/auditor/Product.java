package dev.usersync.auditor;

import dev.usersync.adapter.sync.ProductProjection;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A product whose cache an auditor can rebuild: the adapter's own projection and migrations, found on the class path
 * ({@link ProductProjection#discover}), nothing written again here. A new product adapter is a dependency of this
 * module, nothing more.
 */
record Product(ProductProjection projection) {

    String id() {
        return projection.product();
    }

    /** Where the adapter's jar keeps its own Flyway migrations (adapter-core's are in {@code db/adapter}). */
    String migrations() {
        return "classpath:db/" + id();
    }

    static List<Product> all() {
        return ProductProjection.discover(Product.class.getClassLoader()).stream().map(Product::new).toList();
    }

    /** Reads {@code --product track}. */
    static final class Converter implements ITypeConverter<Product> {
        @Override
        public Product convert(String id) {
            List<Product> all = all();
            return all.stream().filter(p -> p.id().equals(id)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("no product '" + id + "'; one of "
                            + all.stream().map(Product::id).collect(Collectors.joining(", "))));
        }
    }

    /** The products, for the help text: {@code ${COMPLETION-CANDIDATES}} in an option's description. */
    static final class Ids implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return all().stream().map(Product::id).iterator();
        }
    }
}
