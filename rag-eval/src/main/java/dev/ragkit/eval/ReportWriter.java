package dev.ragkit.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Renders an {@link EvalReport} as JSON, Markdown, or a self-contained HTML page whose plots are
 * inline SVG (no script, no external style sheet or font), so the file can be archived by CI and
 * opened anywhere.
 */
public final class ReportWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private ReportWriter() {
    }

    /** The report as indented JSON (latency samples left out; their statistics are kept). */
    public static String json(EvalReport report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise report '" + report.title() + "'", e);
        }
    }

    /**
     * Writes {@code <baseName>.json}, {@code .md} and {@code .html} into {@code dir} (created if
     * needed) and returns the three paths.
     */
    public static List<Path> writeAll(EvalReport report, Path dir, String baseName) {
        try {
            Files.createDirectories(dir);
            Path json = dir.resolve(baseName + ".json");
            Path md = dir.resolve(baseName + ".md");
            Path html = dir.resolve(baseName + ".html");
            Files.writeString(json, json(report) + "\n", StandardCharsets.UTF_8);
            Files.writeString(md, markdown(report), StandardCharsets.UTF_8);
            Files.writeString(html, html(report), StandardCharsets.UTF_8);
            return List.of(json, md, html);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report into " + dir, e);
        }
    }

    /** The report as GitHub-flavoured Markdown tables. */
    public static String markdown(EvalReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.title()).append("\n\n");
        sb.append("| parameter | value |\n|---|---|\n");
        r.parameters().forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(mdCell(v)).append(" |\n"));
        sb.append("\n## Metrics (").append(r.queries()).append(" queries)\n\n");
        List<Integer> ks = cutoffs(r);
        if (!r.curves().isEmpty()) {
            sb.append("| metric |");
            ks.forEach(k -> sb.append(" @").append(k).append(" |"));
            sb.append("\n|---|");
            ks.forEach(k -> sb.append("---:|"));
            sb.append('\n');
            r.curves().forEach((name, byK) -> {
                sb.append("| ").append(name).append(" |");
                ks.forEach(k -> sb.append(' ').append(byK.containsKey(k) ? num(byK.get(k)) : "").append(" |"));
                sb.append('\n');
            });
            sb.append('\n');
        }
        Map<String, Double> scalars = scalarMetrics(r);
        if (!scalars.isEmpty()) {
            sb.append("| metric | value |\n|---|---:|\n");
            scalars.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(num(v)).append(" |\n"));
            sb.append('\n');
        }
        if (!r.latency().isEmpty()) {
            sb.append("## Latency (ms, nearest-rank percentiles)\n\n");
            sb.append("| step | n | mean | p50 | p95 | p99 | max |\n|---|---:|---:|---:|---:|---:|---:|\n");
            r.latency().forEach((step, s) -> sb.append("| ").append(step).append(" | ").append(s.count())
                    .append(" | ").append(ms(s.meanMs())).append(" | ").append(ms(s.p50Ms()))
                    .append(" | ").append(ms(s.p95Ms())).append(" | ").append(ms(s.p99Ms()))
                    .append(" | ").append(ms(s.maxMs())).append(" |\n"));
            sb.append('\n');
        }
        if (!r.durationsSeconds().isEmpty()) {
            sb.append("## Durations (s)\n\n| phase | seconds |\n|---|---:|\n");
            r.durationsSeconds().forEach((k, v) -> sb.append("| ").append(k).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", v)).append(" |\n"));
            sb.append('\n');
        }
        if (!r.notes().isEmpty()) {
            sb.append("## Notes\n\n");
            r.notes().forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        return sb.toString();
    }

    /** The report as one self-contained HTML page with inline SVG plots. */
    public static String html(EvalReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(r.title())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em}")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}")
                .append("</style></head><body>\n");
        sb.append("<h1>").append(esc(r.title())).append("</h1>\n<table>");
        r.parameters().forEach((k, v) -> sb.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v))
                .append("</td></tr>"));
        sb.append("</table>\n<h2>Metrics (").append(r.queries()).append(" queries)</h2>\n");
        List<Integer> ks = cutoffs(r);
        if (!r.curves().isEmpty()) {
            sb.append("<table><tr><th>metric</th>");
            ks.forEach(k -> sb.append("<th>@").append(k).append("</th>"));
            sb.append("</tr>");
            r.curves().forEach((name, byK) -> {
                sb.append("<tr><th>").append(esc(name)).append("</th>");
                ks.forEach(k -> sb.append("<td class=\"n\">").append(byK.containsKey(k) ? num(byK.get(k)) : "")
                        .append("</td>"));
                sb.append("</tr>");
            });
            sb.append("</table>\n").append(metricByKSvg(r.curves(), ks)).append('\n');
        }
        Map<String, Double> scalars = scalarMetrics(r);
        if (!scalars.isEmpty()) {
            sb.append("<table><tr><th>metric</th><th>value</th></tr>");
            scalars.forEach((k, v) -> sb.append("<tr><th>").append(esc(k)).append("</th><td class=\"n\">")
                    .append(num(v)).append("</td></tr>"));
            sb.append("</table>\n");
        }
        if (!r.latency().isEmpty()) {
            sb.append("<h2>Latency (ms, nearest-rank percentiles)</h2>\n<table><tr><th>step</th><th>n</th>")
                    .append("<th>mean</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr>");
            r.latency().forEach((step, s) -> sb.append("<tr><th>").append(esc(step)).append("</th><td class=\"n\">")
                    .append(s.count()).append("</td><td class=\"n\">").append(ms(s.meanMs()))
                    .append("</td><td class=\"n\">").append(ms(s.p50Ms())).append("</td><td class=\"n\">")
                    .append(ms(s.p95Ms())).append("</td><td class=\"n\">").append(ms(s.p99Ms()))
                    .append("</td><td class=\"n\">").append(ms(s.maxMs())).append("</td></tr>"));
            sb.append("</table>\n");
            r.latencySamplesMs().forEach((step, samples) ->
                    sb.append("<h3>").append(esc(step)).append(" latency histogram</h3>\n")
                            .append(histogramSvg(samples, r.latency().get(step))).append('\n'));
        }
        if (!r.durationsSeconds().isEmpty()) {
            sb.append("<h2>Durations (s)</h2>\n<table>");
            r.durationsSeconds().forEach((k, v) -> sb.append("<tr><th>").append(esc(k)).append("</th><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%.2f", v)).append("</td></tr>"));
            sb.append("</table>\n");
        }
        if (!r.notes().isEmpty()) {
            sb.append("<h2>Notes</h2>\n<ul>");
            r.notes().forEach(n -> sb.append("<li>").append(esc(n)).append("</li>"));
            sb.append("</ul>\n");
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    /** A line chart of each curve (y in [0, 1]) over the cut-offs, evenly spaced on the x axis. */
    static String metricByKSvg(Map<String, Map<Integer, Double>> curves, List<Integer> ks) {
        int width = 640;
        int height = 320;
        int left = 50;
        int right = 170;
        int top = 20;
        int bottom = 40;
        double plotW = width - left - right;
        double plotH = height - top - bottom;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" role=\"img\" aria-label=\"metric by cut-off k\">");
        for (int i = 0; i <= 5; i++) {
            double v = i / 5.0;
            double y = top + plotH * (1 - v);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.1f</text>",
                    left, y, left + plotW, y, left - 6, y + 4, v));
        }
        for (int i = 0; i < ks.size(); i++) {
            double x = xAt(i, ks.size(), left, plotW);
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d</text>",
                    x, height - bottom + 16, ks.get(i)));
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">cut-off k</text>",
                left + plotW / 2, height - 6));
        int c = 0;
        for (Map.Entry<String, Map<Integer, Double>> curve : curves.entrySet()) {
            String color = COLORS[c % COLORS.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < ks.size(); i++) {
                Double v = curve.getValue().get(ks.get(i));
                if (v != null) {
                    double x = xAt(i, ks.size(), left, plotW);
                    double y = top + plotH * (1 - Math.max(0, Math.min(1, v)));
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                    svg.append(String.format(Locale.ROOT,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s@%d = %s</title></circle>",
                            x, y, color, esc(curve.getKey()), ks.get(i), num(v)));
                }
            }
            svg.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\" points=\"")
                    .append(points.toString().strip()).append("\"/>");
            double ly = top + 14 + 16 * c;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>"
                            + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%s</text>",
                    left + plotW + 12, ly - 4, left + plotW + 30, ly - 4, color, left + plotW + 36, ly, esc(curve.getKey())));
            c++;
        }
        svg.append("</svg>");
        return svg.toString();
    }

    /** A histogram of latency samples in 20 equal-width bins from the minimum to the maximum. */
    static String histogramSvg(List<Double> samples, LatencyStats stats) {
        int bins = 20;
        double min = stats.minMs();
        double max = stats.maxMs();
        double binWidth = max > min ? (max - min) / bins : 1;
        int[] counts = new int[bins];
        for (double s : samples) {
            int b = max > min ? (int) Math.min(bins - 1, Math.floor((s - min) / binWidth)) : 0;
            counts[b]++;
        }
        int highest = 1;
        for (int n : counts) {
            highest = Math.max(highest, n);
        }
        int width = 640;
        int height = 260;
        int left = 50;
        int right = 20;
        int top = 20;
        int bottom = 50;
        double plotW = width - left - right;
        double plotH = height - top - bottom;
        double barW = plotW / bins;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" role=\"img\" aria-label=\"latency histogram\">");
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>",
                left, top + plotH, left + plotW, top + plotH));
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%d</text>"
                        + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">0</text>",
                left - 6, top + 4, highest, left - 6, top + plotH + 4));
        for (int b = 0; b < bins; b++) {
            double h = plotH * counts[b] / highest;
            double x = left + b * barW;
            double lo = min + b * binWidth;
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1f77b4\">"
                            + "<title>%s–%s ms: %d</title></rect>",
                    x + 1, top + plotH - h, Math.max(0.5, barW - 2), h, ms(lo), ms(lo + binWidth), counts[b]));
        }
        for (int b = 0; b <= bins; b += 5) {
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
                    left + b * barW, top + plotH + 16, ms(min + b * binWidth)));
        }
        for (String stat : List.of("p50", "p95", "p99")) {
            double v = stats.get(stat);
            double x = max > min ? left + plotW * (v - min) / (max - min) : left;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#d62728\">%s</text>",
                    x, top, x, top + plotH, x + 2, top + 10 + ("p95".equals(stat) ? 12 : "p99".equals(stat) ? 24 : 0),
                    stat));
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">milliseconds (%d samples)</text>",
                left + plotW / 2, height - 8, samples.size()));
        svg.append("</svg>");
        return svg.toString();
    }

    private static double xAt(int i, int n, int left, double plotW) {
        return n == 1 ? left + plotW / 2 : left + plotW * i / (n - 1);
    }

    private static List<Integer> cutoffs(EvalReport r) {
        TreeSet<Integer> ks = new TreeSet<>();
        r.curves().values().forEach(byK -> ks.addAll(byK.keySet()));
        return new ArrayList<>(ks);
    }

    /** Metrics that are not already shown in a curve's row. */
    private static Map<String, Double> scalarMetrics(EvalReport r) {
        Map<String, Double> scalars = new java.util.LinkedHashMap<>(r.metrics());
        r.curves().forEach((name, byK) -> byK.keySet().forEach(k -> scalars.remove(name + "@" + k)));
        return scalars;
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String ms(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String mdCell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
