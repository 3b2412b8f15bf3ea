package dev.usersync.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One account's life, one event of every type, with fixed ids and times: the source of the golden fixtures. From
 * version 2 on, the state carries the sign-up context and events are signed.
 */
final class ExampleEvents {

    static final UUID ACCOUNT = UUID.fromString("01935c7e-8a00-7000-8000-00000000a001");
    static final UUID MERGED = UUID.fromString("01935c7e-8a00-7000-8000-00000000a002");
    static final UUID SESSION = UUID.fromString("01935c7e-8a00-7000-8000-00000000c001");

    private ExampleEvents() {
    }

    /** The current version's life, signed by {@link TestChain#SIGNER}. */
    static List<AccountEvent> lifeOfAnAccount() {
        return lifeOfAnAccount(EventType.CURRENT_VERSION);
    }

    static List<AccountEvent> lifeOfAnAccount(int version) {
        SignUpContext signUp = SignUpContext.of("track", version >= 2 ? SignUpContext.digest("inv-7Yq2") : "inv-7Yq2");
        SignUpContext inState = version >= 2 ? signUp : null;
        AccountState created = AccountState.of(ACCOUNT, "ada@example.com", false, "Ada Lovelace", "en-GB",
                "Europe/London").withProducts(List.of("track")).withSignUp(inState);
        AccountState renamed = new AccountState(ACCOUNT, "ada@example.org", false, "Ada King", "en-GB",
                "Europe/London", List.of("track"), AccountStatus.ACTIVE, Map.of(), List.of(), inState);
        AccountState verified = new AccountState(ACCOUNT, "ada@example.org", true, "Ada King", "en-GB",
                "Europe/London", List.of("track"), AccountStatus.ACTIVE, Map.of(), List.of(), inState);
        AccountState withPlan = verified.withProducts(List.of("plan", "track"));
        AccountState withoutTrack = withPlan.withProducts(List.of("plan"));
        LinkedIdentity google = LinkedIdentity.of("google", "108004312345678901234");
        AccountState linked = withoutTrack.withIdentities(List.of(google));
        AccountState merged = linked.withLegacyIds(Map.of("plan", "77001", "track", "42"));
        AccountState closed = merged.withStatus(AccountStatus.CLOSED);

        TestChain chain = new TestChain(ACCOUNT, version);
        Instant t = Instant.parse("2026-11-21T07:30:00.123456Z");
        TraceContext trace = TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null);
        chain.append(id(1), t, trace, AccountCreated.of(created, signUp));
        chain.append(id(2), t.plusSeconds(60), trace, AccountUpdated.of(renamed, List.of("name", "email")));
        chain.append(id(3), t.plusSeconds(120), null, EmailVerified.of(verified, "ada@example.org"));
        chain.append(id(4), t.plusSeconds(180), null, ProductAccessGranted.of(withPlan, "plan"));
        chain.append(id(5), t.plusSeconds(240), null, ProductAccessRevoked.of(withoutTrack, "track"));
        chain.append(id(6), t.plusSeconds(300), null, IdentityLinked.of(linked, google));
        chain.append(id(7), t.plusSeconds(360), null, AccountsMerged.of(merged, MERGED, Map.of("plan", "77001")));
        chain.append(id(8), t.plusSeconds(420), null,
                SessionRevoked.of(merged, List.of(SESSION), SessionRevoked.Reason.LOGOUT));
        chain.append(id(9), t.plusSeconds(480), null, AccountClosed.of(closed, AccountClosed.Reason.REQUESTED));
        return chain.events();
    }

    private static UUID id(int n) {
        return UUID.fromString(String.format("01935c7e-8a00-7000-8000-%012d", n));
    }
}
