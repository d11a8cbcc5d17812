package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.ArkModelSpec;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.ModelPrices;
import dev.arkonis.ark.api.TeamInput;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.api.Usd;
import dev.arkonis.ark.flow.InputResolver;
import dev.arkonis.ark.flow.InvalidInputException;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.RunLimits;
import dev.arkonis.ark.llm.models.ModelCatalog;
import dev.arkonis.ark.llm.models.ModelChains;
import dev.arkonis.ark.local.CostEstimate;
import dev.arkonis.ark.local.DryRun;
import java.text.NumberFormat;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The cost range of a run for {@code ark run --dry-run} and {@code ark validate --estimate}, and how it reads. */
final class CostEstimates {
    private CostEstimates() {
    }

    /** The prices of each role's model: its ArkModel of the file over the chart's table, else the table's. */
    static Function<String, ModelPrices> prices(ArkTeamSpec spec, Map<String, ArkModelSpec> models) {
        ModelChains chains = new ModelChains(ModelCatalog.builtIn());
        Map<String, ModelPrices> byRole = new HashMap<>();
        for (TeamRole role : spec.roleList()) {
            if (role.model() != null) {
                byRole.put(role.name(), chains.resolve(role.model(), role.provider(), models).first().prices());
            }
        }
        return byRole::get;
    }

    /** A run of the team with its inputs' defaults (a required one without a default: a placeholder of its type). */
    static CostEstimate ofTeam(Pipeline pipeline, Map<String, ArkModelSpec> models) throws InvalidInputException {
        ObjectNode given = JsonNodeFactory.instance.objectNode();
        for (TeamInput input : pipeline.spec().inputList()) {
            if (input.isRequired() && (input.defaultValue() == null || input.defaultValue().isNull())) {
                switch (input.effectiveType()) {
                    case NUMBER, INTEGER -> given.put(input.name(), 0);
                    case BOOLEAN -> given.put(input.name(), false);
                    case OBJECT -> given.putObject(input.name());
                    case ARRAY -> given.putArray(input.name());
                    default -> given.put(input.name(), "<" + input.name() + ">");
                }
            }
        }
        JsonSchemas schemas = new JsonSchemas();
        PipelineRun run = new PipelineRun(pipeline, "estimate", new InputResolver().resolve(pipeline.spec().inputList(),
                given), RunLimits.NONE, new OutputChecker(schemas));
        return of(new DryRun(Map.of()).run(run, Clock.systemUTC()), pipeline.spec(), models);
    }

    static CostEstimate of(DryRun.Result result, ArkTeamSpec spec, Map<String, ArkModelSpec> models) {
        return CostEstimate.of(result.calls(), prices(spec, models));
    }

    /** One line: the dollar range, the tokens behind it, what is left out. */
    static String line(CostEstimate estimate) {
        NumberFormat n = NumberFormat.getIntegerInstance(Locale.ROOT);
        StringBuilder line = new StringBuilder("estimated cost of a run: ");
        line.append(estimate.low() == null ? "unknown (no prices for its models)"
                : Usd.format(estimate.low()) + " to " + Usd.format(estimate.high()));
        line.append(" (").append(n.format(estimate.inputTokens())).append(" input tokens, ")
                .append(n.format(estimate.outputLow())).append(" to ").append(n.format(estimate.outputHigh()))
                .append(" output tokens up to maxTokensPerCall; retries, tool calls and fallbacks not counted)");
        if (!estimate.unpricedRoles().isEmpty() && estimate.low() != null) {
            line.append("; no prices known for the model of ").append(String.join(", ", estimate.unpricedRoles()));
        }
        return line.toString();
    }

    static Map<String, Object> document(CostEstimate estimate) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("lowUSD", estimate.low());
        doc.put("highUSD", estimate.high());
        doc.put("inputTokens", estimate.inputTokens());
        doc.put("outputTokensLow", estimate.outputLow());
        doc.put("outputTokensHigh", estimate.outputHigh());
        doc.put("unpricedRoles", estimate.unpricedRoles());
        return doc;
    }
}
