package dev.usersync.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** One scrape of a service's Prometheus metrics ({@code /q/metrics}): series name with labels to value. */
record Metrics(Map<String, Double> values) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Metrics scrape(String serviceUrl) {
        try {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create(serviceUrl + "/q/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Map<String, Double> values = new TreeMap<>();
            for (String line : text.lines().toList()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    int space = line.lastIndexOf(' ');
                    values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                }
            }
            return new Metrics(values);
        } catch (Exception e) {
            throw new IllegalStateException("cannot scrape " + serviceUrl, e);
        }
    }

    /** The value of a series without labels (or the sum over its label sets); 0 if absent. */
    double value(String name) {
        return values.entrySet().stream()
                .filter(entry -> entry.getKey().equals(name) || entry.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** How much a series grew from {@code before} to this scrape. */
    double since(Metrics before, String name) {
        return value(name) - before.value(name);
    }

    /**
     * The {@code q} quantile, in milliseconds, of what a histogram recorded between {@code before} and this scrape,
     * interpolated within its bucket; {@code NaN} when nothing was recorded, infinity when above the last bucket.
     */
    double quantileMillis(Metrics before, String histogram, double q) {
        TreeMap<Double, Double> counts = new TreeMap<>();
        String prefix = histogram + "_bucket{";
        values.forEach((series, value) -> {
            if (series.startsWith(prefix)) {
                String le = series.substring(series.indexOf("le=\"") + 4, series.indexOf('"', series.indexOf("le=\"")
                        + 4));
                double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                counts.put(bound, value - before.values.getOrDefault(series, 0.0));
            }
        });
        double total = counts.isEmpty() ? 0 : counts.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : counts.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return Double.POSITIVE_INFINITY;
                }
                double share = (rank - lowerCount) / Math.max(bucket.getValue() - lowerCount, 1e-9);
                return 1000 * (lowerBound + share * (bucket.getKey() - lowerBound));
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return Double.POSITIVE_INFINITY;
    }
}
