package dev.arkonis.ark.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A pool of agent pods running one role. */
@Group(Ark.GROUP)
@Version(Ark.VERSION)
@Plural("arkagents")
@ShortNames("aagent")
@ValidationRule(value = Names.NO_DOT_RULE, message = Names.NO_DOT_MESSAGE)
@AdditionalPrinterColumn(name = "Model", jsonPath = ".spec.model", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".status.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".status.desiredReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Tokens(24h)", jsonPath = ".status.dailyTokenUsage.totalTokens", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Budget", jsonPath = ".status.budget", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ArkAgent extends CustomResource<AgentSpec, AgentStatus> implements Namespaced {
    /** A spec that does not match the model reads as null (see {@link Tolerant}); the object is then skipped. */
    @Override
    @JsonDeserialize(using = Tolerant.AgentSpecs.class)
    public void setSpec(AgentSpec spec) {
        super.setSpec(spec);
    }

    @Override
    @JsonDeserialize(using = Tolerant.AgentStatuses.class)
    public void setStatus(AgentStatus status) {
        super.setStatus(status);
    }
}
