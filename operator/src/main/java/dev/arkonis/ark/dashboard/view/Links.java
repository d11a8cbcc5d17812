package dev.arkonis.ark.dashboard.view;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** The dashboard's stable URLs; every part that came from the cluster is encoded. */
public final class Links {
    private Links() {
    }

    public static String run(String namespace, String run) {
        return "/namespaces/" + enc(namespace) + "/runs/" + enc(run);
    }

    public static String team(String namespace, String team) {
        return "/namespaces/" + enc(namespace) + "/teams/" + enc(team);
    }

    public static String runs(String namespace, String team, String phase) {
        return with("/runs", params("namespace", namespace, "team", team, "phase", phase));
    }

    /** {@code base?k=v&...} with the non-empty values, in the order given. */
    public static String with(String base, Map<String, String> params) {
        StringJoiner query = new StringJoiner("&");
        params.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                query.add(enc(k) + "=" + enc(v));
            }
        });
        return query.length() == 0 ? base : base + "?" + query;
    }

    public static Map<String, String> params(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    public static String enc(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
