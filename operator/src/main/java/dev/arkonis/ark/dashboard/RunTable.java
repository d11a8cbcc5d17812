package dev.arkonis.ark.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.dashboard.view.Links;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The runs of a namespace (or all) as the API server's table of them, the one kubectl prints: its printer columns and
 * each run's metadata, without the statuses' outputs, so listing a thousand runs moves kilobytes, not megabytes.
 */
public final class RunTable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io, application/json";

    /** One run as the table has it. */
    public record Row(String namespace, String name, String team, String phase, String steps, long tokens,
            Instant created, Instant started, Instant completed, String trigger) {
    }

    private RunTable() {
    }

    /** @param namespace null for every namespace; @param team null for every team */
    public static List<Row> list(KubernetesClient client, String namespace, String team) {
        String path = "/apis/" + HasMetadata.getApiVersion(ArkRun.class)
                + (namespace == null ? "" : "/namespaces/" + Links.enc(namespace)) + "/" + HasMetadata.getPlural(ArkRun.class);
        String query = "?includeObject=Metadata" + (team == null ? "" : "&labelSelector=" + Links.enc(Ark.LABEL_TEAM + "=" + team));
        String url = client.getMasterUrl().toString().replaceAll("/$", "") + path + query;
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(url).header("Accept", TABLE).build();
        HttpResponse<String> response;
        try {
            response = client.getHttpClient().sendAsync(request, String.class)
                    .get(client.getConfiguration().getRequestTimeout() + 1000L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while listing runs", e);
        } catch (ExecutionException e) {
            throw new KubernetesClientException("listing runs failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KubernetesClientException("listing runs: no answer within the timeout", e);
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            if (!response.isSuccessful()) {
                Status status = JSON.treeToValue(body, Status.class);
                throw new KubernetesClientException(status);
            }
            return rows(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new KubernetesClientException("the API server's table of runs could not be read (" + response.code()
                    + "): " + e.getOriginalMessage(), e);
        }
    }

    static List<Row> rows(JsonNode table) {
        if (!table.has("columnDefinitions") && table.has("items")) {
            return plainList(table);
        }
        Map<String, Integer> column = new HashMap<>();
        JsonNode defs = table.path("columnDefinitions");
        for (int i = 0; i < defs.size(); i++) {
            column.put(defs.get(i).path("name").asText(), i);
        }
        List<Row> rows = new ArrayList<>();
        for (JsonNode row : table.path("rows")) {
            JsonNode cells = row.path("cells");
            JsonNode meta = row.path("object").path("metadata");
            JsonNode labels = meta.path("labels");
            rows.add(new Row(meta.path("namespace").asText(), meta.path("name").asText(),
                    labels.path(Ark.LABEL_TEAM).asText(cell(cells, column, "Team")), orDefault(cell(cells, column, "Phase"), "Pending"),
                    cell(cells, column, "Steps"), number(cells, column, "Tokens"), instant(meta.path("creationTimestamp").asText(null)),
                    instant(cell(cells, column, "Started")), instant(cell(cells, column, "Completed")),
                    labels.path(Ark.LABEL_TRIGGER).asText(null)));
        }
        return rows;
    }

    /** A server that answered with the plain list (no table support, e.g. a test double): the same rows from it. */
    private static List<Row> plainList(JsonNode list) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode item : list.path("items")) {
            ArkRun run = JSON.convertValue(item, ArkRun.class);
            var status = run.getStatus();
            Map<String, String> labels = run.getMetadata().getLabels() == null ? Map.of() : run.getMetadata().getLabels();
            rows.add(new Row(run.getMetadata().getNamespace(), run.getMetadata().getName(), dev.arkonis.ark.cli.RunViews.team(run),
                    dev.arkonis.ark.cli.RunViews.phase(run).name(), status == null || status.stepsDone() == null ? "" : status.stepsDone(),
                    status == null || status.totalTokenUsage() == null ? 0 : status.totalTokenUsage().totalTokens(),
                    instant(run.getMetadata().getCreationTimestamp()), status == null ? null : instant(status.startTime()),
                    status == null ? null : instant(status.completionTime()), labels.get(Ark.LABEL_TRIGGER)));
        }
        return rows;
    }

    private static String cell(JsonNode cells, Map<String, Integer> column, String name) {
        Integer i = column.get(name);
        if (i == null || cells.get(i) == null || cells.get(i).isNull()) {
            return "";
        }
        return cells.get(i).asText("");
    }

    private static long number(JsonNode cells, Map<String, Integer> column, String name) {
        Integer i = column.get(name);
        return i == null || cells.get(i) == null ? 0 : cells.get(i).asLong(0);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static Instant instant(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
