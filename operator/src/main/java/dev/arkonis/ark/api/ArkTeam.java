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

/** A team of agent roles and the pipeline they run. */
@Group(Ark.GROUP)
@Version(Ark.VERSION)
@Plural("arkteams")
@ShortNames("ateam")
@ValidationRule(value = Names.NO_DOT_RULE, message = Names.NO_DOT_MESSAGE)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Roles", jsonPath = ".status.roleCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Last Run", jsonPath = ".status.lastRunName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ArkTeam extends CustomResource<ArkTeamSpec, ArkTeamStatus> implements Namespaced {
    /** A spec that does not match the model reads as null (see {@link Tolerant}); the object is then skipped. */
    @Override
    @JsonDeserialize(using = Tolerant.TeamSpecs.class)
    public void setSpec(ArkTeamSpec spec) {
        super.setSpec(spec);
    }

    @Override
    @JsonDeserialize(using = Tolerant.TeamStatuses.class)
    public void setStatus(ArkTeamStatus status) {
        super.setStatus(status);
    }
}
