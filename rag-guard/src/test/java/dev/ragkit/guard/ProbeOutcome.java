package dev.ragkit.guard;

import dev.ragkit.guard.train.DevelopmentRows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a detector makes of a hand-written probe file (a test resource in the jsonl format of the
 * guard data: {@code text}, {@code label} 1 or 0): how many rows are positive, the positives it
 * caught and the negatives it flagged.
 */
record ProbeOutcome(int positives, List<String> caught, List<String> flagged) {
    static ProbeOutcome of(String resource, Predicate<String> detects) throws Exception {
        Path probes = Path.of(ProbeOutcome.class.getResource(resource).toURI());
        List<String> caught = new ArrayList<>();
        List<String> flagged = new ArrayList<>();
        int positives = 0;
        for (Map<String, Object> row : DevelopmentRows.read(probes)) {
            String text = (String) row.get("text");
            boolean positive = ((Number) row.get("label")).intValue() == 1;
            positives += positive ? 1 : 0;
            if (detects.test(text)) {
                (positive ? caught : flagged).add(text);
            }
        }
        return new ProbeOutcome(positives, List.copyOf(caught), List.copyOf(flagged));
    }
}
