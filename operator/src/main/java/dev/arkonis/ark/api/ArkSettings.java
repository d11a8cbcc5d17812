package dev.arkonis.ark.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Model settings and prompt fragments shared by roles and agents that list it in settingsRefs. */
@Group(Ark.GROUP)
@Version(Ark.VERSION)
@Plural("arksettings")
@ShortNames("aset")
@AdditionalPrinterColumn(name = "Temperature", jsonPath = ".spec.temperature", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Output Format", jsonPath = ".spec.outputFormat", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ArkSettings extends CustomResource<ArkSettingsSpec, Void> implements Namespaced {
}
