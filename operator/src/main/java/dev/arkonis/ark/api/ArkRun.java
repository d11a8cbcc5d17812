package dev.arkonis.ark.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One execution of a team's pipeline. */
@Group(Ark.GROUP)
@Version(Ark.VERSION)
// named, not derived: fabric8 derives a plural with regexes in every constructor, and a run is built for each
// watch event and write (so are the other kinds, named the same way)
@Plural("arkruns")
@ShortNames("arun")
@AdditionalPrinterColumn(name = "Team", jsonPath = ".metadata.labels.arkonis\\.dev/team", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Steps", jsonPath = ".status.stepsDone", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Tokens", jsonPath = ".status.totalTokenUsage.totalTokens", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Cost", jsonPath = ".status.totalTokenUsage.costUSD", type = AdditionalPrinterColumn.Type.NUMBER, priority = 1)
@AdditionalPrinterColumn(name = "Approval", jsonPath = ".status.waitingForApproval", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Suspended", jsonPath = ".spec.suspend", type = AdditionalPrinterColumn.Type.BOOLEAN, priority = 1)
// -o wide only: the run list of ark dashboard reads them from the API server's table of runs (no outputs sent)
@AdditionalPrinterColumn(name = "Started", jsonPath = ".status.startTime", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Completed", jsonPath = ".status.completionTime", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ArkRun extends CustomResource<RunSpec, RunStatus> implements Namespaced {
    /** A spec that does not match the model reads as null (see {@link Tolerant}); the object is then skipped. */
    @Override
    @JsonDeserialize(using = Tolerant.RunSpecs.class)
    public void setSpec(RunSpec spec) {
        super.setSpec(spec);
    }

    @Override
    @JsonDeserialize(using = Tolerant.RunStatuses.class)
    public void setStatus(RunStatus status) {
        super.setStatus(status);
    }
}
