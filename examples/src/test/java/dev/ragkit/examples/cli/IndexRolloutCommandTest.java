package dev.ragkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.Ragkit;
import dev.ragkit.core.index.RolloutRouter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ragkit index rollout start|advance|status|complete|abort} on a directory of versions, with a host
 * ({@code Ragkit.fromConfig} on the same directory, as a service would) answering in between.
 */
class IndexRolloutCommandTest {
    @TempDir
    Path dir;

    private String store;

    private CliRun index(Path root, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--embedder", "test-hash", "--store", store, "--index", root.toString()));
        all.add(0, "index");
        return CliRun.run(all.toArray(String[]::new));
    }

    /** A host serving the index, asked {@code questions} questions by as many sessions. */
    private void serve(Path root, int questions) {
        try (Ragkit host = Ragkit.fromConfig(Map.of("rag.embedder", "test-hash", "rag.store", store,
                "rag.store." + store + ".directory", root.toString(), "rag.retrieval.mode", "dense"))) {
            RolloutRouter router = host.rollout().orElseThrow();
            router.refresh();
            for (int i = 0; i < questions; i++) {
                host.pipeline().forKey("session-" + i).ask("index vector chunk " + i);
            }
        } // closing writes the host's figures into the index
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "faiss"})
    void startStatusAdvanceAbortAndCompleteARollout(String storeName) throws Exception {
        store = storeName;
        Path corpus = dir.resolve("corpus");
        TestCorpus.write(corpus, 12, 18L);
        Path root = dir.resolve("index");
        assertThat(index(root, "reindex", corpus.toString()).exitCode()).isZero();
        assertThat(index(root, "promote").exitCode()).isZero();
        assertThat(index(root, "reindex", corpus.toString(), "--splitter", "600,50").exitCode()).isZero();

        CliRun none = index(root, "rollout", "status");
        assertThat(none.exitCode()).as(none.toString()).isZero();
        assertThat(none.out()).contains("has no rollout");
        CliRun live = index(root, "rollout", "start", "1");
        assertThat(live.exitCode()).as(live.toString()).isEqualTo(2);
        assertThat(live.err()).contains("v1 is live already");
        CliRun badStages = index(root, "rollout", "start", "2", "--stages", "0.5,0.1");
        assertThat(badStages.exitCode()).isEqualTo(2);
        assertThat(badStages.err()).contains("must rise");

        CliRun started = index(root, "rollout", "start", "v2", "--stages", "shadow,0.1,1");
        assertThat(started.exitCode()).as(started.toString()).isZero();
        assertThat(started.out()).startsWith("started rollout v2-").contains("ACTIVE at shadow (stage 1 of 3");

        serve(root, 40);
        CliRun status = index(root, "rollout", "status");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        List<String> lines = status.out().lines().toList();
        assertThat(lines.get(0)).contains("ACTIVE at shadow");
        assertThat(lines.get(1)).contains("live v1").contains("candidate v2");
        assertThat(lines.get(2)).matches("queries\\s+40\\s+40");
        assertThat(lines.get(3)).matches("errors\\s+0 \\(0\\.00%\\)\\s+0 \\(0\\.00%\\)");
        assertThat(lines.get(4)).matches("p95\\s+[0-9.]+ ms\\s+[0-9.]+ ms");
        assertThat(lines.get(5)).matches("agreement\\s+[01]\\.[0-9]{3} over 40 compared queries");
        assertThat(lines.get(6)).contains("error rate <= 0.01 and agreement >= 0.7");

        CliRun advanced = index(root, "rollout", "advance");
        assertThat(advanced.exitCode()).as(advanced.toString()).isZero();
        assertThat(advanced.out()).contains("ACTIVE at 10% (stage 2 of 3");
        List<String> ask = new ArrayList<>(List.of("ask", "index vector chunk", "--session", "user-7", "--embedder",
                "test-hash", "--store", store, "--index", root.toString()));
        CliRun asked = CliRun.run(ask.toArray(String[]::new));
        assertThat(asked.exitCode()).as(asked.toString()).isZero();
        serve(root, 40);
        assertThat(index(root, "rollout", "status").out().lines().toList().get(2))
                .as("a second host's figures add to the first's (and the ask's)").matches("queries\\s+81\\s+81");

        CliRun aborted = index(root, "rollout", "abort", "--reason", "change freeze");
        assertThat(aborted.exitCode()).as(aborted.toString()).isZero();
        assertThat(aborted.out()).contains("ABORTED").contains("change freeze");
        CliRun again = index(root, "rollout", "advance");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("no active rollout");

        assertThat(index(root, "rollout", "start", "2").exitCode()).isZero();
        CliRun completed = index(root, "rollout", "complete");
        assertThat(completed.exitCode()).as(completed.toString()).isZero();
        assertThat(completed.out()).startsWith("promoted v2 (was v1)");
        assertThat(index(root, "list").out().lines().filter(l -> l.startsWith("v2")).findFirst().orElseThrow())
                .contains(" * ");
        assertThat(index(root, "rollout", "status").out()).contains("COMPLETED");
        CliRun unknown = index(root, "rollout", "pause");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown rollout step 'pause'");
    }
}
