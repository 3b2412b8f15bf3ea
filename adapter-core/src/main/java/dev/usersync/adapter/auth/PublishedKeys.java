package dev.usersync.adapter.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.EventCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A key set the accounts service publishes, cached, and refreshed in the background: every {@code maxAge} (less a
 * little jitter, so replicas do not fetch together), and after a failed fetch again with a back-off that doubles from
 * one second up to {@code maxAge}, jittered. A lookup never waits on the network for a key it holds, however old the
 * set is or whether the accounts service answers. An unknown kid starts at most one fetch at a time (callers share it
 * and wait for it at most {@code unknownKidWait}), and at most once per {@code unknownKidInterval}: while the
 * accounts service is down, unknown kids fail at once.
 *
 * @param <K> the key type
 */
final class PublishedKeys<K> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PublishedKeys.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    /** Whether a kid is published, as far as this cache can tell. */
    enum Found {
        /** The key is published. */
        YES,
        /** A fetch succeeded and the key is not in it. */
        NO,
        /** The last fetch failed: whether the key exists is unknown. */
        UNKNOWN
    }

    /** What {@link #lookup} found: the key when {@link Found#YES}. */
    record Lookup<K>(Found found, K key) {
    }

    /** Reads a JSON document over HTTP (the key set's address may come from a discovery document). */
    interface Http {
        JsonNode get(URI uri) throws IOException, InterruptedException;
    }

    /** Where the key set is; may read a discovery document first. */
    interface Locator {
        URI locate(Http http) throws IOException, InterruptedException;
    }

    /**
     * How the cache fetches: the key set's address, how to read it, how long to wait; {@code tag} names it in the
     * metric {@code adapter_keyset_fetches_total{keys, outcome}}.
     */
    record Source<K>(String name, String tag, Locator uri, Function<JsonNode, Map<String, K>> parse,
            Duration maxAge, Duration unknownKidInterval, Duration unknownKidWait, Duration timeout) {
    }

    private final Source<K> source;
    private final Counter fetched;
    private final Counter failed;
    private final HttpClient http;
    private final ScheduledExecutorService fetcher;
    private volatile Map<String, K> keys = Map.of();
    private volatile boolean lastFetchFailed = true;
    private volatile long nextUnknownKidFetch = System.nanoTime();
    private CompletableFuture<Void> inFlight;
    private int failures;

    PublishedKeys(Source<K> source, MeterRegistry registry) {
        this.source = source;
        this.fetched = fetches(registry, source.tag(), "success");
        this.failed = fetches(registry, source.tag(), "failure");
        this.http = HttpClient.newBuilder().connectTimeout(source.timeout()).build();
        this.fetcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, source.name() + "-refresh");
            thread.setDaemon(true);
            return thread;
        });
        fetcher.execute(this::scheduledRefresh);
    }

    /** The key with this kid from the cache; for an unknown kid, a bounded wait on one shared fetch at most. */
    Lookup<K> lookup(String kid) {
        K key = keys.get(kid);
        if (key != null) {
            return new Lookup<>(Found.YES, key);
        }
        long now = System.nanoTime();
        if (now - nextUnknownKidFetch >= 0) {
            nextUnknownKidFetch = now + source.unknownKidInterval().toNanos();
            try {
                fetch().get(source.unknownKidWait().toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // the fetch logs its own failure; the cached keys stay as they are
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            key = keys.get(kid);
            if (key != null) {
                return new Lookup<>(Found.YES, key);
            }
        }
        return new Lookup<>(lastFetchFailed ? Found.UNKNOWN : Found.NO, null);
    }

    /** Whether the last fetch failed (or none succeeded yet). */
    boolean stale() {
        return lastFetchFailed;
    }

    /** The one fetch in flight, started if none is. */
    private synchronized CompletableFuture<Void> fetch() {
        if (inFlight == null || inFlight.isDone()) {
            inFlight = CompletableFuture.runAsync(this::fetchOnce, fetcher);
        }
        return inFlight;
    }

    private void scheduledRefresh() {
        long delay;
        try {
            fetchOnce();
            failures = 0;
            delay = (long) (source.maxAge().toMillis() * ThreadLocalRandom.current().nextDouble(0.9, 1.0));
        } catch (RuntimeException e) {
            failures++;
            long backoff = Math.min(source.maxAge().toMillis(),
                    FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 20));
            delay = (long) (backoff * ThreadLocalRandom.current().nextDouble(0.5, 1.0));
        }
        if (!fetcher.isShutdown()) {
            fetcher.schedule(this::scheduledRefresh, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Fetches and replaces the cached keys; on failure keeps them, logs, and throws. */
    private void fetchOnce() {
        try {
            keys = Map.copyOf(source.parse().apply(get(source.uri().locate(this::get))));
            lastFetchFailed = false;
            fetched.increment();
        } catch (IOException | RuntimeException e) {
            lastFetchFailed = true;
            failed.increment();
            LOG.warnf("cannot fetch the %s (%s); keeping %d cached keys", source.name(), e.getMessage(),
                    keys.size());
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Counter fetches(MeterRegistry registry, String keys, String outcome) {
        return Counter.builder("adapter.keyset.fetches").description("Key set fetches from the accounts service")
                .tag("keys", keys).tag("outcome", outcome).register(registry);
    }

    private JsonNode get(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(source.timeout()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode());
        }
        return EventCodec.mapper().readTree(response.body());
    }

    @Override
    public void close() {
        fetcher.shutdownNow();
    }
}
