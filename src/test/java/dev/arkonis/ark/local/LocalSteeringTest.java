package dev.arkonis.ark.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.arkonis.ark.api.ApprovalVerdict;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.ApprovalDecision;
import dev.arkonis.ark.flow.CachedAnswer;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.OutputOrigin;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.RunLimits;
import dev.arkonis.ark.flow.StepCacheStore;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TeamFileLoader;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.LlmProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ark run}'s transport for approvals and the step cache: decisions come back as results do. */
class LocalSteeringTest {
    private static final String GATED = """
            roles: [{name: w, model: m}]
            cache: {maxAge: 1h}
            pipeline:
              - {name: draft, role: w, inputs: {prompt: "draft it"}}
              - {name: review, dependsOn: [draft], approval: {message: "ok? {{ .steps.draft.output }}"}}
              - {name: publish, role: w, dependsOn: [review], cache: {maxAge: "0"},
                 inputs: {prompt: "publish {{ .steps.review.output }}"}}
            """;

    private static PipelineRun run(String specYaml, String id) throws Exception {
        String yaml = "kind: ArkTeam\nmetadata: {name: t}\nspec:\n" + specYaml.indent(2);
        JsonSchemas schemas = new JsonSchemas();
        Pipeline pipeline = Pipeline.compile(new TeamFileLoader().load(yaml).teams().get(0).spec(), new TeamValidator(schemas));
        return new PipelineRun(pipeline, id, JsonNodeFactory.instance.objectNode(), RunLimits.NONE, new OutputChecker(schemas));
    }

    /** A model that answers with the prompt it got, spending 10 tokens a call, and counts its calls. */
    private static final class Echo implements LlmProvider {
        final AtomicInteger calls = new AtomicInteger();
        final List<String> prompts = new CopyOnWriteArrayList<>();

        @Override
        public Completion complete(dev.arkonis.ark.llm.CompletionRequest request) {
            calls.incrementAndGet();
            prompts.add(request.prompt());
            return new Completion("answer to " + request.prompt(), List.of(TokenUsage.of(6, 4)));
        }
    }

    @Test
    void aDecisionMadeLaterOnAnotherThreadReachesTheRunAndItsDependentsRun() throws Exception {
        Echo model = new Echo();
        ConcurrentLinkedQueue<String> asked = new ConcurrentLinkedQueue<>();
        var later = Executors.newSingleThreadScheduledExecutor();
        try {
            Approver person = (step, decide) -> {
                asked.add(step.name() + ": " + step.approval().message());
                later.schedule(() -> decide.accept(ApprovalDecision.approve(step.name(), "alice", "looks good",
                        Instant.now())), 200, TimeUnit.MILLISECONDS);
            };
            PipelineRun done = new LocalRunner(role -> model, LocalRunObserver.NONE, Clock.systemUTC(), LocalTrace.none(),
                    StepCacheStore.NONE, person).run(run(GATED, "r1"));
            assertThat(done.phase()).isEqualTo(RunPhase.Succeeded);
            assertThat(asked).containsExactly("review: ok? answer to draft it");
            assertThat(done.step("review").approval().decidedBy()).isEqualTo("alice");
            assertThat(model.prompts).containsExactly("draft it", "publish looks good");
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void aRejectionFailsTheRunAndASettledQuestionIsWithdrawn() throws Exception {
        Echo model = new Echo();
        List<String> settled = new CopyOnWriteArrayList<>();
        Approver no = new Approver() {
            @Override
            public void ask(StepState step, java.util.function.Consumer<ApprovalDecision> decide) {
                decide.accept(ApprovalDecision.reject(step.name(), "bob", "not now", Instant.now()));
            }

            @Override
            public void settled(StepState step) {
                settled.add(step.name() + " " + step.phase());
            }
        };
        PipelineRun done = new LocalRunner(role -> model, LocalRunObserver.NONE, Clock.systemUTC(), LocalTrace.none(),
                StepCacheStore.NONE, no).run(run(GATED, "r1"));
        assertThat(done.phase()).isEqualTo(RunPhase.Failed);
        assertThat(done.step("review").approval().verdict()).isEqualTo(ApprovalVerdict.Rejected);
        assertThat(done.message()).isEqualTo("step review was rejected by bob: not now");
        assertThat(settled).containsExactly("review Failed");
        assertThat(model.calls.get()).isEqualTo(1);
    }

    @Test
    void aSecondRunTakesTheCachedStepFromDiskForNoTokensAndPaysOnlyForTheUncachedOne(@TempDir Path dir) throws Exception {
        Approver yes = (step, decide) -> decide.accept(ApprovalDecision.approve(step.name(), "me", "ok", Instant.now()));
        Echo model = new Echo();
        DiskStepCache cache = new DiskStepCache(dir, "");
        List<String> hits = new CopyOnWriteArrayList<>();
        LocalRunObserver observer = new LocalRunObserver() {
            @Override
            public void answeredFromCache(String step, CachedAnswer answer) {
                hits.add(step + " from " + answer.run() + " saving " + answer.tokens().totalTokens());
            }
        };
        PipelineRun first = new LocalRunner(role -> model, observer, Clock.systemUTC(), LocalTrace.none(), cache, yes)
                .run(run(GATED, "r1"));
        assertThat(first.totalTokens().totalTokens()).isEqualTo(20);
        assertThat(hits).isEmpty();

        PipelineRun second = new LocalRunner(role -> model, observer, Clock.systemUTC(), LocalTrace.none(), cache, yes)
                .run(run(GATED, "r2"));
        assertThat(second.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(second.step("draft").origin()).satisfies(o -> {
            assertThat(o.kind()).isEqualTo(OutputOrigin.Kind.Cached);
            assertThat(o.run()).isEqualTo("r1");
        });
        assertThat(second.step("draft").output()).isEqualTo("answer to draft it");
        assertThat(second.step("draft").tokens()).isEqualTo(TokenUsage.ZERO);
        assertThat(second.totalTokens().totalTokens()).as("only publish was paid for").isEqualTo(10);
        assertThat(model.calls.get()).isEqualTo(3);
        assertThat(hits).containsExactly("draft from r1 saving 10");

        PipelineRun uncached = new LocalRunner(role -> model, LocalRunObserver.NONE, Clock.systemUTC(), LocalTrace.none(),
                StepCacheStore.NONE, yes).run(run(GATED, "r3"));
        assertThat(uncached.step("draft").origin()).as("--no-cache").isNull();
        assertThat(model.calls.get()).isEqualTo(5);
    }

    @Test
    void aChangedPromptOrModelMissesTheCache(@TempDir Path dir) throws Exception {
        Approver yes = (step, decide) -> decide.accept(ApprovalDecision.approve(step.name(), "me", "ok", Instant.now()));
        Echo model = new Echo();
        DiskStepCache cache = new DiskStepCache(dir, "");
        new LocalRunner(role -> model, LocalRunObserver.NONE, Clock.systemUTC(), LocalTrace.none(), cache, yes)
                .run(run(GATED, "r1"));
        PipelineRun otherPrompt = new LocalRunner(role -> model, LocalRunObserver.NONE, Clock.systemUTC(),
                LocalTrace.none(), cache, yes).run(run(GATED.replace("draft it", "draft it again"), "r2"));
        assertThat(otherPrompt.step("draft").origin()).isNull();
        PipelineRun otherModel = new LocalRunner(role -> model, LocalRunObserver.NONE, Clock.systemUTC(),
                LocalTrace.none(), cache, yes).run(run(GATED.replace("model: m", "model: m2"), "r3"));
        assertThat(otherModel.step("draft").origin()).isNull();
        PipelineRun forcedMock = new LocalRunner(role -> model, LocalRunObserver.NONE, Clock.systemUTC(),
                LocalTrace.none(), new DiskStepCache(dir, "provider=mock"), yes).run(run(GATED, "r4"));
        assertThat(forcedMock.step("draft").origin()).as("another provider forced for every role").isNull();
        assertThat(model.calls.get()).isEqualTo(8);
    }

    @Test
    void anAnswerOlderThanMaxAgeIsAMiss(@TempDir Path dir) throws Exception {
        Approver yes = (step, decide) -> decide.accept(ApprovalDecision.approve(step.name(), "me", "ok", Instant.now()));
        Echo model = new Echo();
        DiskStepCache cache = new DiskStepCache(dir, "");
        Instant then = Instant.now();
        new LocalRunner(role -> model, LocalRunObserver.NONE, Clock.fixed(then, ZoneOffset.UTC), LocalTrace.none(),
                cache, yes).run(run(GATED, "r1"));
        PipelineRun withinAnHour = new LocalRunner(role -> model, LocalRunObserver.NONE,
                Clock.fixed(then.plusSeconds(3599), ZoneOffset.UTC), LocalTrace.none(), cache, yes).run(run(GATED, "r2"));
        assertThat(withinAnHour.step("draft").origin()).isNotNull();
        PipelineRun later = new LocalRunner(role -> model, LocalRunObserver.NONE,
                Clock.fixed(then.plusSeconds(3601), ZoneOffset.UTC), LocalTrace.none(), cache, yes).run(run(GATED, "r3"));
        assertThat(later.step("draft").origin()).as("an hour and a second old").isNull();
        assertThat(later.step("draft").phase()).isEqualTo(StepPhase.Succeeded);
    }
}
