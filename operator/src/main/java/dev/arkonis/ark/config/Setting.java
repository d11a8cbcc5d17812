package dev.arkonis.ark.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One environment variable a process reads, declared once: its name, what a value must be (checked as it is read,
 * by {@link Settings}), its default, what it means, and what sets it (a chart value, a role's field). The README's
 * settings tables and {@code --help} are rendered from these declarations.
 *
 * @param name       the variable
 * @param value      what a value must be, in words ({@code "number, 1 to 200"})
 * @param shown      the default as documented; {@code "required"} for a variable that must be set, "" for none
 * @param meaning    what it does (Markdown)
 * @param chartValue the Helm value that sets it, when one does
 * @param setBy      who sets it otherwise (Markdown; "" when the user does)
 * @param testKnob   a knob for tests only: declared and read, not documented
 * @param read       how {@link Settings} reads and checks it
 */
public record Setting<T>(String name, String value, String shown, String meaning, Optional<String> chartValue,
                         String setBy, boolean testKnob, Read<T> read) {

    /** Reads and checks a variable's value; errors name the variable ({@code X must be ..., not '...'}). */
    @FunctionalInterface
    public interface Read<T> {
        T from(Settings settings, String name);
    }

    public Setting {
        if (!name.matches("[A-Z][A-Z0-9_<>a-z]*")) {
            throw new IllegalArgumentException("not a variable name: " + name);
        }
    }

    private static <T> Setting<T> of(String name, String value, String shown, Read<T> read) {
        return new Setting<>(name, value, shown, "", Optional.empty(), "", false, read);
    }

    /** Text that must be set (stripped). */
    public static Setting<String> required(String name) {
        return of(name, "text", "required", Settings::required);
    }

    /** Text that may be absent (stripped; blank is absent). */
    public static Setting<Optional<String>> optional(String name) {
        return of(name, "text", "", Settings::optional);
    }

    /** Text as given (a prompt's spacing is its own), else {@code fallback}. */
    public static Setting<String> text(String name, String fallback) {
        return of(name, "text", fallback, (s, n) -> s.text(n, fallback));
    }

    public static Setting<Long> whole(String name, long fallback, long min) {
        return of(name, "number, at least " + min, Long.toString(fallback), (s, n) -> s.whole(n, fallback, min));
    }

    public static Setting<Integer> integer(String name, int fallback, int min) {
        return of(name, "number, at least " + min, Integer.toString(fallback), (s, n) -> s.integer(n, fallback, min));
    }

    public static Setting<Integer> integer(String name, int fallback, int min, int max) {
        return of(name, "number, " + min + " to " + max, Integer.toString(fallback),
                (s, n) -> s.integer(n, fallback, min, max));
    }

    public static Setting<Duration> seconds(String name, Duration fallback, long minSeconds) {
        return of(name, "seconds, at least " + minSeconds, Long.toString(fallback.toSeconds()),
                (s, n) -> s.seconds(n, fallback, minSeconds));
    }

    public static Setting<Boolean> bool(String name, boolean fallback) {
        return of(name, "`true` or `false`", Boolean.toString(fallback), (s, n) -> s.bool(n, fallback));
    }

    public static Setting<Integer> port(String name, int fallback) {
        return of(name, "port, 0 to 65535", Integer.toString(fallback), (s, n) -> s.port(n, fallback));
    }

    /** Comma-separated names; empty when unset. */
    public static Setting<Set<String>> list(String name) {
        return of(name, "names, comma-separated", "", Settings::list);
    }

    /** A base URL, without a trailing slash; empty when unset. */
    public static Setting<Optional<String>> baseUrl(String name) {
        return of(name, "URL", "", Settings::baseUrl);
    }

    /** Text its reader parses and checks itself, throwing {@link InvalidSettingException} that names it. */
    public static <T> Setting<T> parsed(String name, String value, Read<T> read) {
        return of(name, value, "", read);
    }

    /**
     * A variable that another piece reads in its own way (the OpenTelemetry SDK, the kubelet, a terminal), or that
     * ark only sets for others; declared so it is documented where ark relies on it.
     */
    public static Setting<Optional<String>> external(String name, String value) {
        return of(name, value, "", Settings::optional);
    }

    /** Several variables of one pattern, as {@code ARK_MCP_<i>_CLIENT_SECRET}: documented once, read by name. */
    public static Setting<Optional<String>> family(String pattern, String value) {
        return of(pattern, value, "", Settings::optional);
    }

    /** The value of this setting in {@code settings}, checked. */
    public T from(Settings settings) {
        return read.from(settings, name);
    }

    public Setting<T> means(String text) {
        return new Setting<>(name, value, shown, text, chartValue, setBy, testKnob, read);
    }

    /** Set by this Helm value (a path in {@code values.yaml}). */
    public Setting<T> chart(String path) {
        return new Setting<>(name, value, shown, meaning, Optional.of(path), setBy, testKnob, read);
    }

    /** Set by someone else than the user (Markdown): the operator, a role's field, the kubelet. */
    public Setting<T> setBy(String who) {
        return new Setting<>(name, value, shown, meaning, chartValue, who, testKnob, read);
    }

    /** The default as documented, where the value alone would not say it. */
    public Setting<T> shownDefault(String text) {
        return new Setting<>(name, value, text, meaning, chartValue, setBy, testKnob, read);
    }

    /** The kind of value, where the reader's own words would not say it. */
    public Setting<T> value(String text) {
        return new Setting<>(name, text, shown, meaning, chartValue, setBy, testKnob, read);
    }

    public Setting<T> forTests() {
        return new Setting<>(name, value, shown, meaning, chartValue, setBy, true, read);
    }

    /** For names such as {@code ARK_MCP_<i>_CLIENT_SECRET}: the fixed start every variable of the family has. */
    public Optional<String> familyPrefix() {
        int open = name.indexOf('<');
        return open < 0 ? Optional.empty() : Optional.of(name.substring(0, open));
    }
}
