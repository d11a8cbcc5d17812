package dev.arkonis.ark.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.Capability;
import dev.arkonis.ark.llm.tools.RouteTool;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionRequestTest {
    @Test
    void aFallbackModelIsAskedWithTheSameBuiltInToolsAndTemperature() {
        RouteTool route = new RouteTool(List.of(new Capability("slow-query", "Slow SQL queries", List.of())));
        CompletionRequest first = new CompletionRequest("router-model", "system", "task", null, 100,
                Instant.parse("2026-01-01T00:00:00Z"), RetryListener.LOG, List.of(route), 0.2);
        CompletionRequest next = first.withModel("backup-model");
        assertThat(next.model()).isEqualTo("backup-model");
        assertThat(next.taskTools()).containsExactly(route);
        assertThat(next.temperature()).isEqualTo(0.2);
        assertThat(next.withModel("router-model")).isEqualTo(first);
    }
}
