package dev.arkonis.ark.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one reader of a process's settings (its environment): the operator's, the agent's and the provider's. Blank is
 * absent; every error names the setting in the same words: {@code X not set}, {@code X must be ..., not '...'}.
 * A variable is declared once as a {@link Setting} and read with {@link #get}; the reads by name below are what those
 * declarations are made of.
 */
public final class Settings {
    private final Map<String, String> values;

    public Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The declared setting's value, checked as its declaration says. */
    public <T> T get(Setting<T> setting) {
        return setting.from(this);
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> new InvalidSettingException(name + " not set"));
    }

    public Optional<String> optional(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** The value as given (not stripped: a prompt's spacing is its own), or {@code fallback}. */
    public String text(String name, String fallback) {
        String value = values.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public long whole(String name, long fallback, long min) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        long number;
        try {
            number = Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(name + " must be a whole number, not '" + value.get() + "'");
        }
        if (number < min) {
            throw new InvalidSettingException(name + " must be at least " + min + ", not " + number);
        }
        return number;
    }

    public int integer(String name, int fallback, int min) {
        long number = whole(name, fallback, min);
        if (number > Integer.MAX_VALUE) {
            throw new InvalidSettingException(name + " must be at most " + Integer.MAX_VALUE + ", not " + number);
        }
        return (int) number;
    }

    public int integer(String name, int fallback, int min, int max) {
        int number = integer(name, fallback, min);
        if (number > max) {
            throw new InvalidSettingException(name + " must be at most " + max + ", not " + number);
        }
        return number;
    }

    /** A base URL, without a trailing slash; empty when unset. */
    public Optional<String> baseUrl(String name) {
        return optional(name).map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    public Duration seconds(String name, Duration fallback, long minSeconds) {
        Optional<String> value = optional(name);
        return value.isEmpty() ? fallback : Duration.ofSeconds(whole(name, 0, minSeconds));
    }

    public boolean bool(String name, boolean fallback) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidSettingException(name + " must be true or false, not '" + value.get() + "'");
        };
    }

    public int port(String name, int fallback) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.get());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the setting's name
        }
        throw new InvalidSettingException(name + " must be a port number (0-65535), not '" + value.get() + "'");
    }

    /** A comma-separated list; empty when unset. */
    public Set<String> list(String name) {
        return optional(name).map(list -> Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
    }

    /** The first of these settings that is set, or {@code fallback}. */
    public String firstOf(String fallback, String... names) {
        for (String name : names) {
            Optional<String> value = optional(name);
            if (value.isPresent()) {
                return value.get();
            }
        }
        return fallback;
    }
}
