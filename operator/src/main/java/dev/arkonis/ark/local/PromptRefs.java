package dev.arkonis.ark.local;

import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.PromptRef;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.flow.TeamFile.DataDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A role's system prompt on a laptop, where there is no cluster to read a {@code systemPromptRef} from: a
 * {@code --prompt-file role=path} wins, then the referenced key of a ConfigMap or Secret document of the same file,
 * then {@code systemPrompt}. A reference that cannot be resolved is an error, never a silently missing prompt.
 */
public final class PromptRefs {
    /** A role's prompt could not be found; the message says where it was looked for. */
    public static final class UnresolvedPromptException extends Exception {
        UnresolvedPromptException(String message) {
            super(message);
        }
    }

    private final List<DataDocument> documents;
    private final Map<String, Path> promptFiles;

    public PromptRefs(List<DataDocument> documents, Map<String, Path> promptFiles) {
        this.documents = List.copyOf(documents);
        this.promptFiles = Map.copyOf(promptFiles);
    }

    /** The spec with every role's prompt in {@code systemPrompt} (the same spec when nothing needed resolving). */
    public ArkTeamSpec resolve(ArkTeamSpec spec, String namespace) throws UnresolvedPromptException {
        for (String role : promptFiles.keySet()) {
            if (spec.roleList().stream().noneMatch(r -> role.equals(r.name()))) {
                throw new UnresolvedPromptException("--prompt-file " + role + "=...: the team has no role \"" + role
                        + "\" (roles: " + String.join(", ", spec.roleList().stream().map(TeamRole::name).toList()) + ")");
            }
        }
        if (promptFiles.isEmpty() && spec.roleList().stream().allMatch(r -> r.systemPromptRef() == null)) {
            return spec;
        }
        List<TeamRole> roles = new ArrayList<>();
        for (TeamRole role : spec.roleList()) {
            Optional<String> prompt = promptOf(role, namespace);
            roles.add(prompt.isEmpty() ? role : withPrompt(role, prompt.get()));
        }
        return spec.withRoles(roles);
    }

    private Optional<String> promptOf(TeamRole role, String namespace) throws UnresolvedPromptException {
        Path file = promptFiles.get(role.name());
        if (file != null) {
            try {
                return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                throw new UnresolvedPromptException("--prompt-file " + role.name() + "=" + file + ": no such file");
            } catch (IOException e) {
                throw new UnresolvedPromptException("--prompt-file " + role.name() + "=" + file + ": " + e.getMessage());
            }
        }
        PromptRef ref = role.systemPromptRef();
        if (ref == null) {
            return Optional.empty();
        }
        boolean secret = ref.secretKeyRef() != null;
        String kind = secret ? "Secret" : "ConfigMap";
        String name = secret ? ref.secretKeyRef().getName() : ref.configMapKeyRef() == null ? null : ref.configMapKeyRef().getName();
        String key = secret ? ref.secretKeyRef().getKey() : ref.configMapKeyRef() == null ? null : ref.configMapKeyRef().getKey();
        Boolean optional = secret ? ref.secretKeyRef().getOptional() : ref.configMapKeyRef() == null ? null
                : ref.configMapKeyRef().getOptional();
        String where = "role " + role.name() + ": systemPromptRef " + (secret ? "secretKeyRef" : "configMapKeyRef") + " "
                + name + "/" + key;
        if (name == null || key == null) {
            throw new UnresolvedPromptException(where + ": needs both name and key");
        }
        Optional<DataDocument> document = documents.stream()
                .filter(d -> d.kind().equals(kind) && d.name().equals(name)
                        && (d.namespace().isEmpty() || namespace == null || namespace.isEmpty() || d.namespace().equals(namespace)))
                .findFirst();
        if (document.isPresent() && document.get().data().containsKey(key)) {
            return Optional.of(document.get().data().get(key));
        }
        if (Boolean.TRUE.equals(optional)) {
            return Optional.empty();
        }
        String missing = document.isEmpty() ? "no " + kind + " \"" + name + "\" in the file"
                : kind + " \"" + name + "\" has no key \"" + key + "\" (keys: " + String.join(", ", document.get().data().keySet()) + ")";
        throw new UnresolvedPromptException(where + ": " + missing + "; add the " + kind + " to the file, or pass --prompt-file "
                + role.name() + "=<path>");
    }

    private static TeamRole withPrompt(TeamRole r, String prompt) {
        return new TeamRole(r.name(), r.model(), r.provider(), prompt, null, r.envFrom(), r.env(), r.apiKeys(), r.replicas(),
                r.resources(), r.limits(), r.mcpServers(), r.tools(), r.canDelegate(), r.capabilities(), r.autoscaling(),
                r.settingsRefs());
    }
}
