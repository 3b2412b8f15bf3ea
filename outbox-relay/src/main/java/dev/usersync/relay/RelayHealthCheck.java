package dev.usersync.relay;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the relay in readiness: whether this instance leads, the engine's state, slot lag and the last error.
 * It stays UP while Kafka is unreachable: the outbox exists so sign-ups go on while the relay catches up later, and
 * taking every replica out of service would stop them. Alert on {@code relay_replication_slot_lag_bytes} instead.
 */
@Readiness
@ApplicationScoped
public class RelayHealthCheck implements HealthCheck {

    private final Relay relay;

    public RelayHealthCheck(Relay relay) {
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("outbox-relay").up()
                .withData("leader", relay.leader())
                .withData("engine", relay.state().name())
                .withData("slot", relay.slotName())
                .withData("slotLagBytes", relay.slotLagBytes());
        if (relay.lastError() != null) {
            response.withData("lastError", relay.lastError());
        }
        return response.build();
    }
}
