package dev.arkonis.ark.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.TeamInput;
import dev.arkonis.ark.gotemplate.JsonValues;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns a run's given input into the values templates see: required present, defaults filled, types checked. */
public final class InputResolver {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A run's input for this team: its declared inputs resolved, or, for a dynamic or routed team that declares none,
     * any object (its fields become the task's text).
     */
    public ObjectNode resolve(ArkTeamSpec team, JsonNode given) throws InvalidInputException {
        if (!TeamValidator.freeInput(team, TeamMode.of(team))) {
            return resolve(team.inputList(), given);
        }
        JsonNode values = given == null || given.isNull() || given.isMissingNode() ? JSON.createObjectNode() : given;
        if (!values.isObject()) {
            throw new InvalidInputException(List.of("the input must be a JSON object, found " + values.getNodeType().name().toLowerCase()));
        }
        return ((ObjectNode) values).deepCopy();
    }

    /** The resolved input as an object node; declared optional inputs without a value are present as null. */
    public ObjectNode resolve(List<TeamInput> declared, JsonNode given) throws InvalidInputException {
        List<String> problems = new ArrayList<>();
        ObjectNode resolved = JsonNodeFactory.instance.objectNode();
        JsonNode values = given == null || given.isNull() || given.isMissingNode() ? JSON.createObjectNode() : given;
        if (!values.isObject()) {
            throw new InvalidInputException(List.of("the input must be a JSON object, found " + values.getNodeType().name().toLowerCase()));
        }
        Set<String> names = declared.stream().map(TeamInput::name).collect(Collectors.toCollection(LinkedHashSet::new));
        for (Iterator<String> it = values.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                problems.add("input \"" + name + "\" is not declared by the team"
                        + (names.isEmpty() ? "" : " (inputs: " + String.join(", ", names) + ")"));
            }
        }
        for (TeamInput input : declared) {
            JsonNode value = values.get(input.name());
            if (value == null || value.isNull()) {
                value = input.defaultValue();
            }
            if (value == null || value.isNull()) {
                if (input.isRequired()) {
                    problems.add("input \"" + input.name() + "\" is required");
                }
                resolved.set(input.name(), NullNode.getInstance());
                continue;
            }
            InputTypes.mismatch(input, value).ifPresent(m -> problems.add("input \"" + input.name() + "\": " + m));
            resolved.set(input.name(), value);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return resolved;
    }

    /**
     * Input values as the plain Java values templates render: numbers of {@code number}, {@code object} and
     * {@code array} inputs (and of inputs the team does not declare) as float64, as Go decodes the run's JSON input;
     * {@code integer} inputs stay ints.
     */
    public static Map<String, Object> toTemplateData(ObjectNode resolved, List<TeamInput> declared) {
        Map<String, TeamInput.InputType> types = new java.util.HashMap<>();
        declared.forEach(input -> types.put(input.name(), input.effectiveType()));
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        resolved.properties().forEach(field -> {
            TeamInput.InputType type = types.get(field.getKey());
            boolean asGo = type == null || type == TeamInput.InputType.NUMBER || type == TeamInput.InputType.OBJECT
                    || type == TeamInput.InputType.ARRAY;
            data.put(field.getKey(), asGo ? JsonValues.of(field.getValue()) : JSON.convertValue(field.getValue(), Object.class));
        });
        return data;
    }
}
