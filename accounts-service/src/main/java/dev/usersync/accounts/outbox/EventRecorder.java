package dev.usersync.accounts.outbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.usersync.accounts.account.model.Account;
import dev.usersync.accounts.account.model.LinkedIdentityRow;
import dev.usersync.accounts.token.model.SigningKey;
import dev.usersync.accounts.token.service.SigningKeys;
import dev.usersync.accounts.web.RequestInfo;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountState;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventData;
import dev.usersync.events.EventSchemas;
import dev.usersync.events.LinkedIdentity;
import dev.usersync.events.SignUpContext;
import dev.usersync.events.TraceContext;
import dev.usersync.web.Problem;
import dev.usersync.web.Traces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Appends an account's next event to its hash chain and to the outbox, in the caller's transaction: the change and
 * its event commit together or not at all, and the relay publishes them in commit order. Every event is signed with the
 * active event-signing key and checked against its JSON Schema first: a change that would produce an event a consumer
 * rejects is refused with a 400 and rolls back, instead of turning every later event of the account into a dead
 * letter.
 */
@ApplicationScoped
public class EventRecorder {

    private final SigningKeys keys;
    private final Tracer tracer;
    private final boolean tracing = Traces.enabled();

    public EventRecorder(SigningKeys keys, Tracer tracer) {
        this.keys = keys;
        this.tracer = Traces.tracer(tracer);
    }

    /**
     * Records the event that {@code dataOf} makes of the account's current state. The account must be locked
     * ({@link Account#lock}) or new in this transaction, so that no other transaction numbers an event of it meanwhile.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public AccountEvent record(Account account, Function<AccountState, EventData> dataOf) {
        Span span = tracer.spanBuilder("outbox record").startSpan();
        try (Scope scope = span.makeCurrent()) {
            AccountEvent event = recordInSpan(account, dataOf);
            span.updateName("outbox record " + event.type().wireName());
            span.setAttribute("event.type", event.type().wireName());
            span.setAttribute("event.sequence", event.sequence());
            return event;
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    private AccountEvent recordInSpan(Account account, Function<AccountState, EventData> dataOf) {
        Instant now = Instant.now();
        EventData data = dataOf.apply(stateOf(account));
        AccountEvent event = keys.ring(SigningKey.Purpose.EVENT).signer().sign(AccountEvent.of(account.id,
                account.lastSequence + 1, now, account.lastHash, trace(), data).seal());
        ObjectNode tree = EventCodec.toTree(event);
        List<String> problems = EventSchemas.validate(tree);
        if (!problems.isEmpty()) {
            throw Problem.badRequest("invalid-event", "the change would make a " + event.type().wireName()
                    + " event that consumers reject: " + String.join("; ", problems));
        }
        String payload = tree.toString();

        OutboxEvent row = new OutboxEvent();
        row.id = event.eventId();
        row.aggregatetype = OutboxEvent.AGGREGATE_TYPE;
        row.aggregateid = account.id;
        row.type = event.type().wireName();
        row.payload = payload;
        row.sequence = event.sequence();
        if (event.trace() != null) {
            row.traceparent = event.trace().traceparent();
            row.tracestate = event.trace().tracestate();
        }
        row.createdAt = now;
        row.persist();

        account.lastSequence = event.sequence();
        account.lastHash = event.hash();
        account.lastEvent = payload;
        account.updatedAt = now;
        return event;
    }

    /** The account's full state as events carry it. */
    public static AccountState stateOf(Account account) {
        List<LinkedIdentity> identities = LinkedIdentityRow.<LinkedIdentityRow>list("accountId", account.id).stream()
                .map(row -> LinkedIdentity.of(row.provider, row.subject))
                .toList();
        return new AccountState(account.id, account.email, account.emailVerified, account.name, account.locale,
                account.timeZone, account.products, account.status, account.legacyIds, identities,
                account.signupProduct == null ? null
                        : SignUpContext.of(account.signupProduct, account.signupInvitation));
    }

    /**
     * The trace the event continues: the outbox span's when tracing is on (its adapters' spans become its children;
     * a {@code tracestate} would be the client's, and is not signed into the log), otherwise the context the client's
     * request carried, if any.
     */
    private TraceContext trace() {
        Map<String, String> current = tracing ? Traces.current() : Map.of();
        if (!current.isEmpty()) {
            return TraceContext.fromHeaders(current.get("traceparent"), null);
        }
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        return Arc.container().instance(RequestInfo.class).get().trace();
    }
}
