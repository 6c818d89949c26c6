package dev.ragkit.core.retrieval;

import dev.ragkit.core.model.SearchHit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * How far two result lists for one query agree: the share of the ids both hold, over the larger of the
 * two id sets; 1 when both are empty, 0 when only one is. A migration compares chunk ids (both stores
 * hold the same chunks); a promotion gate compares document ids (two index versions may cut documents
 * into different chunks).
 */
public final class Agreement {
    private Agreement() {
    }

    /** Agreement@k on chunk ids: the top {@code k} of each list. */
    public static double ofChunks(List<SearchHit> a, List<SearchHit> b, int k) {
        return of(ids(a.subList(0, Math.min(k, a.size())), h -> h.chunk().id()),
                ids(b.subList(0, Math.min(k, b.size())), h -> h.chunk().id()));
    }

    /** Agreement on the distinct documents of two whole lists. */
    public static double ofDocuments(List<SearchHit> a, List<SearchHit> b) {
        return of(ids(a, h -> h.chunk().documentId()), ids(b, h -> h.chunk().documentId()));
    }

    private static double of(Set<String> a, Set<String> b) {
        int larger = Math.max(a.size(), b.size());
        if (larger == 0) {
            return 1.0;
        }
        int shared = 0;
        for (String id : a) {
            if (b.contains(id)) {
                shared++;
            }
        }
        return (double) shared / larger;
    }

    private static Set<String> ids(List<SearchHit> hits, Function<SearchHit, String> id) {
        Set<String> ids = new LinkedHashSet<>();
        hits.forEach(h -> ids.add(id.apply(h)));
        return ids;
    }
}
