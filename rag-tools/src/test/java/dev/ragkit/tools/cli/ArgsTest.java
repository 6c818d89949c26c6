package dev.ragkit.tools.cli;

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
        assertThatThrownBy(() -> parse("--nope")).isInstanceOf(UsageException.class)
                .hasMessage("unknown option '--nope'; known: --index, --set, --top-k, --verbose");
        assertThatThrownBy(() -> parse("--index")).isInstanceOf(UsageException.class)
                .hasMessage("option --index needs a value");
        assertThatThrownBy(() -> parse("--index", "a", "--index", "b")).isInstanceOf(UsageException.class)
                .hasMessage("option --index was given twice ('a' and 'b')");
        assertThatThrownBy(() -> parse("--verbose=yes")).isInstanceOf(UsageException.class)
                .hasMessageContaining("takes no value");
        assertThatThrownBy(() -> parse("--top-k", "0").intBetween("top-k", 1, 10)).isInstanceOf(UsageException.class)
                .hasMessage("option --top-k was '0' but it must be a whole number from 1 to 10");
        assertThatThrownBy(() -> parse("--top-k", "11").intBetween("top-k", 1, 10)).isInstanceOf(UsageException.class)
                .hasMessage("option --top-k was '11' but it must be a whole number from 1 to 10");
        assertThatThrownBy(() -> parse("--top-k", "many").intBetween("top-k", 1, 10)).isInstanceOf(UsageException.class)
                .hasMessageContaining("'many'");
    }

    @Test
    void optionOnlyCommandsRejectPositionals() {
        Args args = Args.parseOptions(List.of("--k", "5", "--no-cache"), Set.of("k"), Set.of("no-cache"));
        assertThat(args.integer("k", 10, 1)).isEqualTo(5);
        assertThat(args.flag("no-cache")).isTrue();
        assertThatThrownBy(() -> Args.parseOptions(List.of("--k", "5", "stray"), Set.of("k"), Set.of()))
                .isInstanceOf(UsageException.class).hasMessage("unexpected argument 'stray'");
    }

    @Test
    void typedValuesWithDefaultsAndErrorsNamingTheOption() {
        Args args = Args.parseOptions(List.of("--k", "0", "--rate", "0.5", "--seed", "x", "--name", " "),
                Set.of("k", "rate", "seed", "name", "depth"), Set.of());
        assertThat(args.integer("depth", 100, 1)).isEqualTo(100);
        assertThat(args.string("depth", "none")).isEqualTo("none");
        assertThat(args.decimal("rate")).contains(0.5);
        assertThatThrownBy(() -> args.integer("k", 10, 1)).isInstanceOf(UsageException.class)
                .hasMessage("option --k was 0 but it must be >= 1");
        assertThatThrownBy(() -> args.converted("seed", Long::valueOf, "a whole number"))
                .isInstanceOf(UsageException.class).hasMessage("option --seed was 'x' but it must be a whole number");
        assertThatThrownBy(() -> args.required("name")).isInstanceOf(UsageException.class)
                .hasMessage("option --name is required");
        assertThatThrownBy(() -> args.required("depth")).isInstanceOf(UsageException.class)
                .hasMessage("option --depth is required");
        assertThatThrownBy(() -> Args.parseOptions(List.of("--rate", "NaN"), Set.of("rate"), Set.of()).decimal("rate"))
                .isInstanceOf(UsageException.class).hasMessage("option --rate was 'NaN' but it must be a number");
    }
}
