package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;
import java.util.List;

/**
 * One question of a QA set with its gold answers.
 *
 * @param id the question id
 * @param question the question text
 * @param answers gold answer strings (at least one; repeats allowed, as annotators often agree)
 * @param answerStarts character offsets of each answer in its passage, same length as {@code answers}
 * @param contextId the id of the passage holding the answer (a corpus {@code _id} of the BEIR view)
 * @param title title of the passage's article
 */
public record QaExample(String id, String question, List<String> answers, List<Integer> answerStarts,
                        String contextId, String title) {
    public QaExample {
        if (id == null || id.isBlank()) {
            throw new InvalidInputException("QA example id was '" + id + "' but it must be non-blank");
        }
        if (question == null || question.isBlank()) {
            throw new InvalidInputException("QA example '" + id + "' question was empty");
        }
        answers = List.copyOf(answers);
        answerStarts = List.copyOf(answerStarts);
        if (answers.isEmpty()) {
            throw new InvalidInputException("QA example '" + id + "' has no answers");
        }
        if (answerStarts.size() != answers.size()) {
            throw new InvalidInputException("QA example '" + id + "' has " + answers.size() + " answers but "
                    + answerStarts.size() + " answer_starts");
        }
        if (contextId == null || contextId.isBlank()) {
            throw new InvalidInputException("QA example '" + id + "' context_id was empty");
        }
        title = title == null ? "" : title;
    }
}
