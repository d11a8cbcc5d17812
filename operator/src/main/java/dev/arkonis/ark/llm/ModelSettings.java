package dev.arkonis.ark.llm;

import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.api.ArkSettingsSpec;
import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.config.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * What the ArkSettings a role lists put into its model calls, merged in order: the last temperature and output format
 * win, the prompt fragments add up ({@code persona} before the role's system prompt, {@code outputRules} after it, then
 * a sentence for the output format). The operator hands them to agent pods as environment; agents and {@code ark run}
 * build the system prompt from them the same way.
 */
public record ModelSettings(String temperature, String outputFormat, String persona, String outputRules) {
    public static final ModelSettings NONE = new ModelSettings(null, null, null, null);

    private static final String BY_SETTINGS = "the ArkSettings the role lists (`settingsRefs`)";
    public static final Setting<Optional<Double>> TEMPERATURE = Setting.parsed(AgentEnv.TEMPERATURE,
            "number, 0 to 1", ModelSettings::temperature).setBy(BY_SETTINGS)
            .means("the temperature of the role's model calls; unset: the model's default");
    public static final Setting<String> OUTPUT_FORMAT = Setting.text(AgentEnv.OUTPUT_FORMAT, "").setBy(BY_SETTINGS)
            .means("the answer's format (`json`, `markdown`, `text`, ...), said to the model after the system prompt");
    public static final Setting<String> PERSONA = Setting.text(AgentEnv.PERSONA, "").setBy(BY_SETTINGS)
            .means("prompt fragments put before the role's system prompt");
    public static final Setting<String> OUTPUT_RULES = Setting.text(AgentEnv.OUTPUT_RULES, "").setBy(BY_SETTINGS)
            .means("prompt fragments put after the role's system prompt");
    /** What {@link #fromEnv} reads. */
    public static final List<Setting<?>> SETTINGS = List.of(TEMPERATURE, OUTPUT_FORMAT, PERSONA, OUTPUT_RULES);

    public static ModelSettings merge(List<ArkSettingsSpec> settings) {
        String temperature = null;
        String format = null;
        StringJoiner persona = new StringJoiner("\n\n");
        StringJoiner rules = new StringJoiner("\n\n");
        for (ArkSettingsSpec spec : settings) {
            if (spec == null) {
                continue;
            }
            temperature = blank(spec.temperature()) ? temperature : spec.temperature().strip();
            format = blank(spec.outputFormat()) ? format : spec.outputFormat().strip();
            if (spec.promptFragments() != null) {
                if (!blank(spec.promptFragments().persona())) {
                    persona.add(spec.promptFragments().persona().strip());
                }
                if (!blank(spec.promptFragments().outputRules())) {
                    rules.add(spec.promptFragments().outputRules().strip());
                }
            }
        }
        return new ModelSettings(temperature, format, nullIfEmpty(persona.toString()), nullIfEmpty(rules.toString()));
    }

    /** As an agent pod reads them from its environment. */
    public static ModelSettings fromEnv(Map<String, String> env) {
        Settings settings = new Settings(env);
        return new ModelSettings(settings.get(TEMPERATURE).map(String::valueOf).orElse(null),
                nullIfEmpty(settings.get(OUTPUT_FORMAT)), nullIfEmpty(settings.get(PERSONA)),
                nullIfEmpty(settings.get(OUTPUT_RULES)));
    }

    private static Optional<Double> temperature(Settings settings, String name) {
        Optional<String> text = settings.optional(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            double value = Double.parseDouble(text.get());
            if (value >= 0 && value <= 1) {
                return Optional.of(value);
            }
        } catch (NumberFormatException notANumber) {
            // said below
        }
        throw new InvalidSettingException(name + " must be a number from 0 to 1, not '" + text.get() + "'");
    }

    /** The environment that carries them to an agent pod (only what is set). */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        put(env, AgentEnv.TEMPERATURE, temperature);
        put(env, AgentEnv.OUTPUT_FORMAT, outputFormat);
        put(env, AgentEnv.PERSONA, persona);
        put(env, AgentEnv.OUTPUT_RULES, outputRules);
        return env;
    }

    /** The role's system prompt with the fragments around it and the output format said in words. */
    public String systemPrompt(String base) {
        StringJoiner prompt = new StringJoiner("\n\n");
        if (persona != null) {
            prompt.add(persona);
        }
        if (!blank(base)) {
            prompt.add(base.strip());
        }
        if (outputRules != null) {
            prompt.add(outputRules);
        }
        if (outputFormat != null) {
            prompt.add(formatRule(outputFormat));
        }
        return prompt.toString();
    }

    static String formatRule(String format) {
        String f = format.toLowerCase(Locale.ROOT);
        if (f.contains("json")) {
            return "Answer with JSON only.";
        }
        if (f.contains("markdown")) {
            return "Format your answer as Markdown.";
        }
        if (f.equals("text") || f.contains("plain")) {
            return "Answer in plain text, without Markdown.";
        }
        return "Format your answer as " + format + ".";
    }

    private static void put(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String nullIfEmpty(String s) {
        return blank(s) ? null : s;
    }
}
