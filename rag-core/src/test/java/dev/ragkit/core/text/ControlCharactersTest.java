package dev.ragkit.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlCharactersTest {
    @Test
    void keepsTabsAndLineBreaksAndDropsOtherControls() {
        assertThat(ControlCharacters.strip("a\u0000b\u0001c\u0007d\u001be\u007ff\u0080g\u009bh\u009fi"))
                .isEqualTo("abcdefghi");
        assertThat(ControlCharacters.strip("line\r\nnext\ttab\n")).isEqualTo("line\r\nnext\ttab\n");
    }

    @Test
    void separatorsBecomeSpacesSoWordsStayApart() {
        assertThat(ControlCharacters.strip("page one\fpage two\u000Bv\u001Cfs\u001Fus\u0085nel"))
                .isEqualTo("page one page two v fs us nel");
    }

    @Test
    void printableTextIsReturnedAsIs() {
        String text = "Déjà vu — «ça» 🙂 \u00A0\u00A0 (U+00A0 is printable) \u2028";
        assertThat(ControlCharacters.strip(text)).isSameAs(text);
        assertThat(ControlCharacters.isControl('\u00A0')).isFalse();
        assertThat(ControlCharacters.isControl('\u009F')).isTrue();
        assertThat(ControlCharacters.isControl('\t')).isFalse();
    }
}
