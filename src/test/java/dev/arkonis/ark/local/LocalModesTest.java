package dev.arkonis.ark.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.Provider;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.InputResolver;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.RunLimits;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TeamDocument;
import dev.arkonis.ark.flow.TeamFile;
import dev.arkonis.ark.flow.TeamFileLoader;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.llm.mock.MockProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ark run of every mode, from the examples' files: delegation, routing and lookups on in-process agents. */
class LocalModesTest {
    private static PipelineRun run(String example, String inputJson, ProviderSource providers) throws Exception {
        TeamFile file = new TeamFileLoader().load(Files.readString(Path.of("examples", example)));
        TeamDocument team = file.teams().get(0);
        JsonSchemas schemas = new JsonSchemas();
        Pipeline pipeline = Pipeline.compile(team.spec(), new TeamValidator(schemas));
        LocalRunner.Loads loads = new LocalRunner.Loads();
        PipelineRun run = new PipelineRun(pipeline, "r", new InputResolver().resolve(team.spec(),
                new ObjectMapper().readTree(inputJson)), RunLimits.NONE, new OutputChecker(schemas))
                .useDirectory(FileDirectory.of(file, team.name(), team.spec(), loads::of));
        return new LocalRunner(providers, LocalRunObserver.NONE, Clock.systemUTC()).run(run, loads);
    }

    /** The mock for the roles that route or delegate; every other agent answers with its own name, to show who worked. */
    private static ProviderSource echoing(String... mocked) {
        return role -> List.of(mocked).contains(role.name()) ? new MockProvider(Duration.ZERO)
                : (LlmProvider) request -> new Completion(role.name() + " did: " + request.prompt(), List.of(TokenUsage.of(2, 3)));
    }

    @Test
    void aDynamicTeamsEntryRoleDelegatesAndEachDelegationIsAStepWithItsParent() throws Exception {
        PipelineRun run = run("dynamic-team.yaml", "{\"request\": \"[mock:delegate planner outline three days in Lisbon] "
                + "[mock:delegate visas entry rules for a US citizen] Plan my holiday.\"}", echoing("concierge"));
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(run.steps()).extracting(StepState::name, StepState::phase).containsExactly(
                org.assertj.core.groups.Tuple.tuple("concierge", StepPhase.Succeeded),
                org.assertj.core.groups.Tuple.tuple("planner-1", StepPhase.Succeeded),
                org.assertj.core.groups.Tuple.tuple("visas-1", StepPhase.Succeeded));
        assertThat(run.step("planner-1").delegation().parent()).isEqualTo("concierge");
        assertThat(run.step("visas-1").delegation().call()).isEqualTo(2);
        assertThat(run.output()).contains("[tool delegate] planner did: outline three days in Lisbon",
                "[tool delegate] visas did: entry rules for a US citizen");
    }

    @Test
    void aRoutedTeamsTaskRunsOnTheAgentTheRouterChoseWithThatAgentsOwnModelAndPrompt() throws Exception {
        PipelineRun run = run("routed-team.yaml", "{\"task\": \"The checkout page renders blank in Firefox\"}",
                echoing("router"));
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(run.output()).isEqualTo("web-specialist did: The checkout page renders blank in Firefox");
        StepState route = run.step("route");
        assertThat(route.assignment().agent()).isEqualTo("web-specialist");
        assertThat(route.assignment().capability()).isEqualTo("page-rendering");
        assertThat(route.assignment().reason()).isEqualTo("mock: 2 word(s) of the task match page-rendering");

        PipelineRun fallback = run("routed-team.yaml", "{\"task\": \"Plan the team offsite\"}", echoing("router"));
        assertThat(fallback.output()).isEqualTo("generalist did: Plan the team offsite");
        assertThat(fallback.step("route").assignment().reason()).startsWith("the router chose no capability");
    }

    @Test
    void registryLookupStepsRunOnTheAgentsTheyFindAndTheirTemplatesReadEachOther() throws Exception {
        PipelineRun run = run("registry-lookup.yaml", "{\"subject\": \"tidal energy\"}", echoing());
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(run.step("gatherer").assignment().agent()).isEqualTo("lab-reader");
        assertThat(run.step("drafter").assignment().agent()).isEqualTo("feature-writer");
        assertThat(run.step("proofreader").assignment()).isNull();
        assertThat(run.output()).startsWith("proofreader did: feature-writer did: Write a feature about tidal energy from "
                + "these facts: lab-reader did: Gather the key facts about tidal energy.");
    }

    @Test
    void everyModeRunsOnTheMockWithoutKeys() throws Exception {
        ProviderSource mock = new RoleProviders(Provider.MOCK, Map.of());
        assertThat(run("dynamic-team.yaml", "{\"request\": \"[mock:delegate booker two rooms] hi\"}", mock).phase())
                .isEqualTo(RunPhase.Succeeded);
        assertThat(run("routed-team.yaml", "{\"task\": \"[mock:route invoice-questions] why\"}", mock)
                .step("route").assignment().agent()).isEqualTo("billing-specialist");
        assertThat(run("registry-lookup.yaml", "{\"subject\": \"x\"}", mock).phase()).isEqualTo(RunPhase.Succeeded);
    }
}
