package dev.arkonis.ark.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Who is told when a team's runs end, a step fails or an agent's budget runs out; teams point to it with notifyRef. */
@Group(Ark.GROUP)
@Version(Ark.VERSION)
@Plural("arknotifies")
@ShortNames("anfy")
@AdditionalPrinterColumn(name = "Channel", jsonPath = ".spec.channel.type", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Sent", jsonPath = ".status.sentCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Failed", jsonPath = ".status.failedCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Last Delivery", jsonPath = ".status.lastDelivery.time", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ArkNotify extends CustomResource<ArkNotifySpec, ArkNotifyStatus> implements Namespaced {
}
