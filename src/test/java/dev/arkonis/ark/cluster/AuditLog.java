package dev.arkonis.ark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The control plane's audit log (localkube records every request of a ServiceAccount at the Metadata level): what the
 * operator wrote, as the API server saw it.
 */
public final class AuditLog {
    public static final String OPERATOR = "system:serviceaccount:" + ArkRelease.NAMESPACE + ":ark-operator";
    private static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
    }

    /** Where the log ends now: what is written after this offset is new. */
    public long end() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One write as the API server answered it. */
    public record Write(String verb, String resource, String subresource, String namespace, String name, int code,
                        Instant at) {
        /** {@code <verb> <resource>[/<subresource>] <code>}, e.g. {@code patch arkruns/status 200}. */
        public String kind() {
            return verb + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource) + " " + code;
        }

        /** On the object of that name, or on one of its Events (an Event's name starts with its object's). */
        public boolean concerns(String object) {
            return name.equals(object) || resource.equals("events") && name.startsWith(object + ".");
        }
    }

    /** The writes a user made, logged after the offset, in the order the API server completed them. */
    public List<Write> writes(String user, long from) {
        List<Write> writes = new ArrayList<>();
        try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
            log.seek(from);
            byte[] rest = new byte[(int) (log.length() - from)];
            log.readFully(rest);
            String text = new String(rest, StandardCharsets.UTF_8);
            // a line still being written is read next time
            String complete = text.substring(0, text.lastIndexOf('\n') + 1);
            for (String line : complete.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = JSON.readTree(line);
                String verb = event.path("verb").asText();
                if (!user.equals(event.path("user").path("username").asText()) || !WRITE_VERBS.contains(verb)
                        || !"ResponseComplete".equals(event.path("stage").asText())) {
                    continue;
                }
                JsonNode object = event.path("objectRef");
                writes.add(new Write(verb, object.path("resource").asText(), object.path("subresource").asText(""),
                        object.path("namespace").asText(""), object.path("name").asText(""),
                        event.path("responseStatus").path("code").asInt(),
                        Instant.parse(event.path("stageTimestamp").asText())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return writes;
    }
}
