package dev.ragkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static Args parse(String... raw) {
        return Args.parse(List.of(raw), Set.of("index", "top-k"), Set.of("set"), Set.of("verbose"));
    }

    @Test
    void separatesPositionalsValuesAndFlags() {
        Args args = parse("what", "--index", "dir", "is", "--top-k=3", "--verbose", "ragkit");
        assertThat(args.positionals()).containsExactly("what", "is", "ragkit");
        assertThat(args.value("index")).contains("dir");
        assertThat(args.intBetween("top-k", 1, 10)).contains(3);
        assertThat(args.flag("verbose")).isTrue();
        assertThat(args.flag("help")).isFalse();
    }

    @Test
    void doubleDashEndsOptionsSoAQuestionMayStartWithADash() {
        Args args = parse("--index", "d", "--", "--verbose", "-x");
        assertThat(args.positionals()).containsExactly("--verbose", "-x");
        assertThat(args.flag("verbose")).isFalse();
    }

    @Test
    void repeatableOptionsCollectEveryValue() {
        Args args = parse("--set", "rag.a=1", "--set=rag.b=2");
        assertThat(args.values("set")).containsExactly("rag.a=1", "rag.b=2");
    }

    @Test
    void helpIsAlwaysAFlag() {
        assertThat(parse("-h").flag("help")).isTrue();
        assertThat(parse("--help").flag("help")).isTrue();
    }

    @Test
    void rejectsUnknownMissingRepeatedAndMalformedOptions() {
        assertThatThrownBy(() -> parse("--nope")).isInstanceOf(CliUsageException.class)
                .hasMessage("unknown option '--nope'");
        assertThatThrownBy(() -> parse("--index")).isInstanceOf(CliUsageException.class)
                .hasMessage("option --index needs a value");
        assertThatThrownBy(() -> parse("--index", "a", "--index", "b")).isInstanceOf(CliUsageException.class)
                .hasMessage("option --index was given twice ('a' and 'b')");
        assertThatThrownBy(() -> parse("--verbose=yes")).isInstanceOf(CliUsageException.class)
                .hasMessageContaining("takes no value");
        assertThatThrownBy(() -> parse("--top-k", "0").intBetween("top-k", 1, 10)).isInstanceOf(CliUsageException.class)
                .hasMessage("option --top-k was '0' but it must be a whole number from 1 to 10");
        assertThatThrownBy(() -> parse("--top-k", "11").intBetween("top-k", 1, 10)).isInstanceOf(CliUsageException.class)
                .hasMessage("option --top-k was '11' but it must be a whole number from 1 to 10");
        assertThatThrownBy(() -> parse("--top-k", "many").intBetween("top-k", 1, 10)).isInstanceOf(CliUsageException.class)
                .hasMessageContaining("'many'");
    }
}
