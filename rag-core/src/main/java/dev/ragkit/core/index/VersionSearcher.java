package dev.ragkit.core.index;

import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.model.SearchHit;
import java.util.List;

/** Dense search in one version of an index, with the embedder that built it: what a gate queries. */
public interface VersionSearcher {
    /** The version searched. */
    IndexVersion version();

    /** The best {@code topK} chunks for {@code query}, best first. */
    List<SearchHit> search(String query, int topK);
}
