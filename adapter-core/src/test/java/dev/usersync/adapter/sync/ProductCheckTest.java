package dev.usersync.adapter.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usersync.adapter.probe.ProbeProjection;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An adapter configured as one product while its projection writes another does not start; discovery finds the
 * registered projections and refuses a product claimed twice or named badly.
 */
class ProductCheckTest {

    /** A second projection claiming the probe product, as a stray jar on an auditor's class path might. */
    public static final class Shadow extends ProbeProjection {
    }

    /** A projection whose product id would become a folder, a database and environment variable names. */
    public static final class BadName extends ProbeProjection {
        @Override
        public String product() {
            return "../probe";
        }
    }

    @Test
    void aConfiguredProductThatIsNotTheProjectionsIsRefused() {
        assertThatCode(() -> ProductCheck.require("probe", new ProbeProjection())).doesNotThrowAnyException();
        assertThatThrownBy(() -> ProductCheck.require("track", new ProbeProjection()))
                .hasMessageContaining("adapter.product is 'track' but the projection");
    }

    @Test
    void theRegisteredProjectionsAreFound() throws IOException {
        assertThat(discover(ProbeProjection.class)).extracting(ProductProjection::product).containsExactly("probe");
    }

    @Test
    void aProductClaimedTwiceOrNamedBadlyIsRefused() {
        assertThatThrownBy(() -> discover(ProbeProjection.class, Shadow.class))
                .hasMessageContaining("product 'probe'").hasMessageContaining("claimed twice");
        assertThatThrownBy(() -> discover(BadName.class)).hasMessageContaining("product '../probe'");
    }

    /** What discovery finds on a class path whose jars register {@code projections}. */
    private List<ProductProjection> discover(Class<?>... projections) throws IOException {
        Path root = Files.createTempDirectory("services");
        Path services = Files.createDirectories(root.resolve("META-INF/services"))
                .resolve(ProductProjection.class.getName());
        Files.write(services, java.util.Arrays.stream(projections).map(Class::getName).toList());
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {root.toUri().toURL()},
                getClass().getClassLoader())) {
            return ProductProjection.discover(loader);
        }
    }
}
