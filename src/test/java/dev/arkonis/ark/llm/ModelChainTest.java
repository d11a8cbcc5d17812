package dev.arkonis.ark.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.agent.SharedModelGuards;
import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.api.Provider;
import dev.arkonis.ark.llm.StubHttpServer.Received;
import dev.arkonis.ark.llm.StubHttpServer.Reply;
import dev.arkonis.ark.llm.models.ModelProfile;
import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.telemetry.Telemetry;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A role's chain of models as an agent sets it up from {@code AGENT_MODELS}, against a local OpenAI-compatible server
 * that answers per model: which model answers when the first one fails, and what the answer says about why.
 */
class ModelChainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelProfile PRIMARY = profile("primary", "gpt-primary", 128_000L);
    private static final ModelProfile BACKUP = profile("backup", "gpt-backup", 128_000L);
    private static final ModelProfile BIG = profile("big", "gpt-big", 1_000_000L);

    private final Map<String, Function<Received, Reply>> answers = new ConcurrentHashMap<>();
    private StubHttpServer server;

    private static ModelProfile profile(String name, String model, long window) {
        return new ModelProfile(name, Provider.OPENAI, model, null, null, false, null, null, null, window);
    }

    @BeforeEach
    void start() throws Exception {
        server = new StubHttpServer(request -> answers.getOrDefault(modelOf(request), r -> answer("?")).apply(request));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String modelOf(Received request) {
        try {
            return JSON.readTree(request.body()).path("model").asText();
        } catch (Exception e) {
            return "";
        }
    }

    private List<Received> callsTo(String model) {
        return server.received().stream().filter(r -> model.equals(modelOf(r))).toList();
    }

    private static Reply answer(String text) {
        return Reply.json("""
                {"id":"c","object":"chat.completion","created":1,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}""".formatted(text));
    }

    /** A failure whose Retry-After lets the retries run at once. */
    private static Reply failing(int status, String message, String retryAfterMs) {
        return new Reply(status, Map.of("Content-Type", "application/json", "retry-after-ms", retryAfterMs),
                "{\"error\":{\"message\":\"" + message + "\"}}");
    }

    private LlmProvider chain(ModelGuards guards, ModelProfile... models) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_MODEL", models[0].model());
        env.put("OPENAI_BASE_URL", server.url() + "/v1");
        env.put("OPENAI_API_KEY", "sk-test");
        env.put(AgentEnv.MODELS, JSON.writeValueAsString(List.of(models)));
        return LlmSetup.fromEnv(env, Telemetry.none(), guards);
    }

    private static Completion ask(LlmProvider provider, Duration within) throws LlmException {
        return provider.complete(new CompletionRequest(null, null, "Say hi", null, 50, Instant.now().plus(within)));
    }

    @Test
    void aServerErrorThatRetriesDidNotHealMovesTheTaskToTheNextModelAndTheAnswerSaysWhy() throws Exception {
        answers.put("gpt-primary", r -> failing(503, "overloaded", "1"));
        answers.put("gpt-backup", r -> answer("from backup"));

        Completion c = ask(chain(ModelGuards.NONE, PRIMARY, BACKUP), Duration.ofSeconds(30));

        assertThat(c.text()).isEqualTo("from backup");
        assertThat(c.answeredBy()).isEqualTo("backup");
        assertThat(c.fallbackReason()).startsWith("primary: openai: 503 service unavailable").contains("overloaded");
        assertThat(callsTo("gpt-primary")).as("retried before falling back").hasSizeGreaterThan(1);
    }

    @Test
    void aRateLimitLongerThanTheDeadlineAllowsFallsBackAtOnce() throws Exception {
        answers.put("gpt-primary", r -> failing(429, "quota", "600000"));
        answers.put("gpt-backup", r -> answer("from backup"));

        Completion c = ask(chain(ModelGuards.NONE, PRIMARY, BACKUP), Duration.ofSeconds(30));

        assertThat(c.answeredBy()).isEqualTo("backup");
        assertThat(c.fallbackReason()).startsWith("primary: openai: rate limited (429)");
        assertThat(callsTo("gpt-primary")).as("no wait of ten minutes, no second try").hasSize(1);
    }

    @Test
    void aPromptTooLongGoesToTheNextModelWithALargerContextWindow() throws Exception {
        answers.put("gpt-primary", r -> Reply.status(400, """
                {"error":{"message":"This model's maximum context length is 128000 tokens.",
                 "code":"context_length_exceeded"}}"""));
        answers.put("gpt-big", r -> answer("from big"));

        Completion c = ask(chain(ModelGuards.NONE, PRIMARY, BACKUP, BIG), Duration.ofSeconds(30));

        assertThat(c.answeredBy()).isEqualTo("big");
        assertThat(c.fallbackReason()).isEqualTo("primary: prompt too long for its context window; "
                + "backup: context window not larger");
        assertThat(callsTo("gpt-primary")).as("a prompt too long is not retried").hasSize(1);
        assertThat(callsTo("gpt-backup")).as("a window no larger is not tried").isEmpty();
    }

    @Test
    void aFailureNoOtherModelCanHealEndsTheTaskAtTheFirst() throws Exception {
        answers.put("gpt-primary", r -> Reply.status(401, "{\"error\":{\"message\":\"bad key\"}}"));

        LlmException e = catchThrowableOfType(LlmException.class,
                () -> ask(chain(ModelGuards.NONE, PRIMARY, BACKUP), Duration.ofSeconds(30)));

        assertThat(e.isPermanent()).isTrue();
        assertThat(e).hasMessageContaining("authentication failed (401)");
        assertThat(callsTo("gpt-backup")).isEmpty();
    }

    @Test
    void whenEveryModelFailsTheErrorNamesEachOneAndWhy() throws Exception {
        answers.put("gpt-primary", r -> failing(503, "down", "1"));
        answers.put("gpt-backup", r -> failing(502, "also down", "1"));

        LlmException e = catchThrowableOfType(LlmException.class,
                () -> ask(chain(ModelGuards.NONE, PRIMARY, BACKUP), Duration.ofSeconds(30)));

        assertThat(e.isPermanent()).as("another try later may find one up").isFalse();
        assertThat(e).hasMessageStartingWith("no model of the chain answered: primary: openai: 503 service unavailable")
                .hasMessageContaining("; backup: openai: 502 bad gateway");
    }

    @Test
    void aProviderThatIsDownOpensItsCircuitForEveryAgentOfTheNamespace() throws Exception {
        answers.put("gpt-primary", r -> failing(503, "down", "1"));
        answers.put("gpt-backup", r -> answer("from backup"));
        try (RedisFixture redis = RedisFixture.start()) {
            RedisClient other = RedisClient.create(redis.url());
            try {
                SharedModelGuards agentA = new SharedModelGuards("team-a", Clock.systemUTC(), Telemetry.none().metrics());
                agentA.attach(redis.connection(), Duration.ofMinutes(1));
                SharedModelGuards agentB = new SharedModelGuards("team-a", Clock.systemUTC(), Telemetry.none().metrics());
                agentB.attach(other.connect(StringCodec.UTF8), Duration.ofMinutes(1));
                LlmProvider a = chain(agentA, PRIMARY, BACKUP);
                LlmProvider b = chain(agentB, PRIMARY, BACKUP);

                for (int i = 0; i < 3; i++) {
                    assertThat(ask(a, Duration.ofSeconds(30)).answeredBy()).isEqualTo("backup");
                }
                int triedByA = callsTo("gpt-primary").size();
                Completion c = ask(b, Duration.ofSeconds(30));

                assertThat(c.answeredBy()).isEqualTo("backup");
                assertThat(c.fallbackReason()).startsWith("primary: circuit open after 3 failed calls (last: openai: "
                        + "503 service unavailable");
                assertThat(callsTo("gpt-primary")).as("agent B did not find out alone").hasSize(triedByA);
            } finally {
                other.shutdown();
            }
        }
    }
}
