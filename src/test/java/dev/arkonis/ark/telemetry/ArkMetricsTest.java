package dev.arkonis.ark.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics as Prometheus reads them: its parser accepts the scrape, its naming lint finds nothing. */
class ArkMetricsTest {
    @Test
    void everyMetricParsesWithPrometheusAndPassesItsNamingLint() throws Exception {
        ArkMetrics metrics = Telemetry.none().metrics();
        metrics.runFinished("ns", "writers", "Succeeded");
        metrics.stepFinished("ns", "writers", "researcher", "succeeded", Duration.ofMillis(1500), TokenUsage.of(120, 30).withCost(new java.math.BigDecimal("0.25")), "gpt-4o");
        metrics.stepFinished("ns", "writers", "researcher", "failed", Duration.ofMillis(200), TokenUsage.of(10, 0), null);
        metrics.llmCall("openai", "gpt-4o", true, Duration.ofMillis(800), TokenUsage.of(120, 30, 100, 0).withCost(new java.math.BigDecimal("0.0004")));
        metrics.toolCall("mcp", "search", "lookup", false);
        metrics.taskFinished("succeeded");
        metrics.deadLettered("ns.writers.researcher");
        metrics.queueWait("ns.writers.researcher", Duration.ofMillis(40));
        metrics.reconciled("arkrun", Duration.ofMillis(3), true);
        metrics.gauge("ark_queue_length", "Entries in the role's task stream", List.of("stream"),
                callback -> callback.call(7, "ns.writers.researcher"));

        Promlint.Reading reading = Promlint.read(metrics.scrape(null).text());

        assertThat(reading.problems()).isEmpty();
        assertThat(reading.value("ark_runs_total{namespace=\"ns\",outcome=\"Succeeded\",team=\"writers\"}")).isEqualTo(1);
        assertThat(reading.sum("ark_steps_total{namespace=\"ns\"")).isEqualTo(2);
        assertThat(reading.value("ark_tokens_total{direction=\"input\",namespace=\"ns\",role=\"researcher\",team=\"writers\"}"))
                .isEqualTo(130);
        assertThat(reading.value("ark_step_duration_seconds_count{namespace=\"ns\",role=\"researcher\",team=\"writers\"}"))
                .isEqualTo(2);
        assertThat(reading.value("ark_step_duration_seconds_sum{namespace=\"ns\",role=\"researcher\",team=\"writers\"}"))
                .isEqualTo(1.7, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(reading.value("ark_llm_tokens_total{direction=\"output\",model=\"gpt-4o\",provider=\"openai\"}")).isEqualTo(30);
        assertThat(reading.value("ark_llm_tokens_total{direction=\"cached_input\",model=\"gpt-4o\",provider=\"openai\"}"))
                .isEqualTo(100);
        assertThat(reading.value("ark_llm_cost_usd_total{model=\"gpt-4o\",provider=\"openai\"}")).isEqualTo(0.0004);
        assertThat(reading.value("ark_cost_usd_total{model=\"gpt-4o\",namespace=\"ns\",role=\"researcher\",team=\"writers\"}"))
                .isEqualTo(0.25);
        assertThat(reading.value("ark_tool_calls_total{kind=\"mcp\",outcome=\"error\",server=\"search\",tool=\"lookup\"}")).isEqualTo(1);
        assertThat(reading.value("ark_dead_letters_total{stream=\"ns.writers.researcher\"}")).isEqualTo(1);
        assertThat(reading.value("ark_reconcile_errors_total{controller=\"arkrun\"}")).isEqualTo(1);
        assertThat(reading.value("ark_queue_length{stream=\"ns.writers.researcher\"}")).isEqualTo(7);
    }

    @Test
    void openMetricsScrapesCarryTheTraceOfADurationAsAnExemplar() throws Exception {
        ArkMetrics metrics = Telemetry.none().metrics();
        try (OtlpReceiver otlp = new OtlpReceiver(); Telemetry telemetry = Telemetry.fromEnv(otlp.env("test"), "test")) {
            io.opentelemetry.api.trace.Span span = telemetry.tracer().spanBuilder("step").startSpan();
            try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
                metrics.stepFinished("ns", "t", "r", "succeeded", Duration.ofSeconds(2), TokenUsage.of(1, 1), "m");
            } finally {
                span.end();
            }
            String open = metrics.scrape("application/openmetrics-text; version=1.0.0").text();
            assertThat(open).containsPattern("ark_step_duration_seconds_bucket\\{[^}]*le=\"2.5\"[^}]*} 1 # \\{span_id=\""
                    + span.getSpanContext().getSpanId() + "\",trace_id=\"" + span.getSpanContext().getTraceId() + "\"}");
        }
    }
}
