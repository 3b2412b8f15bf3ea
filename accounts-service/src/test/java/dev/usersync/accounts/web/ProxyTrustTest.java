package dev.usersync.accounts.web;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Forwarded addresses are honoured only from proxies named explicitly. */
class ProxyTrustTest {

    @Test
    void forwardingWithoutTrustedProxiesRefusesToStart() {
        assertThatThrownBy(() -> ProxyTrust.require(true, Optional.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("trusted-proxies");
        assertThatThrownBy(() -> ProxyTrust.require(true, Optional.of(List.of())))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void forwardingFromNamedProxiesOrNoForwardingStarts() {
        assertThatCode(() -> ProxyTrust.require(true, Optional.of(List.of("10.0.0.0/8")))).doesNotThrowAnyException();
        assertThatCode(() -> ProxyTrust.require(false, Optional.empty())).doesNotThrowAnyException();
    }
}
