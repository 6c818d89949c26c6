package dev.ragkit.tools.bench;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardInput;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.guard.InjectionGuard;
import dev.ragkit.guard.OutputGuard;
import dev.ragkit.guard.PiiGuard;
import dev.ragkit.guard.ToxicityGuard;
import dev.ragkit.tools.cli.Args;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * {@code bench guards}, a latency benchmark (not a test): one guard check on a 2,000-character mixed
 * French/English text, single thread, after warm-up. Prints p50 / p95 / p99 wall and CPU times in
 * microseconds per guard. Options: {@code --iterations N} (default 5,000); run under
 * {@code taskset -c 0} for one core.
 */
public final class GuardLatencyBench {
    private GuardLatencyBench() {
    }

    /**
     * Measures every guard and prints the table to {@code out}.
     *
     * @param args the options ({@code --iterations N})
     * @throws dev.ragkit.tools.cli.UsageException on a bad option
     */
    public static void run(List<String> args, PrintStream out) {
        int iterations = Args.parseOptions(args, Set.of("iterations"), Set.of()).integer("iterations", 5_000, 100);
        String text = text(2_000, 7L);
        Chunk source = Chunk.of("doc", 0, text, Map.of());
        List<Guard> guards = List.of(PiiGuard.builder().build(), InjectionGuard.standard(), ToxicityGuard.standard(),
                OutputGuard.builder().canary("rk-canary-0123456789").build());
        out.printf(Locale.ROOT, "text: %d chars, %d iterations per guard, java %s, %d processors%n",
                text.length(), iterations, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] total = new long[iterations];
        long[] totalCpu = new long[iterations];
        for (Guard g : guards) {
            GuardStage stage = g.stages().contains(GuardStage.INPUT) ? GuardStage.INPUT : GuardStage.OUTPUT;
            GuardInput input = new GuardInput(stage, text, stage == GuardStage.OUTPUT ? List.of(source) : List.of());
            for (int i = 0; i < Math.max(2_000, iterations / 2); i++) {
                g.check(input);
            }
            long[] t = new long[iterations];
            long[] cpu = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                long cpuStart = mx.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                g.check(input);
                t[i] = System.nanoTime() - start;
                cpu[i] = mx.getCurrentThreadCpuTime() - cpuStart;
                total[i] += t[i];
                totalCpu[i] += cpu[i];
            }
            print(out, g.name() + "@" + stage.name().toLowerCase(Locale.ROOT) + " wall", t);
            print(out, g.name() + "@" + stage.name().toLowerCase(Locale.ROOT) + " cpu", cpu);
        }
        print(out, "all four wall", total);
        print(out, "all four cpu", totalCpu);
        out.printf(Locale.ROOT, "load average at the end: %.2f (wall times include waiting for a core)%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void print(PrintStream out, String label, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        out.printf(Locale.ROOT, "%-24s p50=%7.1f us  p95=%7.1f us  p99=%7.1f us%n", label,
                s[s.length / 2] / 1e3, s[(int) (s.length * 0.95)] / 1e3, s[(int) (s.length * 0.99)] / 1e3);
    }

    /** A deterministic text of {@code length} characters mixing prose, a question, an e-mail and a phone. */
    public static String text(int length, long seed) {
        String[] parts = {
            "La demande d'indemnisation doit être envoyée avant la fin du mois au service client. ",
            "The refund policy covers items returned within thirty days of delivery. ",
            "Pour toute question, contactez Marie Dupont au 06 12 34 56 78 ou marie.dupont@example.fr. ",
            "Our support team answers most requests within two business days. ",
            "Les conditions générales précisent les garanties applicables aux produits reconditionnés. ",
            "Could you explain how the warranty applies to refurbished laptops? ",
        };
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder(length + 100);
        while (sb.length() < length) {
            sb.append(parts[random.nextInt(parts.length)]);
        }
        return sb.substring(0, length);
    }
}
