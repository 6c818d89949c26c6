package dev.ragkit.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LogRedactorTest {
    private final LogRedactor redactor = LogRedactor.standard();

    @Test
    void masksPersonalDataAndSecrets() {
        assertThat(redactor.redact("user=jo@example.com password=hunter2 ip=10.0.0.12"))
                .isEqualTo("user=[EMAIL] password=[SECRET] ip=[IP]");
        assertThat(redactor.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def"))
                .isEqualTo("Authorization: Bearer [SECRET]");
        assertThat(redactor.redact("calling https://admin:s3cret@db.example.com/x with api_key: \"abc123\""))
                .isEqualTo("calling https://[SECRET]@db.example.com/x with api_key: [SECRET]");
        assertThat(redactor.redact("key sk-abcdefghijklmnopqrstuvwx used")).isEqualTo("key [SECRET] used");
        assertThat(redactor.redact("nothing to hide")).isEqualTo("nothing to hide");
        assertThat(redactor.redact(null)).isNull();
    }

    @Test
    void julFormatterRedactsTheDelegateOutput() {
        Formatter plain = new Formatter() {
            @Override
            public String format(LogRecord record) {
                return record.getLevel() + " " + formatMessage(record);
            }
        };
        LogRecord record = new LogRecord(Level.INFO, "question from {0}: card {1}");
        record.setParameters(new Object[] {"marie@example.fr", "4111 1111 1111 1111"});
        assertThat(new RedactingFormatter(plain).format(record)).isEqualTo("INFO question from [EMAIL]: card [CARD]");
    }
}
