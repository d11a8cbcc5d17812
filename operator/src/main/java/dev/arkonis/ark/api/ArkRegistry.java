package dev.arkonis.ark.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An index of the namespace's ArkAgents by capability, which routed teams and registryLookup steps choose from, and
 * the policy delegation and routing keep to.
 */
@Group(Ark.GROUP)
@Version(Ark.VERSION)
@Plural("arkregistries")
@ShortNames("areg")
@AdditionalPrinterColumn(name = "Scope", jsonPath = ".spec.scope", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Agents", jsonPath = ".status.agentCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Capabilities", jsonPath = ".status.capabilityCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Max Depth", jsonPath = ".spec.policy.maxDepth", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ArkRegistry extends CustomResource<ArkRegistrySpec, ArkRegistryStatus> implements Namespaced {
}
