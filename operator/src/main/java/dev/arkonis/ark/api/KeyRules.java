package dev.arkonis.ark.api;

/**
 * The CEL rules that keep the organisation's API key where it belongs, as the API server checks them on teams and
 * agents (the validator checks the same, naming the exact field). One place, so the two kinds cannot drift apart.
 */
public final class KeyRules {
    private static final String COPY = "'" + Ark.API_KEYS_COPY + "'";
    private static final String FENCED = "['" + AgentEnv.OPENAI_API_KEY + "', '" + AgentEnv.OPENAI_BASE_URL + "', '"
            + AgentEnv.ANTHROPIC_API_KEY + "', '" + AgentEnv.ANTHROPIC_BASE_URL + "', 'JAVA_TOOL_OPTIONS', "
            + "'JDK_JAVA_OPTIONS', '_JAVA_OPTIONS']";
    private static final String ENV_FENCED = "self.env.all(e, !has(e.name) || !(e.name in " + FENCED + "))";

    /** On an agent: provider and JVM-option variables only beside its own keys. */
    public static final String AGENT_ENV = "has(self.apiKeys) || !has(self.env) || " + ENV_FENCED;
    /** On a team: the same for each role, whose own keys may also be the team's. */
    public static final String TEAM_ENV = "!has(self.roles) || self.roles.all(r, has(self.apiKeys) || has(r.apiKeys)"
            + " || !has(r.env) || r.env.all(e, !has(e.name) || !(e.name in " + FENCED + ")))";
    public static final String ENV_MESSAGE = "without apiKeys.secretRef a role runs with the organisation's API key, "
            + "which goes only to the organisation's endpoint, so its env cannot set OPENAI_API_KEY, OPENAI_BASE_URL, "
            + "ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL or JVM options (JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, _JAVA_OPTIONS): "
            + "put your own key and endpoint in a Secret of this namespace and name it in apiKeys.secretRef";

    public static final String ENV_NO_COPY = "!has(self.env) || self.env.all(e, !has(e.valueFrom) "
            + "|| !has(e.valueFrom.secretKeyRef) || !has(e.valueFrom.secretKeyRef.name) "
            + "|| e.valueFrom.secretKeyRef.name != " + COPY + ")";
    public static final String ENV_FROM_NO_COPY = "!has(self.envFrom) || self.envFrom.all(f, !has(f.secretRef) "
            + "|| !has(f.secretRef.name) || f.secretRef.name != " + COPY + ")";
    public static final String SECRET_KEY_REF_NO_COPY = "!has(self.secretKeyRef) || !has(self.secretKeyRef.name) "
            + "|| self.secretKeyRef.name != " + COPY;
    public static final String SECRET_REF_NO_COPY = "self.secretRef.name != " + COPY;
    public static final String COPY_MESSAGE = "Secret " + Ark.API_KEYS_COPY + " is ark's copy of the organisation's "
            + "API keys: no field of a team or agent may read it (name your own Secret in apiKeys.secretRef)";

    private KeyRules() {
    }
}
