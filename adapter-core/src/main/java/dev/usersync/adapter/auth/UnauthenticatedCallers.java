package dev.usersync.adapter.auth;

import dev.usersync.adapter.AdapterConfig;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Benchmark builds only: a request may name its caller in {@value #HEADER} instead of presenting a token, so that the
 * benchmark harness can measure what local authentication costs against the same endpoints without it. The bean
 * exists only in a build made with {@code -Dadapter.bench.unauthenticated=true} ({@code benchmarks/run} makes one into
 * {@code target/bench-app}); a packaged adapter has no such bean, and no runtime setting can add it, so
 * {@link ProductUserFilter} ignores the header. Build-time properties come from any configuration source of the build
 * (an environment variable of the build's shell as well), so a build that has the bean by mistake also refuses to
 * start unless {@value #ACKNOWLEDGEMENT} is set to {@value #ACKNOWLEDGED} at run time, as the benchmark harness does.
 */
@IfBuildProperty(name = "adapter.bench.unauthenticated", stringValue = "true")
@Startup
@ApplicationScoped
public class UnauthenticatedCallers {

    public static final String HEADER = "X-Bench-Account";
    public static final String ACKNOWLEDGEMENT = "adapter.bench.unauthenticated-acknowledged";
    public static final String ACKNOWLEDGED = "this build lets anyone name the caller";

    private final String product;

    public UnauthenticatedCallers(AdapterConfig config,
            @ConfigProperty(name = ACKNOWLEDGEMENT) Optional<String> acknowledged) {
        if (!acknowledged.filter(ACKNOWLEDGED::equals).isPresent()) {
            throw new IllegalStateException("this adapter was built with adapter.bench.unauthenticated=true: any "
                    + "request may name its caller in " + HEADER + " without a token. It is for the benchmark harness "
                    + "only and will not start without " + ACKNOWLEDGEMENT + "=" + ACKNOWLEDGED + "; build it again "
                    + "without that property");
        }
        this.product = config.product();
    }

    /** The caller the request names, or {@code null}: authenticate it as usual. */
    Caller caller(ContainerRequestContext request) {
        String account = request.getHeaderString(HEADER);
        return account == null ? null : new Caller(UUID.fromString(account), null, List.of(product), null);
    }
}
