package dev.ragkit.examples.cli;

import dev.ragkit.tools.guard.GuardEvalCli;
import java.util.List;

/** {@code ragkit guard-eval}: precision, recall and F1 of the guards on labelled jsonl data. */
final class GuardEvalCommand implements Command {
    @Override
    public String name() {
        return "guard-eval";
    }

    @Override
    public String summary() {
        return "measure the guards (injection, toxicity, pii) on labelled jsonl data";
    }

    @Override
    public String usage() {
        return """
                Usage: ragkit guard-eval --task injection|toxicity|pii --data FILE [--split all|train|heldout] \
                [--threshold X] [--label 0|1] [--encoder all-minilm-l6-v2-q|bge-small-en-v1.5-q|none]
                       ragkit guard-eval --all [--data-dir ../shared/data/guard] [--encoder MODEL] \
                [--latency-iterations N] [--out FILE]

                Reads the jsonl formats of ../shared/data/guard: {id, text, label} rows for injection and
                toxicity; character spans (Presidio) or BIO tags (ECHR) for pii. Prints precision, recall
                and F1 (per language judged, per entity for pii); the last line is f1=<x>. --label gives
                rows without a label one (--label 0 on a file of ordinary questions counts the false
                positives as fp=). --encoder: the guards get that ONNX encoder, as in a pipeline with that
                embedder, and use the encoder head trained for it (default all-minilm-l6-v2-q; none: the
                n-gram models alone). --split heldout leaves out held-out rows with a near-twin in the
                training part. --all measures every development file with both model families, PIAF's
                held-out questions and the latency per guard (run under taskset -c 0 for one core).
                Example: ./ragkit guard-eval --task injection --data ../shared/data/guard/deepset-prompt-injections/train.jsonl""";
    }

    @Override
    public int run(List<String> args, CliContext context) {
        if (args.contains("--help") || args.contains("-h")) {
            context.out().print(usage() + "\n");
            return RagkitCli.OK;
        }
        return GuardEvalCli.run(args.toArray(String[]::new), context.out());
    }
}
