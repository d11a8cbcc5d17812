package dev.arkonis.ark.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One model as a namespace uses it: provider, endpoint and keys, shared rate limits, prices, context window and the
 * models to fall back to. A role whose {@code model} is this object's name uses it.
 */
@Group(Ark.GROUP)
@Version(Ark.VERSION)
@Plural("arkmodels")
@ShortNames("amdl")
@AdditionalPrinterColumn(name = "Provider", jsonPath = ".spec.provider", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Model", jsonPath = ".spec.model", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Context", jsonPath = ".spec.contextWindow", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "RPM", jsonPath = ".spec.rateLimits.requestsPerMinute", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Input $/M", jsonPath = ".spec.prices.input", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Output $/M", jsonPath = ".spec.prices.output", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ArkModel extends CustomResource<ArkModelSpec, Void> implements Namespaced {
}
