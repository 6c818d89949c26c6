package dev.ragkit.guard.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the held-out rule to fixed ids. rag-tools' {@code SplitTest} pins its {@code Split} (the
 * {@code guard-eval --split} option) to the same list, so training and evaluation cannot drift apart.
 */
class SplitTest {
    /** The ids among row-0 ... row-39 whose SHA-256 starts with a byte divisible by 5 (computed with Python's hashlib). */
    static final List<String> HELD_OUT = List.of("row-0", "row-1", "row-5", "row-10", "row-12", "row-21", "row-34",
            "row-36", "row-37");

    @Test
    void heldOutRowsAreThePinnedOnesAndTrainingIsTheRest() {
        List<String> heldOut = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = "row-" + i;
            assertThat(Split.TRAIN.contains(id)).isNotEqualTo(Split.HELDOUT.contains(id));
            assertThat(Split.ALL.contains(id)).isTrue();
            if (Split.HELDOUT.contains(id)) {
                heldOut.add(id);
            }
        }
        assertThat(heldOut).isEqualTo(HELD_OUT);
    }

    @Test
    void aboutOneRowInFiveIsHeldOut() {
        int held = 0;
        for (int i = 0; i < 1000; i++) {
            held += Split.HELDOUT.contains("row-" + i) ? 1 : 0;
        }
        assertThat(held).isBetween(150, 250);
    }
}
