package dev.ragkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The keys {@link Ragkit} reads are documented where hosts look: its javadoc's key list and the
 * root README's key table. A key added to the code without its documentation (or documented and
 * never read) fails here, so new settings cannot drift from their docs.
 */
class ConfigurationKeysDocumentedTest {
    private static final Pattern CODE_KEY = Pattern.compile("\\{@code (rag\\.[a-z0-9.-]+)}");
    /** A README table row: `rag.a.b` or `rag.a.b` / `c` (a second key with the same prefix). */
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `(rag\\.[a-z0-9.-]+)`(?: / `([a-z0-9-]+)`)? \\|");

    @Test
    void theJavadocKeyListNamesExactlyTheKeysRead() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/ragkit/core/Ragkit.java"), StandardCharsets.UTF_8);
        String list = source.substring(source.indexOf("<p>Keys"), source.indexOf("</ul>"));
        Set<String> documented = new TreeSet<>();
        Matcher m = CODE_KEY.matcher(list);
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).as("keys in Ragkit's javadoc list").isEqualTo(new TreeSet<>(Ragkit.KNOWN_KEYS));
    }

    @Test
    void theReadmeTableNamesExactlyTheKeysRead() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("../README.md"), StandardCharsets.UTF_8)) {
            Matcher m = TABLE_ROW.matcher(line);
            if (m.find() && !m.group(1).startsWith("rag.<")) {
                documented.add(m.group(1));
                if (m.group(2) != null) {
                    documented.add(m.group(1).substring(0, m.group(1).lastIndexOf('.') + 1) + m.group(2));
                }
            }
        }
        assertThat(documented).as("keys in the README's configuration table").isEqualTo(new TreeSet<>(Ragkit.KNOWN_KEYS));
    }
}
