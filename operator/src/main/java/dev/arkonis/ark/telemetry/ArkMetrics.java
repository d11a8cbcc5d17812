package dev.arkonis.ark.telemetry;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * ark's metrics, in the Prometheus client: names carry the {@code ark_} prefix, {@code _total} and {@code _seconds};
 * labels are bounded sets (namespaces, teams, roles, agents, streams, models, controllers), never run names or task ids.
 * Duration histograms take the current span's trace id as an exemplar when one is being recorded.
 */
public final class ArkMetrics {
    private static final double[] STEP_SECONDS = {0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800};
    private static final double[] CALL_SECONDS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
    private static final double[] RECONCILE_SECONDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();

    private final Counter runs = Counter.builder().name("ark_runs_total")
            .help("Runs finished, by outcome").labelNames("namespace", "team", "outcome").register(registry);
    private final Counter steps = Counter.builder().name("ark_steps_total")
            .help("Step attempts finished, by outcome").labelNames("namespace", "team", "role", "outcome").register(registry);
    private final Histogram stepSeconds = Histogram.builder().name("ark_step_duration_seconds")
            .help("Step attempts from dispatch to result").unit(Unit.SECONDS).classicOnly()
            .classicUpperBounds(STEP_SECONDS).labelNames("namespace", "team", "role").register(registry);
    private final Counter tokens = Counter.builder().name("ark_tokens_total")
            .help("Tokens spent by the steps of runs, by direction (input, output)")
            .labelNames("namespace", "team", "role", "direction").register(registry);
    private final Histogram llmSeconds = Histogram.builder().name("ark_llm_call_duration_seconds")
            .help("LLM calls, retries included").unit(Unit.SECONDS).classicOnly()
            .classicUpperBounds(CALL_SECONDS).labelNames("provider", "model", "outcome").register(registry);
    private final Counter llmTokens = Counter.builder().name("ark_llm_tokens_total")
            .help("Tokens of this process's LLM calls, by direction (input, output)")
            .labelNames("provider", "model", "direction").register(registry);
    private final Counter toolCalls = Counter.builder().name("ark_tool_calls_total")
            .help("Tool calls the models made, by outcome").labelNames("kind", "server", "tool", "outcome").register(registry);
    private final Counter tasks = Counter.builder().name("ark_agent_tasks_total")
            .help("Tasks this agent finished, by status").labelNames("status").register(registry);
    private final Counter deadLetters = Counter.builder().name("ark_dead_letters_total")
            .help("Tasks moved to a dead-letter stream").labelNames("stream").register(registry);
    private final Histogram queueWait = Histogram.builder().name("ark_queue_wait_seconds")
            .help("Tasks from being queued to being taken by an agent").unit(Unit.SECONDS).classicOnly()
            .classicUpperBounds(CALL_SECONDS).labelNames("stream").register(registry);
    private final Histogram reconcileSeconds = Histogram.builder().name("ark_reconcile_duration_seconds")
            .help("Reconciles, by controller").unit(Unit.SECONDS).classicOnly()
            .classicUpperBounds(RECONCILE_SECONDS).labelNames("controller").register(registry);
    private final Counter resultsRejected = Counter.builder().name("ark_results_rejected_total")
            .help("Results dropped because their stream does not vouch for the run they name, by the stream's namespace")
            .labelNames("namespace", "reason").register(registry);
    private final Counter cacheLookups = Counter.builder().name("ark_step_cache_lookups_total")
            .help("Steps looked up in the step cache, by outcome (hit: answered without a model call; miss)")
            .labelNames("namespace", "team", "role", "outcome").register(registry);
    private final Counter cacheTokensSaved = Counter.builder().name("ark_step_cache_tokens_saved_total")
            .help("Tokens the step cache's hits did not spend again: what their answers cost when first paid for, by direction")
            .labelNames("namespace", "team", "role", "direction").register(registry);
    private final Counter reconcileErrors = Counter.builder().name("ark_reconcile_errors_total")
            .help("Reconciles that failed, by controller").labelNames("controller").register(registry);

    ArkMetrics() {
    }

    public void runFinished(String namespace, String team, String outcome) {
        runs.labelValues(namespace, team, outcome).inc();
    }

    public void stepFinished(String namespace, String team, String role, String outcome, Duration took, long input,
                             long output) {
        steps.labelValues(namespace, team, role, outcome).inc();
        stepSeconds.labelValues(namespace, team, role).observe(seconds(took));
        if (input > 0) {
            tokens.labelValues(namespace, team, role, "input").inc(input);
        }
        if (output > 0) {
            tokens.labelValues(namespace, team, role, "output").inc(output);
        }
    }

    public void llmCall(String provider, String model, boolean ok, Duration took, long input, long output) {
        llmSeconds.labelValues(provider, model, ok ? "ok" : "error").observe(seconds(took));
        if (input > 0) {
            llmTokens.labelValues(provider, model, "input").inc(input);
        }
        if (output > 0) {
            llmTokens.labelValues(provider, model, "output").inc(output);
        }
    }

    /** A cached step was looked up: a hit saves what its answer first cost. */
    public void stepCacheLookup(String namespace, String team, String role, boolean hit, long savedInput, long savedOutput) {
        cacheLookups.labelValues(namespace, team, role, hit ? "hit" : "miss").inc();
        if (hit && savedInput > 0) {
            cacheTokensSaved.labelValues(namespace, team, role, "input").inc(savedInput);
        }
        if (hit && savedOutput > 0) {
            cacheTokensSaved.labelValues(namespace, team, role, "output").inc(savedOutput);
        }
    }

    public void toolCall(String kind, String server, String tool, boolean ok) {
        toolCalls.labelValues(kind, server, tool, ok ? "ok" : "error").inc();
    }

    public void taskFinished(String status) {
        tasks.labelValues(status).inc();
    }

    /** A result on a namespace's stream was not trusted for the run it named ({@code reason}: a bounded set). */
    public void resultRejected(String namespace, String reason) {
        resultsRejected.labelValues(namespace, reason).inc();
    }

    public void deadLettered(String stream) {
        deadLetters.labelValues(stream).inc();
    }

    public void queueWait(String stream, Duration waited) {
        queueWait.labelValues(stream).observe(seconds(waited));
    }

    public void reconciled(String controller, Duration took, boolean failed) {
        reconcileSeconds.labelValues(controller).observe(seconds(took));
        if (failed) {
            reconcileErrors.labelValues(controller).inc();
        }
    }

    /** A gauge read at each scrape (queue length, tokens left); the callback reports one value per label set. */
    public void gauge(String name, String help, List<String> labelNames, Consumer<GaugeWithCallback.Callback> callback) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(labelNames.toArray(String[]::new))
                .callback(callback).register(registry);
    }

    /** The exposition the scraper asked for (OpenMetrics carries exemplars), else the Prometheus text format. */
    public Scrape scrape(String acceptHeader) {
        ExpositionFormatWriter writer = formats.findWriter(acceptHeader == null ? "" : acceptHeader);
        if (!writer.isAvailable()) {
            writer = formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Scrape(writer.getContentType(), out.toByteArray());
    }

    /** One rendering of the metrics and its content type. */
    public record Scrape(String contentType, byte[] body) {
        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
