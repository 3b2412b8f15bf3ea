package dev.usersync.adapter.auth;

import dev.usersync.track.rest.MeResource;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Benchmark baseline only: Track's {@code /v1/track/me} without authentication, the caller named by a header. Off
 * unless {@code bench.unauthenticated=true} (only {@code TrackAuthBenchmark}'s profile sets it).
 */
@Path("/bench/unauthenticated/me")
@EndpointDisabled(name = "bench.unauthenticated", stringValue = "false", disableIfMissing = true)
public class UnauthenticatedMeResource {

    private final CurrentCaller caller;
    private final MeResource me;

    public UnauthenticatedMeResource(CurrentCaller caller, MeResource me) {
        this.caller = caller;
        this.me = me;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public MeResource.Me me(@HeaderParam("X-Account") UUID account) throws SQLException {
        caller.set(new Caller(account, null, List.of("track"), null));
        return me.me();
    }
}
