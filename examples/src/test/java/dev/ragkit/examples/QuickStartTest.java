package dev.ragkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's example is the body of {@link QuickStart#main}, and runs as printed with a numbered source. */
class QuickStartTest {
    private static final String HEADING = "## Assembling a pipeline in Java";

    @Test
    void answersWithACitation() {
        String out = Stdout.of(() -> QuickStart.main(new String[0]));
        assertThat(out).contains("[1]").contains("[1] answers.md");
    }

    @Test
    void theReadmeSnippetIsTheBodyOfMain() throws IOException {
        String readme = Files.readString(projectRoot().resolve("README.md"), StandardCharsets.UTF_8);
        String source = Files.readString(projectRoot().resolve(
                "examples/src/main/java/dev/ragkit/examples/QuickStart.java"), StandardCharsets.UTF_8);
        assertThat(normalised(firstJavaBlockAfter(readme, HEADING)))
                .as("README's first java block after '%s' versus the body of QuickStart.main", HEADING)
                .isEqualTo(normalised(bodyOfMain(source)));
    }

    /** The folder holding the parent pom and README.md, found upwards from the working directory. */
    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("examples")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a folder above %s with README.md and examples/", Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    static String firstJavaBlockAfter(String markdown, String heading) {
        int at = markdown.indexOf(heading);
        assertThat(at).as("README heading '%s'", heading).isNotNegative();
        int open = markdown.indexOf("```java\n", at);
        assertThat(open).as("a ```java block after '%s'", heading).isNotNegative();
        int start = open + "```java\n".length();
        int close = markdown.indexOf("\n```", start);
        assertThat(close).as("the end of the java block after '%s'", heading).isNotNegative();
        return markdown.substring(start, close);
    }

    /** What is between the braces of {@code public static void main(...)}, matched by counting braces. */
    static String bodyOfMain(String source) {
        int signature = source.indexOf("public static void main(");
        assertThat(signature).as("QuickStart.main").isNotNegative();
        int open = source.indexOf('{', signature);
        int depth = 0;
        for (int i = open; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return source.substring(open + 1, i);
            }
        }
        throw new AssertionError("unbalanced braces in QuickStart.main");
    }

    /** Runs of whitespace become one space; leading and trailing whitespace goes. */
    static String normalised(String code) {
        return code.strip().replaceAll("\\s+", " ");
    }
}
