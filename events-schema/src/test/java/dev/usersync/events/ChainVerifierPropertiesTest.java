package dev.usersync.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ChainVerifierPropertiesTest {

    @Property(tries = 300)
    void anIntactLogHasNoBreak(@ForAll("logs") List<AccountEvent> log) {
        assertThat(ChainVerifier.firstBreak(wire(log))).isEmpty();
    }

    @Property(tries = 300)
    void changingAnyValueOfAnyEventBreaksTheChainAtThatEvent(@ForAll("logs") List<AccountEvent> log,
            @ForAll("indexes") int eventPick, @ForAll("indexes") int leafPick) {
        List<JsonNode> wire = wire(log);
        int at = eventPick % wire.size();
        List<JsonPointer> leaves = leaves(wire.get(at));
        JsonPointer leaf = leaves.get(leafPick % leaves.size());
        ObjectNode tampered = wire.get(at).deepCopy();
        change(tampered, leaf);
        wire.set(at, tampered);

        assertThat(firstBreakOrBadSignature(wire.subList(0, at))).isEmpty();
        assertThat(firstBreakOrBadSignature(wire.subList(0, at + 1)))
                .as("changed %s of event %d", leaf, at).isPresent();
    }

    @Property(tries = 300)
    void anEventChangedAndResealedByAnyoneButTheAccountsServiceFailsItsSignature(
            @ForAll("logs") List<AccountEvent> log, @ForAll("indexes") int pick) {
        AccountEvent original = log.get(pick % log.size());
        AccountEvent forged = new AccountEvent(UUID.randomUUID(), original.accountId(), original.sequence(),
                original.occurredAt(), original.schemaVersion(), original.previousHash(), null, null,
                original.trace(), AccountClosed.of(original.data().account(), AccountClosed.Reason.ADMINISTRATIVE))
                .seal();
        ObjectNode wire = EventCodec.toTree(forged);
        wire.set(EventSignature.FIELD, EventCodec.toTree(original).get(EventSignature.FIELD));
        ObjectNode signedByAnother = EventCodec.toTree(EventSigner.generate(TestChain.SIGNER.kid()).sign(forged));
        ObjectNode unsigned = EventCodec.toTree(forged);

        assertThat(signatureBreaks(wire)).containsExactly(ChainBreak.Kind.BAD_SIGNATURE);
        assertThat(signatureBreaks(signedByAnother)).containsExactly(ChainBreak.Kind.BAD_SIGNATURE);
        assertThat(signatureBreaks(unsigned)).containsExactly(ChainBreak.Kind.UNSIGNED);
        assertThat(signatureBreaks(EventCodec.toTree(EventSigner.generate("other").sign(forged))))
                .containsExactly(ChainBreak.Kind.UNKNOWN_KEY);
    }

    @Property(tries = 300)
    void droppingAnEventThatHasASuccessorBreaksTheChain(@ForAll("logs") List<AccountEvent> log,
            @ForAll("indexes") int pick) {
        List<Integer> droppable = IntStream.range(0, log.size()).filter(i -> hasSuccessor(log, i)).boxed().toList();
        Assume.that(!droppable.isEmpty());
        List<AccountEvent> gapped = new ArrayList<>(log);
        AccountEvent dropped = gapped.remove((int) droppable.get(pick % droppable.size()));

        Optional<ChainBreak> found = ChainVerifier.firstBreak(wire(gapped));
        assertThat(found).hasValueSatisfying(b -> {
            assertThat(b.kind()).isEqualTo(ChainBreak.Kind.SEQUENCE_GAP);
            assertThat(b.accountId()).isEqualTo(dropped.accountId());
            assertThat(b.sequence()).isEqualTo(dropped.sequence() + 1);
        });
    }

    @Property(tries = 300)
    void swappingTwoEventsOfOneAccountBreaksTheChain(@ForAll("logs") List<AccountEvent> log,
            @ForAll("indexes") int pick) {
        List<Integer> swappable = IntStream.range(0, log.size()).filter(i -> hasSuccessor(log, i)).boxed().toList();
        Assume.that(!swappable.isEmpty());
        int first = swappable.get(pick % swappable.size());
        int second = IntStream.range(first + 1, log.size())
                .filter(j -> log.get(j).accountId().equals(log.get(first).accountId())).findFirst().orElseThrow();
        List<AccountEvent> swapped = new ArrayList<>(log);
        swapped.set(first, log.get(second));
        swapped.set(second, log.get(first));

        assertThat(ChainVerifier.firstBreak(wire(swapped))).isPresent();
    }

    @Property(tries = 300)
    void aRedeliveredEventIsCountedButIsNotABreak(@ForAll("logs") List<AccountEvent> log,
            @ForAll("indexes") int pick) {
        List<JsonNode> wire = wire(log);
        int at = pick % wire.size();
        wire.add(at + 1 + pick % (wire.size() - at), wire.get(at).deepCopy());

        ChainVerifier verifier = new ChainVerifier();
        wire.forEach(event -> assertThat(verifier.check(event)).isEmpty());
        assertThat(verifier.redeliveries()).isEqualTo(1);
    }

    @Property(tries = 300)
    void aDifferentEventWithATakenSequenceIsADuplicate(@ForAll("logs") List<AccountEvent> log,
            @ForAll("indexes") int pick) {
        AccountEvent original = log.get(pick % log.size());
        AccountEvent impostor = TestChain.SIGNER.sign(new AccountEvent(UUID.randomUUID(), original.accountId(),
                original.sequence(), original.occurredAt(), original.schemaVersion(), original.previousHash(), null,
                null, original.trace(), original.data()).seal());
        List<AccountEvent> withImpostor = new ArrayList<>(log);
        withImpostor.add(impostor);

        assertThat(ChainVerifier.firstBreak(wire(withImpostor)))
                .hasValueSatisfying(b -> assertThat(b.kind()).isEqualTo(ChainBreak.Kind.DUPLICATE_SEQUENCE));
    }

    @Property(tries = 300)
    void anyTailOfAnIntactLogHasNoBreakWhenReadFromInside(@ForAll("logs") List<AccountEvent> log,
            @ForAll("indexes") int pick) {
        List<JsonNode> tail = wire(log).subList(pick % log.size(), log.size());
        ChainVerifier verifier = ChainVerifier.fromMidLog();

        tail.forEach(event -> assertThat(verifier.check(event)).isEmpty());
        assertThat(verifier.events()).isEqualTo(tail.size());
    }

    @Property(tries = 300)
    void readFromInsideAMissingEventAfterTheFirstSeenIsStillAGap(@ForAll("logs") List<AccountEvent> log,
            @ForAll("indexes") int pick) {
        int from = pick % log.size();
        List<AccountEvent> tail = new ArrayList<>(log.subList(from, log.size()));
        List<Integer> droppable = IntStream.range(0, tail.size())
                .filter(i -> hasSuccessor(tail, i) && hasPredecessor(tail, i)).boxed().toList();
        Assume.that(!droppable.isEmpty());
        AccountEvent dropped = tail.remove((int) droppable.get(pick % droppable.size()));

        ChainVerifier verifier = ChainVerifier.fromMidLog();
        List<ChainBreak> breaks = new ArrayList<>();
        wire(tail).forEach(event -> breaks.addAll(verifier.check(event)));
        assertThat(breaks).first().satisfies(b -> {
            assertThat(b.kind()).isEqualTo(ChainBreak.Kind.SEQUENCE_GAP);
            assertThat(b.accountId()).isEqualTo(dropped.accountId());
            assertThat(b.sequence()).isEqualTo(dropped.sequence() + 1);
        });
    }

    @Provide
    Arbitrary<List<AccountEvent>> logs() {
        return EventArbitraries.logs();
    }

    @Provide
    Arbitrary<Integer> indexes() {
        return net.jqwik.api.Arbitraries.integers().between(0, 10_000);
    }

    /** The first break, signatures checked too: a changed signature leaves the hash as it was. */
    private static Optional<ChainBreak> firstBreakOrBadSignature(List<JsonNode> events) {
        ChainVerifier verifier = new ChainVerifier().checkingSignatures(TestChain.SIGNER.keys());
        return events.stream().flatMap(event -> verifier.check(event).stream()).findFirst();
    }

    private static List<ChainBreak.Kind> signatureBreaks(JsonNode event) {
        return ChainVerifier.fromMidLog().checkingSignatures(TestChain.SIGNER.keys()).check(event).stream()
                .map(ChainBreak::kind).toList();
    }

    private static boolean hasSuccessor(List<AccountEvent> log, int i) {
        return log.subList(i + 1, log.size()).stream().anyMatch(e -> e.accountId().equals(log.get(i).accountId()));
    }

    private static boolean hasPredecessor(List<AccountEvent> log, int i) {
        return log.subList(0, i).stream().anyMatch(e -> e.accountId().equals(log.get(i).accountId()));
    }

    private static List<JsonNode> wire(List<AccountEvent> log) {
        List<JsonNode> wire = new ArrayList<>();
        log.forEach(event -> wire.add(EventCodec.parse(EventCodec.toBytes(event))));
        return wire;
    }

    private static List<JsonPointer> leaves(JsonNode node) {
        List<JsonPointer> leaves = new ArrayList<>();
        collect(node, JsonPointer.empty(), leaves);
        return leaves;
    }

    private static void collect(JsonNode node, JsonPointer at, List<JsonPointer> leaves) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> collect(node.get(name), at.appendProperty(name), leaves));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), at.appendIndex(i), leaves);
            }
        } else {
            leaves.add(at);
        }
    }

    private static void change(ObjectNode event, JsonPointer leaf) {
        JsonNode parent = event.at(leaf.head());
        JsonNode value = event.at(leaf);
        JsonNode changed = value.isTextual() ? TextNode.valueOf(value.textValue() + "x")
                : value.isBoolean() ? BooleanNode.valueOf(!value.booleanValue())
                : LongNode.valueOf(value.longValue() + 1);
        if (parent.isArray()) {
            ((ArrayNode) parent).set(leaf.last().getMatchingIndex(), changed);
        } else {
            ((ObjectNode) parent).set(leaf.last().getMatchingProperty(), changed);
        }
    }
}
