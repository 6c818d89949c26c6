package dev.ragkit.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RedactorTest {
    private static final String TEXT = "Marie Dupont (marie.dupont@example.fr, 06 12 34 56 78) paid with "
            + "4111 1111 1111 1111; write to marie.dupont@example.fr again.";

    @Test
    void placeholdersAreTypedNumberedAndReversible() {
        Redaction r = Redactor.builder().mode(RedactionMode.PLACEHOLDER).build().redact(TEXT);
        assertThat(r.text()).isEqualTo("[PERSON_1] ([EMAIL_1], [PHONE_1]) paid with [CARD_1]; write to [EMAIL_1] again.");
        assertThat(r.placeholders()).containsEntry("[EMAIL_1]", "marie.dupont@example.fr");
        assertThat(r.restore(r.text())).isEqualTo(TEXT);
        assertThat(r.restore("Sure [PERSON_1], I wrote to [EMAIL_1]; [EMAIL_9] is unknown."))
                .isEqualTo("Sure Marie Dupont, I wrote to marie.dupont@example.fr; [EMAIL_9] is unknown.");
    }

    @Test
    void maskKeepsShapeAndLastFourCardDigits() {
        Redaction r = Redactor.builder().mode(RedactionMode.MASK).build().redact("card 4111 1111 1111 1234 ok");
        // 4111111111111234 is not Luhn-valid; use a valid one.
        Redaction valid = Redactor.builder().mode(RedactionMode.MASK).build().redact("card 4111 1111 1111 1111 ok");
        assertThat(r.isEmpty()).isTrue();
        assertThat(valid.text()).isEqualTo("card **** **** **** 1111 ok");
        assertThat(valid.placeholders()).isEmpty();
    }

    @Test
    void hashIsStablePerKeyAndValue() {
        Redactor a = Redactor.builder().mode(RedactionMode.HASH).hashKey("k1").build();
        Redactor b = Redactor.builder().mode(RedactionMode.HASH).hashKey("k2").build();
        String one = a.redact("x a@example.com").text();
        assertThat(one).matches("x \\[EMAIL:[0-9a-f]{8}]");
        assertThat(a.redact("y a@example.com").text().substring(2)).isEqualTo(one.substring(2));
        assertThat(a.redact("x b@example.com").text()).isNotEqualTo(one);
        assertThat(b.redact("x a@example.com").text()).isNotEqualTo(one);
    }

    @Test
    void randomTextsRoundTrip() {
        long seed = 42L;
        Random random = new Random(seed);
        String[] parts = {"bonjour ", "Marie Dupont ", "a@b.io ", "+33 6 12 34 56 78 ", "192.168.0.1 ", "le [x] ",
            "FR76 3000 6000 0112 3456 7890 189 ", "texte libre. ", "John Smith ", "4111 1111 1111 1111 "};
        Redactor redactor = Redactor.builder().build();
        for (int i = 0; i < 200; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(8); k >= 0; k--) {
                sb.append(parts[random.nextInt(parts.length)]);
            }
            String text = sb.toString();
            Redaction r = redactor.redact(text);
            assertThat(r.restore(r.text())).as("seed %d, text '%s'", seed, text).isEqualTo(text);
        }
    }

    @Test
    void numberingSpansSeveralTexts() {
        Redactor redactor = Redactor.builder().build();
        Redactor.Numbering n = new Redactor.Numbering();
        assertThat(redactor.redact("a@example.com", n).text()).isEqualTo("[EMAIL_1]");
        assertThat(redactor.redact("b@example.com and a@example.com", n).text()).isEqualTo("[EMAIL_2] and [EMAIL_1]");
    }
}
