package dev.arkonis.ark.operator;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.Tolerant;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports an object whose spec or status ark cannot read (see {@link Tolerant}): a log line with its kind, namespace
 * and name and what is wrong, and a Warning Event on it; the object is then skipped while every other one keeps
 * being reconciled.
 */
public final class UnreadableResources {
    public static final String REASON = EventReason.Unreadable.name();
    private static final Logger LOG = LoggerFactory.getLogger("operator");
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final KubernetesClient client;
    private final KubeEvents events;

    public UnreadableResources(KubernetesClient client, KubeEvents events) {
        this.client = client;
        this.events = events;
    }

    /** Its spec did not match {@code specType}; the problem is read again from the object as the API server has it. */
    public void specUnreadable(HasMetadata resource, Class<?> specType) {
        report(resource, "spec", specProblem(resource, specType));
    }

    public void statusUnreadable(HasMetadata resource, String problem) {
        report(resource, "status", "status." + problem);
    }

    private void report(HasMetadata resource, String part, String problem) {
        LOG.warn("cannot read {} {}/{}: {}; skipping it until its {} is fixed", resource.getKind(),
                resource.getMetadata().getNamespace(), resource.getMetadata().getName(), problem, part);
        events.record(resource, EventReason.Unreadable, "cannot read " + problem + "; ark skips this object until its " + part
                + " is fixed");
    }

    private String specProblem(HasMetadata resource, Class<?> specType) {
        try {
            GenericKubernetesResource raw = client.genericKubernetesResources(
                            ResourceDefinitionContext.fromResourceType(resource.getClass()))
                    .inNamespace(resource.getMetadata().getNamespace()).withName(resource.getMetadata().getName()).get();
            Object spec = raw == null ? null : raw.getAdditionalProperties().get("spec");
            if (spec == null) {
                return "spec: missing";
            }
            JSON.convertValue(spec, specType);
            return "spec: does not match the model";
        } catch (IllegalArgumentException e) {
            return e.getCause() instanceof JsonMappingException m ? "spec." + Tolerant.describe(m) : "spec: " + e.getMessage();
        } catch (KubernetesClientException e) {
            return "spec: does not match the model (" + ReconcileErrors.describe(e) + ")";
        }
    }
}
