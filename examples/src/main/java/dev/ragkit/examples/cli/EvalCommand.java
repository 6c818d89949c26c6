package dev.ragkit.examples.cli;

import dev.ragkit.tools.eval.EvalCli;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ragkit eval ...} and {@code ragkit bench ...}: retrieval and answer quality on real
 * benchmarks, and the benchmark suite, run by the evaluation command line of rag-tools.
 */
final class EvalCommand implements Command {
    private final String name;

    private EvalCommand(String name) {
        this.name = name;
    }

    /** {@code eval beir|qa}. */
    static EvalCommand eval() {
        return new EvalCommand("eval");
    }

    /** {@code bench ingest|pipeline|store|guards|rollout}. */
    static EvalCommand bench() {
        return new EvalCommand("bench");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        return name.equals("eval")
                ? "measure retrieval (BEIR: nDCG, recall, MRR, MAP) or answers (QA) on a dataset, with gates"
                : "benchmarks: ingestion and store search vs LangChain4j, pipeline overhead, guard latency, rollout routing";
    }

    @Override
    public String usage() {
        return name.equals("eval")
                ? """
                Usage: ragkit eval beir --data DIR [--split test] [--embedder onnx:<model>] [--mode dense|bm25|hybrid]
                                        [--k 10] [--out DIR] [--gate "recall@5>=0.8,retrieval.p95<=2500ms"]
                       ragkit eval qa --data DIR [--mode dense|bm25|hybrid] [--k 5] [--out DIR] [--gate ...]
                The last line holds the figures (ndcg@10=... recall@10=... recall@100=... mrr@10=... queries=...);
                the exit code is 1 when a gate fails. See rag-eval/README.md for every option.
                Example: ./ragkit eval beir --data ../shared/data/scifact --mode bm25"""
                : """
                Usage: ragkit bench ingest [--data DIR] [--model all-minilm-l6-v2-q] [--limit N] [--out DIR]
                       ragkit bench pipeline [--data DIR] [--questions 1000] [--mode hybrid] [--out DIR]
                       ragkit bench store [--datasets synthetic,scifact] [--n 100000] [--queries 1000] [--seed 42]
                       ragkit bench guards [--iterations 5000]
                       ragkit bench rollout [--documents 10000] [--queries 2000] [--compare-shares 1,0.1] [--out DIR]
                       ragkit bench server [--requests 400] [--warmup 100] [--clients 1,8,32] [--out DIR]
                Results go to bench/results/*.json; the last line is ingest_speedup_vs_langchain4j=<x>,
                pipeline_overhead_p95_ms=<x> or faiss_vs_langchain4j_qps_ratio=<x> recall@10=<r>;
                bench guards prints p50/p95/p99 per guard (run it under taskset -c 0 for one core).
                See rag-eval/README.md, rag-store-faiss/README.md and rag-guard/README.md.""";
    }

    @Override
    public int run(List<String> args, CliContext context) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            context.out().print(usage() + "\n");
            return args.isEmpty() ? RagkitCli.USAGE : RagkitCli.OK;
        }
        if (name.equals("bench") && args.get(0).equals("server")) {
            // The server bench starts rag-server, which lives here in examples rather than in rag-tools.
            return ServerBench.run(args.subList(1, args.size()), context.out());
        }
        List<String> all = new ArrayList<>();
        all.add(name);
        all.addAll(args);
        return EvalCli.run(all.toArray(String[]::new), context.out());
    }
}
