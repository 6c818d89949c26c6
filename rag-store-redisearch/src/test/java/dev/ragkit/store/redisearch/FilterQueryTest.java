package dev.ragkit.store.redisearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The query text filters become, and the tag forms values are stored as; no server needed. */
class FilterQueryTest {
    private final List<String> asked = new ArrayList<>();
    private final FilterQuery query = new FilterQuery(Set.of("lang", "year", "title"), "idx:test", attribute -> {
        asked.add(attribute);
        return Set.of("s:Apple", "s:apple", "s:Mango", "n:5", "b:true");
    });

    @Test
    void tagFormsAreTypedAndCanonical() {
        assertThat(TagValues.encode("fr")).isEqualTo("s:fr");
        assertThat(TagValues.encode(3L)).isEqualTo(TagValues.encode(3.0)).isEqualTo("n:3");
        assertThat(TagValues.encode(-0.125)).isEqualTo("n:-0.125");
        assertThat(TagValues.encode(1e20)).isEqualTo("n:100000000000000000000");
        assertThat(TagValues.encode(0.0)).isEqualTo("n:0");
        assertThat(TagValues.encode(true)).isEqualTo("b:true");
        assertThat(TagValues.encode("3")).isNotEqualTo(TagValues.encode(3L));
    }

    @Test
    void separatorsSpacesAndPercentAreEncodedReversibly() {
        for (String s : List.of("a-b c:d", "x,y", "100%", " lead", "trail ", "tab\there", "%0041", "é ü")) {
            String encoded = TagValues.percentEncode(s);
            assertThat(encoded).as("encoded %s", s).doesNotContain(",", " ", "\t");
            assertThat(TagValues.percentDecode(encoded)).isEqualTo(s);
        }
        assertThat(TagValues.percentEncode("a-b c:d")).isEqualTo("a-b%0020c:d");
    }

    @Test
    void queryEscapingCoversEveryAsciiPunctuationCharacter() {
        assertThat(TagValues.escapeForQuery("s:a-b%0020c:d")).isEqualTo("s\\:a\\-b\\%0020c\\:d");
        assertThat(TagValues.escapeForQuery("s:été")).isEqualTo("s\\:été");
        assertThat(query.render(Filter.eq("lang", "a-b c:d"))).isEqualTo("@t_lang:{s\\:a\\-b\\%0020c\\:d}");
    }

    @Test
    void operatorsBecomeTagMatchesRangesAndNegations() {
        assertThat(query.render(null)).isEqualTo("*");
        assertThat(query.render(Filter.in("year", List.of(2020, 2021.0, "2022"))))
                .isEqualTo("@t_year:{n\\:2020 | n\\:2021 | s\\:2022}");
        assertThat(query.render(Filter.ne("lang", "fr"))).isEqualTo("-(@t_lang:{s\\:fr})");
        assertThat(query.render(Filter.gt("year", 2018))).isEqualTo("@n_year:[(2018 +inf]");
        assertThat(query.render(Filter.lte("year", -2.5))).isEqualTo("@n_year:[-inf -2.5]");
        assertThat(query.render(Filter.not(Filter.not(Filter.eq("lang", "en"))))).isEqualTo("@t_lang:{s\\:en}");
        assertThat(query.render(Filter.and(Filter.eq("lang", "fr"), Filter.or(Filter.lt("year", 2000),
                Filter.eq("doc_id", "d 1"))))).isEqualTo("(@t_lang:{s\\:fr} (@n_year:[-inf (2000] | @doc:{d\\%00201}))");
        assertThat(asked).as("no distinct values needed for these").isEmpty();
    }

    @Test
    void whatCanMatchNothingSendsNothingAndWhatMatchesEverythingIsTheWildcard() {
        assertThat(query.render(Filter.eq("doc_id", 5))).as("a document id is never a number").isNull();
        assertThat(query.render(Filter.gt("doc_id", 5))).isNull();
        assertThat(query.render(Filter.ne("doc_id", 5))).isEqualTo("*");
        assertThat(query.render(Filter.or(Filter.eq("doc_id", 1), Filter.eq("lang", "fr")))).isEqualTo("@t_lang:{s\\:fr}");
    }

    @Test
    void stringRangesAndHugeBoundsAreResolvedFromTheDistinctValues() {
        assertThat(query.render(Filter.gt("title", "M"))).isEqualTo("@t_title:{s\\:Mango | s\\:apple}");
        assertThat(query.render(Filter.lt("title", "A"))).as("nothing below 'A'").isNull();
        assertThat(query.render(Filter.lt("title", 1L << 60))).isEqualTo("@t_title:{n\\:5}");
        assertThat(asked).containsExactly("t_title", "t_title", "t_title");
    }

    @Test
    void anUndeclaredKeyIsRefusedBeforeAnythingIsAsked() {
        assertThatThrownBy(() -> query.render(Filter.and(Filter.eq("lang", "fr"), Filter.gt("tenant", "a"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'tenant'").hasMessageContaining("[lang, title, year]")
                .hasMessageContaining("rag.store.redisearch.fields");
        assertThat(asked).isEmpty();
    }

    @Test
    void queryTermsAreSplitAndFoldedLikeTheIndexedText() {
        assertThat(RediSearchVectorStore.terms("Les ÉTUDIANTS, l'été: state-of-the-art café!"))
                .containsExactly("les", "etudiants", "l", "ete", "state", "of", "the", "art", "cafe");
        assertThat(RediSearchVectorStore.terms(" ,.;- ")).isEmpty();
    }
}
