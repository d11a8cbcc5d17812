package dev.arkonis.ark.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.PipelineStep;
import dev.arkonis.ark.api.TeamRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a step's answer: the role's configuration that shapes it (model, provider, system prompt, tools,
 * env, per-call token limit), the rendered prompt, and the checks the answer passed (schema, validate, and the judge
 * role's configuration when a judge checks it). Replicas, resources, budgets and timeouts do not change an answer and
 * are left out. A SHA-256 in hex, so it can name a key or a file.
 */
public final class StepCacheKey {
    /** Bumped when what goes into the key changes, so old entries are never read as new ones. */
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private StepCacheKey() {
    }

    static String of(Pipeline pipeline, StepDefinition def, String prompt) {
        PipelineStep spec = def.spec();
        ObjectNode key = JSON.createObjectNode();
        key.put("v", VERSION);
        key.set("role", roleConfiguration(def.role()));
        key.put("prompt", prompt);
        key.put("outputSchema", spec.effectiveSchema());
        key.set("validate", JSON.valueToTree(spec.validate()));
        OutputChecker.semanticCriterion(spec).ifPresent(criterion -> {
            String judge = spec.validate().judgeRole();
            key.set("judge", roleConfiguration(judge == null || judge.isBlank() ? def.role() : pipeline.role(judge)));
        });
        return sha256(key.toString());
    }

    /**
     * A key that also depends on what only the transport knows (a provider forced for every role, the data behind
     * a role's systemPromptRef); an empty salt leaves the key as it is.
     */
    public static String salted(String key, String salt) {
        return salt == null || salt.isEmpty() ? key : sha256(key + "\n" + salt);
    }

    private static ObjectNode roleConfiguration(TeamRole role) {
        AgentSpec agent = role.agentSpec();
        ObjectNode node = JSON.valueToTree(agent);
        for (String irrelevant : new String[] {"replicas", "resources", "limits", "capabilities", "autoscaling"}) {
            node.remove(irrelevant);
        }
        node.put("provider", agent.effectiveProvider().wireName());
        node.put("maxTokensPerCall", agent.effectiveLimits().effectiveMaxTokensPerCall());
        return node;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
