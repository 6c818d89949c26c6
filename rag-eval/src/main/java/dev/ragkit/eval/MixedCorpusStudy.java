package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.text.Bm25Index;
import dev.ragkit.core.text.TextAnalyzer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keyword search (BM25) over several BEIR datasets at once, as a host with documents in more than one
 * language has them: each dataset's queries are run against an index of its own corpus alone and against
 * one index holding every corpus, with each analyzer named. A multilingual index costs a dataset what
 * the other corpora's documents take from its top ranks, and what the analyzer reads wrongly once the
 * documents are not all in one language.
 */
public final class MixedCorpusStudy {
    /** How deep each query's ranking goes: enough for every cut-off reported. */
    private static final int DEPTH = 100;

    private MixedCorpusStudy() {
    }

    /**
     * One dataset's scores with one analyzer.
     *
     * @param analyzer the analyzer's name
     * @param dataset the dataset's name
     * @param alone scores with an index of this dataset's corpus only
     * @param mixed scores with one index of every dataset's corpus
     */
    public record Row(String analyzer, String dataset, RetrievalEvaluation.Scores alone,
                      RetrievalEvaluation.Scores mixed) {
    }

    /**
     * Runs every dataset's evaluation queries with every analyzer, alone and mixed.
     *
     * @throws InvalidInputException when two datasets share a document id: the mixed index could not tell
     *         their documents apart
     * @throws IllegalArgumentException for an analyzer name not in {@link TextAnalyzer#NAMES}
     */
    public static List<Row> run(List<BeirDataset> datasets, List<String> analyzerNames, List<Integer> cutoffs) {
        Set<String> seen = new HashSet<>();
        for (BeirDataset dataset : datasets) {
            for (CorpusDocument d : dataset.corpus()) {
                if (!seen.add(d.id())) {
                    throw new InvalidInputException("document id '" + d.id() + "' of " + dataset.name()
                            + " is also in another dataset given; a mixed index needs distinct ids");
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String name : analyzerNames) {
            TextAnalyzer analyzer = TextAnalyzer.named(name);
            Bm25Index mixed = new Bm25Index(analyzer);
            Map<String, Bm25Index> alone = new LinkedHashMap<>();
            for (BeirDataset dataset : datasets) {
                Bm25Index own = new Bm25Index(analyzer);
                for (CorpusDocument d : dataset.corpus()) {
                    own.put(d.id(), d.indexText());
                    mixed.put(d.id(), d.indexText());
                }
                alone.put(dataset.name(), own);
            }
            for (BeirDataset dataset : datasets) {
                rows.add(new Row(name, dataset.name(), evaluate(dataset, alone.get(dataset.name()), cutoffs),
                        evaluate(dataset, mixed, cutoffs)));
            }
        }
        return rows;
    }

    private static RetrievalEvaluation.Scores evaluate(BeirDataset dataset, Bm25Index index, List<Integer> cutoffs) {
        Map<String, List<ScoredDoc>> run = new HashMap<>();
        for (EvalQuery query : dataset.evaluationQueries()) {
            run.put(query.id(), index.search(query.text(), DEPTH, id -> true).stream()
                    .map(hit -> new ScoredDoc(hit.id(), hit.score())).toList());
        }
        return RetrievalEvaluation.evaluate(dataset, run, cutoffs);
    }
}
