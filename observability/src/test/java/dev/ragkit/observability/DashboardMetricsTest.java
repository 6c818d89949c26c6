package dev.ragkit.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ragkit.core.Ragkit;
import dev.ragkit.core.metrics.RagkitMeterFilters;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric the dashboard and the rules query is one a running pipeline exports: a Ragkit assembled from
 * configuration, with the meter filter the rules' header asks for, answers questions (a model that is down,
 * a fallback, a guard, the caches), and its Prometheus scrape is searched for each name.
 */
class DashboardMetricsTest {
    private static final Pattern METRIC = Pattern.compile("\\b(rag_[a-z0-9_]+)");

    @Test
    void everyMetricTheDashboardAndTheRulesQueryIsExportedByARunningPipeline() throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(RagkitMeterFilters.latencyHistograms());
        try (Ragkit rag = Ragkit.builder().config(Map.of("rag.embedder", "obs-words", "rag.llm", "obs-down,obs-steady",
                "rag.guards", "obs-flag", "rag.cache", "memory")).meterRegistry(registry).build()) {
            rag.ingestor().ingest(List.of(new Document("faiss", "FAISS searches dense vectors quickly."),
                    new Document("lucene", "Lucene ranks full text with BM25.")));
            for (String question : List.of("Which library searches dense vectors?", "Which library searches dense vectors?",
                    "What is my password for BM25?")) {
                Answer answer = rag.pipeline().ask(question);
                assertThat(answer.fallbacks()).as("obs-down failed over to obs-steady").isNotEmpty();
            }
        }
        // A budget whose soft limit every question passes: the cheaper model answers, and the budget meters exist.
        try (Ragkit budgeted = Ragkit.builder().config(Map.of("rag.embedder", "obs-words", "rag.llm", "obs-down,obs-steady",
                "rag.budget.global.day.tokens", "100000", "rag.budget.global.day.soft-tokens", "1"))
                .meterRegistry(registry).build()) {
            budgeted.ingestor().ingest(List.of(new Document("faiss", "FAISS searches dense vectors quickly.")));
            budgeted.pipeline().ask("Which library searches dense vectors?");
        }
        String scrape = registry.scrape();
        Set<String> exported = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }

        Set<String> used = new TreeSet<>();
        used.addAll(dashboardMetrics());
        used.addAll(ruleMetrics());
        assertThat(used).as("the dashboard and rules query these").contains("rag_retrieval_seconds_bucket",
                "rag_generate_seconds_bucket", "rag_cache_hit_ratio", "rag_fallback_total", "rag_guard_verdicts_total",
                "rag_llm_tokens_total");

        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exported);
        assertThat(missing).as("queried but not exported; the scrape has " + exported).isEmpty();
        // the latency SLO rules read the bucket at each objective exactly
        assertThat(scrape).containsPattern("rag_retrieval_seconds_bucket\\{[^}]*le=\"2\\.5\"")
                .containsPattern("rag_generate_seconds_bucket\\{[^}]*le=\"10\\.0\"");
    }

    private static Set<String> dashboardMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Promtool.MODULE.resolve("grafana/ragkit.json").toFile());
        List<String> exprs = new ArrayList<>();
        dashboard.get("panels").forEach(p -> p.get("targets").forEach(t -> exprs.add(t.get("expr").asText())));
        assertThat(exprs).hasSizeGreaterThan(10);
        return names(exprs);
    }

    private static Set<String> ruleMetrics() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Promtool.MODULE.resolve("prometheus/ragkit-rules.yml").toFile());
        List<String> exprs = new ArrayList<>();
        rules.get("groups").forEach(g -> g.get("rules").forEach(r -> exprs.add(r.get("expr").asText())));
        return names(exprs);
    }

    private static Set<String> names(List<String> exprs) {
        Set<String> names = new TreeSet<>();
        for (String expr : exprs) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
