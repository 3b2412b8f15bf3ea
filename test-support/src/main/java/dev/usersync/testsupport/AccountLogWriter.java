package dev.usersync.testsupport;

import dev.usersync.events.AccountCreated;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountState;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventData;
import dev.usersync.events.EventHeaders;
import dev.usersync.events.EventSigner;
import dev.usersync.events.SignUpContext;
import dev.usersync.events.Uuid7;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes account events to the log the way the accounts service's relay does (key = account id, the envelope headers,
 * each account's events chained and signed with {@link #SIGNER}, whose key {@link TestIssuer} publishes), so adapter
 * tests can drive an adapter without the accounts service.
 */
public final class AccountLogWriter implements AutoCloseable {

    /** The event-signing key of the tests' accounts service; {@link TestIssuer} publishes it. */
    public static final EventSigner SIGNER = EventSigner.generate("test-event-key");

    private final KafkaProducer<byte[], byte[]> producer;
    private final String bootstrapServers;
    private final String topic;

    public AccountLogWriter(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        ensureTopic(bootstrapServers, topic, 6);
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** One account's chain: each {@link #next} builds its next event from the previous state. */
    public static final class Account {
        private final UUID id = Uuid7.next();
        private AccountState state;
        private AccountEvent last;

        private Account(AccountState state) {
            this.state = state;
        }

        public UUID id() {
            return id;
        }

        public AccountState state() {
            return state;
        }

        /** The account's last event: what {@link #newAccount} or {@link #next} made most recently. */
        public AccountEvent last() {
            return last;
        }

        /** The next signed event: {@code change} makes the new state, {@code dataOf} the event from it. */
        public AccountEvent next(Function<AccountState, AccountState> change,
                Function<AccountState, EventData> dataOf) {
            state = change.apply(state);
            last = SIGNER.sign(AccountEvent.of(id, last == null ? 1 : last.sequence() + 1, Instant.now(),
                    last == null ? null : last.hash(), null, dataOf.apply(state)).seal());
            return last;
        }
    }

    /**
     * A new account and its AccountCreated event (the first of its chain), signed up from {@code product} through the
     * invitation reference {@code invitation} (or none), which events carry as its digest.
     */
    public Account newAccount(String email, String name, List<String> products, String product, String invitation) {
        return account(email, name, products, product, invitation);
    }

    /** {@link #newAccount}, for tests that write the events elsewhere (the outbox). */
    public static Account account(String email, String name, List<String> products, String product,
            String invitation) {
        Account account = new Account(null);
        SignUpContext signUp = SignUpContext.of(product, invitation == null ? null : SignUpContext.digest(invitation));
        account.state = AccountState.of(account.id, email, false, name, "en-GB", "Europe/London")
                .withProducts(products).withSignUp(signUp);
        account.next(s -> s, s -> AccountCreated.of(s, signUp));
        return account;
    }

    /** Sends the event as the relay would; returns where it landed. */
    public RecordMetadata send(AccountEvent event) {
        return sendAt(event, null);
    }

    /** Sends the event as the relay would have at {@code timestamp} (the record's time; {@code null}: now). */
    public RecordMetadata sendAt(AccountEvent event, Instant timestamp) {
        return await(producer.send(record(event, timestamp)));
    }

    /** Sends the event without waiting for the broker, for writing large logs; {@link #flush} waits for them. */
    public void sendLater(AccountEvent event) {
        producer.send(record(event, null));
    }

    /** Waits until every record sent is written. */
    public void flush() {
        producer.flush();
    }

    private ProducerRecord<byte[], byte[]> record(AccountEvent event, Instant timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.EVENT_ID, bytes(event.eventId().toString()));
        headers.add(EventHeaders.EVENT_TYPE, bytes(event.type().wireName()));
        headers.add(EventHeaders.SEQUENCE, bytes(Long.toString(event.sequence())));
        headers.add(EventHeaders.SCHEMA_VERSION, bytes(Integer.toString(event.schemaVersion())));
        return record(event.accountId().toString(), EventCodec.toBytes(event), headers, timestamp);
    }

    /** Sends anything at all, as a broken or hostile producer might. */
    public RecordMetadata sendRaw(String key, byte[] value) {
        return await(producer.send(record(key, value, new RecordHeaders(), null)));
    }

    private ProducerRecord<byte[], byte[]> record(String key, byte[] value, RecordHeaders headers,
            Instant timestamp) {
        return new ProducerRecord<>(topic, null, timestamp == null ? null : timestamp.toEpochMilli(),
                key == null ? null : bytes(key), value, headers);
    }

    private static RecordMetadata await(Future<RecordMetadata> sent) {
        try {
            return sent.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Kafka did not take the record", e);
        }
    }

    /** Whether consumer group {@code group} has committed past {@code record}: everything up to it was handled. */
    public boolean consumedPast(String group, RecordMetadata record) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(record.topic(), record.partition()));
            return committed != null && committed.offset() > record.offset();
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Every record currently in {@code topic}, all partitions, from the beginning. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return readAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic);
    }

    /** Every record currently in {@code topic}, read with this client configuration (a secured broker's, say). */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(Map<String, Object> client, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static void ensureTopic(String bootstrapServers, String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
