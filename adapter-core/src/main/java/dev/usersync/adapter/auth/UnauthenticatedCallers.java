package dev.usersync.adapter.auth;

import dev.usersync.adapter.AdapterConfig;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;
import java.util.UUID;

/**
 * Benchmark builds only: a request may name its caller in {@value #HEADER} instead of presenting a token, so that the
 * benchmark harness can measure what local authentication costs against the same endpoints without it. The bean
 * exists only in a build made with {@code -Dadapter.bench.unauthenticated=true} ({@code benchmarks/run} makes one into
 * {@code target/bench-app}); a packaged adapter has no such bean, and no runtime setting can add it, so
 * {@link ProductUserFilter} ignores the header.
 */
@IfBuildProperty(name = "adapter.bench.unauthenticated", stringValue = "true")
@ApplicationScoped
public class UnauthenticatedCallers {

    public static final String HEADER = "X-Bench-Account";

    private final String product;

    public UnauthenticatedCallers(AdapterConfig config) {
        this.product = config.product();
    }

    /** The caller the request names, or {@code null}: authenticate it as usual. */
    Caller caller(ContainerRequestContext request) {
        String account = request.getHeaderString(HEADER);
        return account == null ? null : new Caller(UUID.fromString(account), null, List.of(product), null);
    }
}
