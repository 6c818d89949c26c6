package dev.ragkit.tools.eval;

import dev.ragkit.tools.bench.CachePipelineBench;
import dev.ragkit.tools.cli.Args;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** {@code bench pipeline --cache memory|redis}: the options of {@link CachePipelineBench}. */
final class CachePipelineBenchCli {
    private CachePipelineBenchCli() {
    }

    static int run(Args a, PrintStream out) {
        String cache = a.string("cache", "memory");
        CachePipelineBench.Settings settings = new CachePipelineBench.Settings(
                Path.of(a.string("data", "../shared/data/scifact")), a.integer("questions", 5000, 1),
                a.integer("warmup", 500, 0), number("zipf", a.string("zipf", "1.0")), (long) number("seed", a.string("seed", "42")),
                dev.ragkit.eval.BeirEvaluator.parseMode(a.string("mode", "hybrid")), a.integer("k", 5, 1),
                a.string("store", "memory"), cache, a.string("redis-url", null));
        if (cache.equals("redis") && settings.redisUrl() == null) {
            throw new dev.ragkit.tools.cli.UsageException("--cache redis needs --redis-url redis://HOST:PORT");
        }
        CachePipelineBench.Result result = CachePipelineBench.run(settings, out);
        EvalCli.writeResult(a, "bench-pipeline-cache-" + cache + ".json", result.json(), out);
        out.printf(Locale.ROOT, "cache_result_hit_ratio=%.3f p95_without_ms=%.3f p95_with_ms=%.3f%n", result.resultHitRatio(),
                result.uncached().p95Ms(), result.cached().p95Ms());
        return 0;
    }

    private static double number(String option, String value) {
        try {
            double d = Double.parseDouble(value);
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new dev.ragkit.tools.cli.UsageException("--" + option + " was '" + value + "' but it must be a number >= 0");
        }
    }
}
