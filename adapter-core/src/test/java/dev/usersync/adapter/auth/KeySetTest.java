package dev.usersync.adapter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeySetTest {

    private static final URI PUBLISHED = URI.create("https://accounts.example.com/.well-known/jwks.json?v=2");

    @Test
    void theKeySetIsFetchedWhereTheDiscoveryDocumentSaysWithoutAnInternalAddress() {
        assertThat(KeySet.reachable(PUBLISHED, Optional.empty())).isEqualTo(PUBLISHED);
    }

    @Test
    void withAnInternalAddressTheSamePathIsFetchedThere() {
        assertThat(KeySet.reachable(PUBLISHED, Optional.of("http://accounts:8080")))
                .isEqualTo(URI.create("http://accounts:8080/.well-known/jwks.json?v=2"));
    }
}
