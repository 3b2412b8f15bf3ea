package dev.usersync.adapter.admin;

import dev.usersync.adapter.AdapterConfig;
import dev.usersync.adapter.consumer.DeadLetterReplay;
import dev.usersync.adapter.consumer.RecordApplier;
import dev.usersync.web.ApiKeys;
import dev.usersync.web.Problem;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * The adapter's operator endpoints, behind {@code adapter.admin.api-key} as a Bearer token (without it configured they
 * answer 401): replaying the dead-letter topic after a fix.
 */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdapterAdminResource {

    private final AdapterConfig config;
    private final DeadLetterReplay replay;

    public AdapterAdminResource(AdapterConfig config, DeadLetterReplay replay) {
        this.config = config;
        this.replay = replay;
    }

    /** Replays every dead letter, or those read at {@code origin} (for example {@code accounts.events/3@1042}). */
    @POST
    @Path("/dead-letters/replay")
    public DeadLetterReplay.Report replayDeadLetters(@Context HttpHeaders headers,
            @QueryParam("origin") String origin) {
        requireAdmin(headers);
        try {
            return replay.replay(origin);
        } catch (RecordApplier.Unavailable e) {
            throw new Problem(503, "unavailable", "Service unavailable", e.getMessage()).header("Retry-After", "5");
        }
    }

    private void requireAdmin(HttpHeaders headers) {
        if (!ApiKeys.presented(headers.getHeaderString(HttpHeaders.AUTHORIZATION), config.admin().apiKey())) {
            throw Problem.unauthorized("operator endpoints need the adapter's admin API key as a Bearer token");
        }
    }
}
