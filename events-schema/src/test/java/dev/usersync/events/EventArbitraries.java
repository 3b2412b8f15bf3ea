package dev.usersync.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of events for the property-based tests: any state, any type, interleaved chains. */
final class EventArbitraries {

    private static final List<String> PRODUCTS = List.of("track", "plan", "work", "hire");

    private EventArbitraries() {
    }

    static Arbitrary<UUID> uuids() {
        return Arbitraries.longs().tuple2().map(t -> new UUID(t.get1(), t.get2()));
    }

    /** Any text a person may type, control characters and astral-plane letters included. */
    static Arbitrary<String> text() {
        return Arbitraries.strings()
                .withCharRange('\u0000', '\uD7FF')
                .withChars("😀𝄞\uE000\uFFFD")
                .ofMaxLength(40);
    }

    static Arbitrary<AccountState> states(UUID id) {
        Arbitrary<String> email = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20)
                .map(local -> local + "@example.com");
        Arbitrary<List<String>> products = Arbitraries.of(PRODUCTS).list().uniqueElements().ofMaxSize(4);
        Arbitrary<java.util.Map<String, String>> legacyIds = Arbitraries.maps(Arbitraries.of(PRODUCTS),
                Arbitraries.longs().between(1, 10_000_000).map(String::valueOf)).ofMaxSize(2);
        Arbitrary<List<LinkedIdentity>> identities = Combinators.combine(Arbitraries.of("google", "apple"),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(21)).as(LinkedIdentity::of)
                .list().ofMaxSize(2);
        Arbitrary<SignUpContext> signUps = Combinators.combine(Arbitraries.of(PRODUCTS),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(30)
                        .map(SignUpContext::digest).injectNull(0.5))
                .as(SignUpContext::of);
        return Combinators.combine(email, Arbitraries.of(true, false), text().injectNull(0.2),
                Arbitraries.of("en-GB", "et-EE", "de-DE", "ja-JP").injectNull(0.2),
                Arbitraries.of("Europe/Tallinn", "UTC", "Asia/Tokyo").injectNull(0.2), products,
                Arbitraries.of(AccountStatus.class), legacyIds)
                .as((e, v, n, l, z, p, s, legacy) -> new AccountState(id, e, v, n, l, z, p, s, legacy, null))
                .flatMap(state -> identities.map(state::withIdentities))
                .flatMap(state -> signUps.injectNull(0.2).map(state::withSignUp));
    }

    static Arbitrary<EventData> data(UUID id) {
        return states(id).flatMap(state -> Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(PRODUCTS), text().injectNull(0.5))
                        .as((product, invitation) -> AccountCreated.of(state, SignUpContext.of(product, invitation))),
                Arbitraries.of("email", "name", "locale", "timeZone").list().uniqueElements().ofMinSize(1)
                        .map(changed -> AccountUpdated.of(state, changed)),
                Arbitraries.just(EmailVerified.of(state, state.email())),
                Arbitraries.of(PRODUCTS).map(p -> ProductAccessGranted.of(state, p)),
                Arbitraries.of(PRODUCTS).map(p -> ProductAccessRevoked.of(state, p)),
                Arbitraries.of("google", "apple").map(p -> IdentityLinked.of(state, LinkedIdentity.of(p, "s-1"))),
                uuids().map(merged -> AccountsMerged.of(state, merged, state.legacyIds())),
                Arbitraries.of(AccountClosed.Reason.class).map(r -> AccountClosed.of(state, r)),
                Combinators.combine(uuids().list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.of(SessionRevoked.Reason.class)).as((s, r) -> SessionRevoked.of(state, s, r))));
    }

    static Arbitrary<TraceContext> traces() {
        return Combinators.combine(Arbitraries.strings().withChars("0123456789abcdef").ofLength(32),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(16),
                Arbitraries.of("vendor=1", "a=b,c=d").injectNull(0.5))
                .as((trace, span, state) -> TraceContext.of("00-" + trace + "-" + span + "-01", state));
    }

    static Arbitrary<AccountEvent> events() {
        return uuids().flatMap(id -> Combinators.combine(uuids(), Arbitraries.longs().between(1, 1_000_000),
                Arbitraries.longs().between(0, 4_000_000_000L), traces().injectNull(0.3), data(id),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(64))
                .as((eventId, sequence, seconds, trace, data, previous) -> new AccountEvent(eventId, id, sequence,
                        Instant.ofEpochSecond(seconds, 123_000), EventType.CURRENT_VERSION,
                        sequence == 1 ? null : previous, null, null, trace, data).seal())
                .map(TestChain.SIGNER::sign));
    }

    /** The chains of one to four accounts, each of one to eight events, interleaved as a log would hold them. */
    static Arbitrary<List<AccountEvent>> logs() {
        Arbitrary<List<AccountEvent>> chain = uuids().flatMap(id -> data(id).list().ofMinSize(1).ofMaxSize(8)
                .map(datas -> {
                    TestChain c = new TestChain(id);
                    datas.forEach(c::append);
                    return c.events();
                }));
        return Combinators.combine(
                chain.list().ofMinSize(1).ofMaxSize(4).uniqueElements(c -> c.get(0).accountId()),
                Arbitraries.randoms())
                .as(EventArbitraries::interleave);
    }

    private static List<AccountEvent> interleave(List<List<AccountEvent>> chains, Random random) {
        List<List<AccountEvent>> pending = new ArrayList<>();
        chains.forEach(c -> pending.add(new ArrayList<>(c)));
        List<AccountEvent> log = new ArrayList<>();
        while (!pending.isEmpty()) {
            int pick = random.nextInt(pending.size());
            List<AccountEvent> chain = pending.get(pick);
            log.add(chain.remove(0));
            if (chain.isEmpty()) {
                pending.remove(pick);
            }
        }
        return log;
    }
}
