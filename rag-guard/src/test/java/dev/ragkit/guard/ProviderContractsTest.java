package dev.ragkit.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.ComponentKind;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.core.spi.Provider;
import dev.ragkit.guard.internal.InjectionGuardProvider;
import dev.ragkit.guard.internal.OutputGuardProvider;
import dev.ragkit.guard.internal.PiiGuardProvider;
import dev.ragkit.guard.internal.ToxicityGuardProvider;
import dev.ragkit.testkit.ProviderContractTest;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ProviderContractsTest {
    @Nested
    class Pii extends ProviderContractTest {
        @Override
        protected Map<String, String> invalidValues() {
            return Map.of("mode", "shred", "types", "email,dna", "stages", "input,later", "action", "burn");
        }

        @Override
        protected Provider<?> provider() {
            return new PiiGuardProvider();
        }

        @Override
        protected Map<String, String> validConfig() {
            return Map.of("mode", "hash", "hash-key", "k", "types", "email,card", "stages", "input,output");
        }
    }

    @Nested
    class Injection extends ProviderContractTest {
        @Override
        protected Map<String, String> invalidValues() {
            return Map.of("threshold", "1.5", "stages", "nowhere", "context-threshold", "-1", "encoder", "maybe");
        }

        @Override
        protected Provider<?> provider() {
            return new InjectionGuardProvider();
        }

        @Override
        protected Map<String, String> validConfig() {
            return Map.of("threshold", "0.7");
        }
    }

    @Nested
    class Toxicity extends ProviderContractTest {
        @Override
        protected Map<String, String> invalidValues() {
            return Map.of("threshold", "0", "stages", "input;output", "encoder", "always");
        }

        @Override
        protected Provider<?> provider() {
            return new ToxicityGuardProvider();
        }

        @Override
        protected Map<String, String> validConfig() {
            return Map.of();
        }
    }

    @Nested
    class Output extends ProviderContractTest {
        @Override
        protected Map<String, String> invalidValues() {
            return Map.of("canary", "short", "min-grounding", "2", "on-ungrounded", "explode");
        }

        @Override
        protected Provider<?> provider() {
            return new OutputGuardProvider();
        }

        @Override
        protected Map<String, String> validConfig() {
            return Map.of("canary", "rk-canary-test-1234", "min-grounding", "0.6", "on-ungrounded", "block");
        }
    }

    @Test
    void allFourAreDiscovered() {
        ProviderRegistry registry = ProviderRegistry.discover(getClass().getClassLoader());
        for (String name : new String[] {"pii", "injection", "toxicity", "output"}) {
            assertThat(registry.find(ComponentKind.GUARD, name).name()).isEqualTo(name);
        }
    }

    @Test
    void badValuesAreAllReportedWithTheirFullKeys() {
        ProviderConfig config = ProviderConfig.of("guard", "pii", Map.of("mode", "shred", "types", "email,dna",
                "stages", "input,later"));
        assertThatThrownBy(() -> new PiiGuardProvider().create(config))
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("rag.guard.pii.mode").hasMessageContaining("shred")
                .hasMessageContaining("rag.guard.pii.types").hasMessageContaining("rag.guard.pii.stages");
        ProviderConfig threshold = ProviderConfig.of("guard", "injection", Map.of("threshold", "1.5"));
        assertThatThrownBy(() -> new InjectionGuardProvider().create(threshold))
                .isInstanceOf(RagConfigurationException.class).hasMessageContaining("rag.guard.injection.threshold");
    }

    @Test
    void configuredStagesAndThresholdApply() {
        Guard g = new InjectionGuardProvider().create(ProviderConfig.of("guard", "injection",
                Map.of("threshold", "0.99", "stages", "context")));
        assertThat(g.stages()).containsExactly(GuardStage.CONTEXT);
        Guard p = new PiiGuardProvider().create(ProviderConfig.of("guard", "pii", Map.of("mode", "mask")));
        assertThat(p.stages()).containsExactlyInAnyOrder(GuardStage.values());
    }
}
