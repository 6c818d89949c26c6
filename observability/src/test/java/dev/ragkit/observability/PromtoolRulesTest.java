package dev.ragkit.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The shipped rules pass Prometheus's own checks and unit tests, and the unit tests cover every alert both ways. */
class PromtoolRulesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path RULES = Promtool.MODULE.resolve("prometheus/ragkit-rules.yml");
    private static final Path RULE_TESTS = Promtool.MODULE.resolve("prometheus/ragkit-rules-test.yml");

    @Test
    void promtoolChecksTheRules() throws Exception {
        Promtool.Result result = Promtool.run("check", "rules", "ragkit-rules.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 24 rules found");
    }

    @Test
    void promtoolUnitTestsOfTheRulesPass() throws Exception {
        Promtool.Result result = Promtool.run("test", "rules", "ragkit-rules-test.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertIsTestedFiringAndNotFiring() throws IOException {
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : YAML.readTree(RULES.toFile()).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                if (rule.has("alert")) {
                    alerts.add(rule.get("alert").asText());
                }
            }
        }
        assertThat(alerts).hasSize(6);
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (JsonNode test : YAML.readTree(RULE_TESTS.toFile()).get("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                String name = check.get("alertname").asText();
                (check.path("exp_alerts").isEmpty() ? silent : firing).add(name);
            }
        }
        assertThat(firing).as("alerts shown firing").isEqualTo(alerts);
        assertThat(silent).as("alerts shown not firing").isEqualTo(alerts);
    }
}
