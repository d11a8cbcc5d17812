package dev.arkonis.ark.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Reads the spec or status of one of ark's resources without ever failing the whole read: one object whose field has
 * the wrong type (possible wherever the API server's schema is not ours, e.g. across a CRD upgrade) must not stop the
 * informer that lists every object of its kind. What cannot be read becomes {@link #unreadable}; the reconcilers skip
 * such an object and say why.
 */
public abstract class Tolerant<T> extends StdDeserializer<T> {
    private final Class<T> type;

    protected Tolerant(Class<T> type) {
        super(type);
        this.type = type;
    }

    @Override
    public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode node = parser.readValueAsTree();
        try {
            return context.readTreeAsValue(node, type);
        } catch (JsonMappingException e) {
            return unreadable(describe(e));
        }
    }

    /** What stands in for a value that does not match the model. */
    protected abstract T unreadable(String problem);

    /** The problem with the field's path, e.g. {@code roles[0].model: Cannot deserialize value of type ...}. */
    public static String describe(JsonMappingException e) {
        String path = e.getPath().stream().map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName()
                : "[" + ref.getIndex() + "]").collect(Collectors.joining());
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        int newline = message.indexOf('\n');
        return (path.startsWith(".") ? path.substring(1) : path) + ": " + (newline < 0 ? message : message.substring(0, newline));
    }

    public static final class TeamSpecs extends Tolerant<ArkTeamSpec> {
        public TeamSpecs() {
            super(ArkTeamSpec.class);
        }

        @Override
        protected ArkTeamSpec unreadable(String problem) {
            return null;
        }
    }

    public static final class AgentSpecs extends Tolerant<AgentSpec> {
        public AgentSpecs() {
            super(AgentSpec.class);
        }

        @Override
        protected AgentSpec unreadable(String problem) {
            return null;
        }
    }

    public static final class RunSpecs extends Tolerant<RunSpec> {
        public RunSpecs() {
            super(RunSpec.class);
        }

        @Override
        protected RunSpec unreadable(String problem) {
            return null;
        }
    }

    /** A team's or agent's status that cannot be read is rebuilt by its next reconcile. */
    public static final class TeamStatuses extends Tolerant<ArkTeamStatus> {
        public TeamStatuses() {
            super(ArkTeamStatus.class);
        }

        @Override
        protected ArkTeamStatus unreadable(String problem) {
            return null;
        }
    }

    public static final class AgentStatuses extends Tolerant<AgentStatus> {
        public AgentStatuses() {
            super(AgentStatus.class);
        }

        @Override
        protected AgentStatus unreadable(String problem) {
            return null;
        }
    }

    /** A run's status is its state: one that cannot be read is marked, never taken for a run not started yet. */
    public static final class RunStatuses extends Tolerant<RunStatus> {
        public RunStatuses() {
            super(RunStatus.class);
        }

        @Override
        protected RunStatus unreadable(String problem) {
            return RunStatus.unreadable(problem);
        }
    }
}
