package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.ModelPrices;
import dev.arkonis.ark.local.CostEstimate;
import dev.arkonis.ark.local.DryRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a run would cost before it runs: ark run --dry-run and ark validate --estimate, and the range's arithmetic. */
class CostEstimateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A dollar per thousand tokens in, two out: easy to check by hand. */
    private static final String TEAM = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkModel
            metadata: {name: house}
            spec: {provider: openai, model: house-llm, prices: {input: 1000, output: 2000}}
            ---
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: costed}
            spec:
              inputs: [{name: topic, required: true}]
              roles:
                - {name: writer, model: house, limits: {maxTokensPerCall: 100}}
                - {name: free, model: homegrown, provider: openai}
              pipeline:
                - {name: draft, role: writer, inputs: {prompt: "Write about {{ .input.topic }}."}}
                - {name: check, role: free, dependsOn: [draft], inputs: {prompt: "{{ .steps.draft.output }}"}}
            """;

    private record Outcome(int exit, String out, String err) {
    }

    private static Outcome ark(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    @Test
    void validateHoldsArkModelsToTheApiServersRulesAndNamesEachField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("models.yaml");
        Files.writeString(file, """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkModel
                metadata: {name: sneaky}
                spec:
                  provider: openai
                  endpoint: https://llm.example/v1
                  rateLimits: {requestsPerMinute: 0}
                  prices: {input: -1}
                  fallback: [sneaky]
                """);

        Outcome validated = ark(new ValidateCommand(), file.toString());

        assertThat(validated.exit()).isEqualTo(2);
        assertThat(validated.err()).contains("spec.endpoint: an endpoint needs apiKeys.secretRef",
                "spec.rateLimits.requestsPerMinute: must be at least 1", "spec.prices.input: must be at least 0",
                "spec.fallback[0]: a model cannot fall back to itself");
    }

    @Test
    void theRangeRunsFromTheAnswersSeenToEveryTokenMaxTokensPerCallAllowsAtEachRolesPrices() {
        ModelPrices dollarPerThousand = new ModelPrices(new BigDecimal("1000"), new BigDecimal("2000"), null, null);
        CostEstimate estimate = CostEstimate.of(List.of(new DryRun.Call("a", "writer", 50, 10, 100),
                new DryRun.Call("b", "writer", 20, 5, 100), new DryRun.Call("c", "free", 30, 7, 100)),
                role -> role.equals("writer") ? dollarPerThousand : null);

        assertThat(estimate.inputTokens()).isEqualTo(100);
        assertThat(estimate.outputLow()).isEqualTo(22);
        assertThat(estimate.outputHigh()).isEqualTo(300);
        // writer: 70 in ($0.07), 15 out ($0.03) at the low end, 200 out ($0.40) at the high end
        assertThat(estimate.low()).isEqualByComparingTo("0.10");
        assertThat(estimate.high()).isEqualByComparingTo("0.47");
        assertThat(estimate.unpricedRoles()).containsExactly("free");
        assertThat(CostEstimate.of(List.of(new DryRun.Call("c", "free", 30, 7, 100)), role -> null).low()).isNull();
    }

    @Test
    void aDryRunAndValidateSayWhatARunWouldCost(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("team.yaml");
        Files.writeString(file, TEAM);

        Outcome dry = ark(new RunCommand(Map.of()), file.toString(), "--dry-run", "--input", "topic=otters", "-o", "json");
        assertThat(dry.exit()).as(dry.err()).isZero();
        JsonNode estimate = JSON.readTree(dry.out()).path("estimate");
        // "Write about otters." is 19 characters, 5 tokens; the mock's answer "mock answer to: Write about otters." 9
        assertThat(estimate.path("inputTokens").asLong()).isEqualTo(5 + 9);
        assertThat(estimate.path("lowUSD").decimalValue()).isEqualByComparingTo("0.023"); // 5 in, 9 out
        assertThat(estimate.path("highUSD").decimalValue()).isEqualByComparingTo("0.205"); // 5 in, 100 out
        assertThat(estimate.path("unpricedRoles")).extracting(JsonNode::asText).containsExactly("free");

        Outcome text = ark(new RunCommand(Map.of()), file.toString(), "--dry-run", "--input", "topic=otters");
        assertThat(text.out()).contains("estimated cost of a run: $0.023 to $0.205 (14 input tokens, ",
                "no prices known for the model of free");

        Outcome validated = ark(new ValidateCommand(), file.toString(), "--estimate");
        assertThat(validated.exit()).as(validated.err()).isZero();
        // the required topic has no default: a placeholder, "<topic>", stands in for it
        assertThat(validated.out()).contains("team costed is valid", "team costed: estimated cost of a run: $0.0");
        Outcome plain = ark(new ValidateCommand(), file.toString());
        assertThat(plain.out()).doesNotContain("estimated cost");
        Outcome doc = ark(new ValidateCommand(), file.toString(), "--estimate", "-o", "json");
        assertThat(JSON.readTree(doc.out()).path("files").get(0).path("teams").get(0).path("estimate").path("highUSD")
                .decimalValue()).isPositive();
    }
}
