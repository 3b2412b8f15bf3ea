package dev.usersync.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A line chart as SVG, small enough to read in a repository's file view: named series of (x, y) points, optional
 * horizontal limit lines, linear or logarithmic y axis. No library: the harness has none to spare.
 */
final class Chart {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 360;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logY;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();
    private final Map<String, Double> limits = new LinkedHashMap<>();

    Chart(String title, String xLabel, String yLabel, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logY = logY;
    }

    Chart point(String name, double x, double y) {
        if (!Double.isNaN(y) && !Double.isInfinite(y) && (!logY || y > 0)) {
            series.computeIfAbsent(name, n -> new ArrayList<>()).add(new double[] {x, y});
        }
        return this;
    }

    Chart limit(String name, double y) {
        limits.put(name, y);
        return this;
    }

    String svg() {
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (List<double[]> points : series.values()) {
            for (double[] p : points) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        for (double limit : limits.values()) {
            minY = Math.min(minY, limit);
            maxY = Math.max(maxY, limit);
        }
        if (minX > maxX) {
            minX = 0;
            maxX = 1;
            minY = 1;
            maxY = 10;
        }
        minX = Math.min(0, minX);
        double lowY = logY ? Math.pow(10, Math.floor(Math.log10(minY))) : 0;
        double highY = logY ? Math.pow(10, Math.ceil(Math.log10(maxY))) : niceCeiling(maxY);
        double highX = niceCeiling(maxX);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" "
                + "fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(text(LEFT, 22, title, "start", 14));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>%n", LEFT, TOP, plotW, plotH));
        for (double tick : ticks(lowY, highY)) {
            double y = y(tick, lowY, highY, plotH);
            svg.append(line(LEFT, y, LEFT + plotW, y, "#eee", null));
            svg.append(text(LEFT - 6, y + 4, number(tick), "end", 11));
        }
        for (int i = 0; i <= 5; i++) {
            double value = highX * i / 5;
            double x = LEFT + plotW * (value - minX) / (highX - minX);
            svg.append(text(x, TOP + plotH + 16, number(value), "middle", 11));
        }
        svg.append(text(LEFT + plotW / 2.0, HEIGHT - 12, xLabel, "middle", 12));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 "
                + "16 %d)\">%s</text>%n", TOP + plotH / 2, TOP + plotH / 2, escape(yLabel)));
        int legend = 0;
        for (Map.Entry<String, Double> limit : limits.entrySet()) {
            double y = y(limit.getValue(), lowY, highY, plotH);
            svg.append(line(LEFT, y, LEFT + plotW, y, "#555", "6 4"));
            svg.append(legendEntry(legend++, limit.getKey(), "#555", "6 4"));
        }
        int colour = 0;
        for (Map.Entry<String, List<double[]>> entry : series.entrySet()) {
            String stroke = COLOURS[colour++ % COLOURS.length];
            StringBuilder path = new StringBuilder();
            for (double[] p : entry.getValue()) {
                double x = LEFT + plotW * (p[0] - minX) / (highX - minX);
                double y = y(p[1], lowY, highY, plotH);
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                if (entry.getValue().size() < 40) {
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n",
                            x, y, stroke));
                }
            }
            svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    path, stroke));
            svg.append(legendEntry(legend++, entry.getKey(), stroke, null));
        }
        return svg.append("</svg>\n").toString();
    }

    private double y(double value, double low, double high, int plotH) {
        double share = logY ? (Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))
                : (value - low) / (high - low);
        return TOP + plotH * (1 - share);
    }

    private List<Double> ticks(double low, double high) {
        List<Double> ticks = new ArrayList<>();
        if (logY) {
            for (double t = low; t <= high * 1.0001; t *= 10) {
                ticks.add(t);
            }
        } else {
            for (int i = 0; i <= 5; i++) {
                ticks.add(low + (high - low) * i / 5);
            }
        }
        return ticks;
    }

    private static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String legendEntry(int index, String name, String stroke, String dash) {
        double y = TOP + 10 + index * 20;
        return line(WIDTH - RIGHT + 12, y, WIDTH - RIGHT + 36, y, stroke, dash)
                + text(WIDTH - RIGHT + 42, y + 4, name, "start", 12);
    }

    private static String line(double x1, double y1, double x2, double y2, String stroke, String dash) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                + "stroke-width=\"%s\"%s/>%n", x1, y1, x2, y2, stroke, dash == null && !"#eee".equals(stroke) ? "2"
                        : "1", dash == null ? "" : " stroke-dasharray=\"" + dash + "\"");
    }

    private static String text(double x, double y, String text, String anchor, int size) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, escape(text));
    }

    private static String number(double value) {
        return value >= 1 || value == 0 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2g", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
