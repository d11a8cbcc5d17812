package dev.arkonis.ark.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessSettingsTest {
    private static final Setting<Integer> THREADS = Setting.integer("THREADS", 10, 1, 200).means("threads");

    @Test
    void aProcessMaySayWhatSetsASharedSettingAndListsItOnceWhereItSaysSo() {
        ProcessSettings process = ProcessSettings.of("p", List.of(THREADS.chart("threads")), List.of(THREADS));
        assertThat(process.settings()).singleElement().satisfies(s -> assertThat(s.chartValue()).contains("threads"));
    }

    @Test
    void twoDeclarationsOfANameWithAnotherCheckOrDefaultAreRefused() {
        assertThatThrownBy(() -> ProcessSettings.of("p", List.of(THREADS), List.of(Setting.integer("THREADS", 20, 1, 200))))
                .hasMessage("p declares THREADS twice: number, 1 to 200 (10) and number, 1 to 200 (20)");
    }

    @Test
    void knobsOfTestsAreReadButNotDocumented() {
        Setting<Integer> knob = Setting.integer("KNOB", 1, 1).forTests();
        ProcessSettings process = ProcessSettings.of("p", List.of(THREADS, knob));
        assertThat(process.documented()).containsExactly(THREADS);
        assertThat(new Settings(Map.of("KNOB", "3")).get(knob)).isEqualTo(3);
    }

    @Test
    void aDeclaredSettingIsReadAndCheckedInTheReadersWords() {
        Settings settings = new Settings(Map.of("THREADS", "500"));
        assertThatThrownBy(() -> settings.get(THREADS)).isInstanceOf(InvalidSettingException.class)
                .hasMessage("THREADS must be at most 200, not 500");
        assertThat(new Settings(Map.of()).get(THREADS)).isEqualTo(10);
        assertThat(THREADS.shown()).isEqualTo("10");
        assertThat(THREADS.value()).isEqualTo("number, 1 to 200");
    }
}
