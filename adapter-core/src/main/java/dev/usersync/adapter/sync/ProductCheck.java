package dev.usersync.adapter.sync;

import dev.usersync.adapter.AdapterConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Refuses to start an adapter whose {@code adapter.product} (the audience its tokens must name, the access its
 * accounts must have) is not the product its projection writes: an environment variable must not make one product's
 * adapter accept another product's tokens, or consume in another product's group. It observes start-up before every
 * other observer (the consumer's, the healer's), so nothing has run when it refuses.
 */
@ApplicationScoped
class ProductCheck {

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent start, AdapterConfig config,
            ProductProjection projection) {
        require(config.product(), projection);
    }

    static void require(String configured, ProductProjection projection) {
        if (!configured.equals(projection.product())) {
            throw new IllegalStateException("adapter.product is '" + configured
                    + "' but the projection writes product '" + projection.product() + "'");
        }
    }
}
