package dev.usersync.adapter.consumer;

import dev.usersync.adapter.AdapterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the account-log consumer: down only when it is meant to run and its thread is gone. Lag and the last
 * error are reported as data; a lagging adapter still serves requests from its cache (and fetches unseen accounts).
 */
@Readiness
@ApplicationScoped
public class ConsumerHealthCheck implements HealthCheck {

    private final AccountLogConsumer consumer;
    private final AdapterConfig config;

    public ConsumerHealthCheck(AccountLogConsumer consumer, AdapterConfig config) {
        this.consumer = consumer;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        boolean wanted = config.consumer().enabled();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("account-log-consumer")
                .status(!wanted || consumer.running())
                .withData("group", config.consumerGroup())
                .withData("running", consumer.running())
                .withData("lag", consumer.lag());
        if (consumer.lastError() != null) {
            response.withData("lastError", consumer.lastError());
        }
        return response.build();
    }
}
