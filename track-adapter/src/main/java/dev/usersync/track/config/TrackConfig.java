package dev.usersync.track.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Track's own settings, under {@code track.}. */
@ConfigMapping(prefix = "track")
public interface TrackConfig {

    Invitations invitations();

    interface Invitations {
        /** How long an invitation can be accepted after it was made. */
        @WithDefault("P14D")
        Duration ttl();
    }
}
