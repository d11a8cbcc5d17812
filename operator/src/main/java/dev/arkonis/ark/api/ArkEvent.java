package dev.arkonis.ark.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** What starts runs by itself (the original's triggers): a cron schedule, a webhook, or another team's run. */
@Group(Ark.GROUP)
@Version(Ark.VERSION)
@Plural("arkevents")
@ShortNames("aevt")
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.source.type", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Suspended", jsonPath = ".spec.suspended", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Fired", jsonPath = ".status.firedCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Last Fired", jsonPath = ".status.lastFiredAt", type = AdditionalPrinterColumn.Type.DATE)
// a string, not a date: kubectl shows a date column as an age, and a future one as "<invalid>"
@AdditionalPrinterColumn(name = "Next Fire", jsonPath = ".status.nextFireAt", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ArkEvent extends CustomResource<ArkEventSpec, ArkEventStatus> implements Namespaced {
}
