package dev.ragkit.guard;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data and secrets in log messages before they are written: everything
 * {@link PiiDetector} finds becomes a typed tag ({@code [EMAIL]}, {@code [CARD]}...), and
 * credentials ({@code password=...}, {@code api_key: ...}, {@code Bearer ...}, {@code sk-...} keys,
 * URL user-info) become {@code [SECRET]}. Plug it into logging with {@link RedactingFormatter}
 * (java.util.logging) or the Logback / Log4j 2 converters shown in the module README.
 *
 * <p>Immutable and thread-safe.
 */
public final class LogRedactor {
    private static final Pattern SECRETS = Pattern.compile(
            "(?i)((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret|mot de passe|"
                    + "passwort)\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&]+)"
                    + "|(?i)(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}"
                    + "|\\b(?:sk|pk|rk|hf|ghp|gho|xox[bap])[-_][A-Za-z0-9_-]{16,}"
                    + "|(?<=://)[^/\\s:@]+:[^/\\s@]+(?=@)");
    private static final LogRedactor STANDARD = new LogRedactor(PiiDetector.all());

    private final PiiDetector detector;

    /** A redactor masking what {@code detector} finds, plus secrets. */
    public LogRedactor(PiiDetector detector) {
        this.detector = Objects.requireNonNull(detector, "detector");
    }

    /** Every PII type, plus secrets. */
    public static LogRedactor standard() {
        return STANDARD;
    }

    /** {@code message} with personal data and secrets replaced by tags; null stays null. */
    public String redact(String message) {
        if (message == null || message.isEmpty()) {
            return message;
        }
        String text = maskSecrets(message);
        StringBuilder sb = null;
        int last = 0;
        for (PiiMatch m : detector.find(text)) {
            if (sb == null) {
                sb = new StringBuilder(text.length());
            }
            sb.append(text, last, m.start()).append('[').append(m.type().name()).append(']');
            last = m.end();
        }
        if (sb == null) {
            return text;
        }
        return sb.append(text, last, text.length()).toString();
    }

    private static String maskSecrets(String text) {
        Matcher m = SECRETS.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        do {
            String replacement = m.group(1) != null ? m.group(1) + "[SECRET]"
                    : m.group(3) != null ? m.group(3) + " [SECRET]" : "[SECRET]";
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        } while (m.find());
        m.appendTail(sb);
        return sb.toString();
    }
}
