package dev.arkonis.ark.queue;

import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.config.Settings;
import io.lettuce.core.RedisURI;
import java.util.Map;
import java.util.Optional;

/**
 * Where a process's Redis is and who it is there: {@code TASK_QUEUE_URL} without credentials, and the user and
 * password from {@code TASK_QUEUE_USERNAME} (optional: the default user) and {@code TASK_QUEUE_PASSWORD}, which a
 * Deployment fills from a Secret. A URL that still carries a password works as it did (the variables win over it),
 * but only {@link #withoutCredentials()} is ever passed on to another process. Through Sentinel, those credentials
 * are the data nodes'; the sentinels are asked as their default user, with {@code TASK_QUEUE_SENTINEL_PASSWORD} when
 * set.
 */
public record RedisEndpoint(String url, Optional<String> username, Optional<String> password,
                            Optional<String> sentinelPassword) {
    private static final String URL_MEANING = "Redis URL (`redis://`, `rediss://`, or through Sentinel"
            + " `redis-sentinel://s1:26379,s2:26379,s3:26379#primary`, `rediss-sentinel://` with TLS) without credentials"
            + " (a URL that still carries a password works, but only its address is ever handed on)";
    /** Where the operator's and agents' Redis is. */
    public static final Setting<String> URL = Setting.required(AgentEnv.TASK_QUEUE_URL).means(URL_MEANING);
    /** Where Redis is for a process that reads it only when told (the CLI, the dashboard). */
    public static final Setting<Optional<String>> URL_IF_SET = Setting.optional(AgentEnv.TASK_QUEUE_URL)
            .means(URL_MEANING);
    public static final Setting<Optional<String>> USERNAME = Setting.optional(AgentEnv.TASK_QUEUE_USERNAME)
            .means("the process's own Redis user (empty: the default user), from a Secret by `secretKeyRef`");
    public static final Setting<Optional<String>> PASSWORD = Setting.optional(AgentEnv.TASK_QUEUE_PASSWORD)
            .means("that user's password, from the same Secret");
    public static final Setting<Optional<String>> SENTINEL_PASSWORD = Setting.optional(
            AgentEnv.TASK_QUEUE_SENTINEL_PASSWORD).means("through Sentinel: the password of the sentinels' default"
            + " user (they are only asked where the primary is), from a Secret by `secretKeyRef`; unset: none");

    public RedisEndpoint {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("a Redis URL is required");
        }
        username = username == null ? Optional.empty() : username.filter(u -> !u.isBlank());
        password = password == null ? Optional.empty() : password.filter(p -> !p.isEmpty());
        sentinelPassword = sentinelPassword == null ? Optional.empty() : sentinelPassword.filter(p -> !p.isEmpty());
    }

    /** The data nodes' user and password; sentinels (if any) asked without a password. */
    public RedisEndpoint(String url, Optional<String> username, Optional<String> password) {
        this(url, username, password, Optional.empty());
    }

    /** A URL alone, credentials (if any) in it. */
    public static RedisEndpoint of(String url) {
        return new RedisEndpoint(url, Optional.empty(), Optional.empty());
    }

    /** The four variables; {@code TASK_QUEUE_URL} is required. */
    public static RedisEndpoint fromSettings(Settings settings) {
        return new RedisEndpoint(settings.get(URL), settings.get(USERNAME), settings.get(PASSWORD),
                settings.get(SENTINEL_PASSWORD));
    }

    /** The same, where {@code TASK_QUEUE_URL} is optional (the CLI reads Redis only when told where it is). */
    public static Optional<RedisEndpoint> fromEnv(Map<String, String> env) {
        Settings settings = new Settings(env);
        return settings.get(URL_IF_SET).map(url -> fromSettings(settings));
    }

    /** The URL with any user and password taken out: what agents are told, and what messages show. */
    public String withoutCredentials() {
        int schemeEnd = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (schemeEnd < 0 || at < schemeEnd) {
            return url;
        }
        return url.substring(0, schemeEnd + 3) + url.substring(at + 1);
    }

    /** As messages and logs may show it: the URL's own password masked. */
    public String redacted() {
        return RedisUrls.redact(url);
    }

    /** The user ("" for the default user) and password ("" for none) it connects with, from the variables or the URL. */
    public Credentials credentials() {
        RedisURI uri = toUri();
        return new Credentials(uri.getUsername() == null ? "" : uri.getUsername(),
                uri.getPassword() == null ? "" : new String(uri.getPassword()));
    }

    /** A Redis user and its password. */
    public record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[user " + username + "]";
        }
    }

    /** Lettuce's form: the variables' credentials over the URL's, and the sentinels' password on every sentinel. */
    RedisURI toUri() {
        RedisURI uri = RedisURI.create(url);
        password.ifPresent(secret -> {
            uri.setUsername(username.orElse(null));
            uri.setPassword(secret.toCharArray());
        });
        sentinelPassword.ifPresent(secret -> uri.getSentinels().forEach(sentinel -> {
            sentinel.setUsername(null);
            sentinel.setPassword(secret.toCharArray());
        }));
        return uri;
    }

    @Override
    public String toString() {
        return redacted() + username.map(u -> " (user " + u + ")").orElse("") + password.map(p -> " (password set)").orElse("")
                + sentinelPassword.map(p -> " (sentinel password set)").orElse("");
    }
}
