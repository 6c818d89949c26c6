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
                [--threshold X] [--label 0|1]

                Reads the jsonl formats of ../shared/data/guard: {id, text, label} rows for injection and
                toxicity; character spans (Presidio) or BIO tags (ECHR) for pii. Prints precision, recall
                and F1 (per entity for pii); the last line is f1=<x>. --label gives rows without a label
                one (--label 0 on a file of ordinary questions counts the false positives as fp=).
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
