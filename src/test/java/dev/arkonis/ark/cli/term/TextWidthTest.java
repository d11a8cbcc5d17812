package dev.arkonis.ark.cli.term;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextWidthTest {
    @Test
    void wideCharactersTakeTwoColumnsAndMarksNone() {
        assertThat(TextWidth.width("abc")).isEqualTo(3);
        assertThat(TextWidth.width("日本語")).isEqualTo(6);
        assertThat(TextWidth.width("😀")).isEqualTo(2);
        assertThat(TextWidth.width("e\u0301")).isEqualTo(1);
        assertThat(TextWidth.width("👍🏽")).isEqualTo(2);
    }

    @Test
    void cuttingNeverSplitsACharacterAndNeverPassesTheWidth() {
        assertThat(TextWidth.cut("hello world", 8)).isEqualTo("hello w…");
        assertThat(TextWidth.cut("short", 8)).isEqualTo("short");
        // a wide character that would straddle the edge is left out whole
        assertThat(TextWidth.cut("ab日本語", 5)).isEqualTo("ab日…");
        assertThat(TextWidth.width(TextWidth.cut("ab日本語", 5))).isLessThanOrEqualTo(5);
        assertThat(TextWidth.cut("x👍🏽👍🏽👍🏽", 4)).isEqualTo("x👍🏽…");
        assertThat(TextWidth.cut("cafe\u0301 au lait", 6)).isEqualTo("cafe\u0301 …");
        for (int width = 1; width < 12; width++) {
            assertThat(TextWidth.width(TextWidth.cut("データ😀mixed テキスト", width))).isLessThanOrEqualTo(width);
        }
    }

    @Test
    void flatteningLeavesOneLineWithoutControlCharacters() {
        assertThat(TextWidth.flatten("<html>\n  <title>502</title>\r\n\tdown</html>")).isEqualTo("<html> <title>502</title> down</html>");
        assertThat(TextWidth.flatten("\u001b[31mred\u001b[0m and \u001b]0;title\u0007bell\u0007")).isEqualTo("red and bell");
        assertThat(TextWidth.flatten(null)).isEmpty();
    }
}
