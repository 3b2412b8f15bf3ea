package dev.usersync.accounts.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Forwarded addresses count only from proxies named explicitly, and only as far as they vouch for them. */
class ProxyTrustTest {

    private final ClientAddress behindTwoProxies = new ClientAddress(List.of("10.0.0.0/8", "2001:db8::1"));

    @Test
    void quarkusForwardingRefusesToStart() {
        assertThatThrownBy(() -> ProxyTrust.require(true, List.of("10.0.0.1")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("accounts.trusted-proxies");
        assertThatThrownBy(() -> ProxyTrust.require(false, List.of("proxy.example.com")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> ProxyTrust.require(false, List.of("10.0.0.0/8", "::1"))).doesNotThrowAnyException();
    }

    @Test
    void theClientIsTheRightmostAddressNoTrustedProxyAdded() {
        assertThat(behindTwoProxies.resolve("10.1.2.3", "198.51.100.1, 203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(behindTwoProxies.resolve("10.1.2.3", "203.0.113.9, 10.9.9.9")).isEqualTo("203.0.113.9");
        assertThat(behindTwoProxies.resolve("2001:db8:0:0:0:0:0:1", "[2001:db8::7]:4711")).isEqualTo("2001:db8::7");
        assertThat(behindTwoProxies.resolve("10.1.2.3", "203.0.113.9:4711")).isEqualTo("203.0.113.9");
    }

    @Test
    void anUntrustedPeerOrAMalformedHopIsTheClientItself() {
        assertThat(behindTwoProxies.resolve("203.0.113.9", "10.0.0.1")).isEqualTo("203.0.113.9");
        assertThat(behindTwoProxies.resolve("10.1.2.3", "198.51.100.1, evil.example")).isEqualTo("10.1.2.3");
        assertThat(behindTwoProxies.resolve("10.1.2.3", null)).isEqualTo("10.1.2.3");
        assertThat(new ClientAddress(List.of()).resolve("10.1.2.3", "198.51.100.1")).isEqualTo("10.1.2.3");
    }

    @Test
    void limitsCountIpv6ByItsSlash64() {
        assertThat(ClientAddress.network("2001:db8:1:2:aaaa::1")).isEqualTo(ClientAddress.network("2001:db8:1:2::9"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.network("203.0.113.9")).isEqualTo("203.0.113.9");
    }
}
