package dev.arkonis.ark.operator;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkTeam;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One object whose field has the wrong type never stops the operator; it is named in the log and skipped. */
class UnreadableObjectTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private MockCluster cluster;

    @BeforeEach
    void start() {
        log.start();
        ((Logger) LoggerFactory.getLogger("operator")).addAppender(log);
        cluster = MockCluster.notStarted(MockCluster.env());
    }

    @AfterEach
    void stop() {
        cluster.close();
        ((Logger) LoggerFactory.getLogger("operator")).detachAppender(log);
    }

    /** As the API server may hold it when its schema is not ours: {@code model} is a list here. */
    private void createWronglyTyped(String kind, String namespace, String name, String specJson) {
        GenericKubernetesResource object = Serialization.unmarshal("""
                {"apiVersion": "arkonis.dev/v1alpha1", "kind": "%s", "metadata": {"name": "%s", "namespace": "%s"},
                 "spec": %s}""".formatted(kind, name, namespace, specJson), GenericKubernetesResource.class);
        Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> type = kind.equals("ArkTeam") ? ArkTeam.class : ArkAgent.class;
        cluster.client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(type)).inNamespace(namespace)
                .resource(object).create();
    }

    private void createGoodTeam(String namespace) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: good, namespace: %s}
                spec:
                  roles: [{name: writer, model: m, provider: mock}]
                  pipeline: [{role: writer, inputs: {prompt: hi}}]
                """.formatted(namespace), ArkTeam.class);
    }

    @Test
    void aWronglyTypedTeamPresentAtStartUpIsNamedAndSkippedWhileTheOthersAreReconciled() {
        createWronglyTyped("ArkTeam", "bad", "broken", """
                {"roles": [{"name": "writer", "model": ["x"]}], "pipeline": [{"role": "writer"}]}""");
        createWronglyTyped("ArkAgent", "bad", "lost", """
                {"model": "m", "replicas": "many"}""");
        createGoodTeam("bad");

        cluster.operator.start();

        eventually().until(() -> cluster.client.resources(ArkAgent.class).inNamespace("bad").withName("good-writer").get() != null);
        eventually().until(() -> cluster.client.apps().deployments().inNamespace("bad").withName("good-writer").get() != null);
        eventually().untilAsserted(() -> assertThat(log.list).map(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).startsWith("cannot read ArkTeam bad/broken: spec.roles[0].model: "))
                .anySatisfy(m -> assertThat(m).startsWith("cannot read ArkAgent bad/lost: spec.replicas: ")));
        eventually().untilAsserted(() -> assertThat(cluster.client.v1().events().inNamespace("bad").list().getItems())
                .filteredOn(e -> "broken".equals(e.getInvolvedObject().getName()))
                .singleElement().satisfies((Event e) -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getReason()).isEqualTo(UnreadableResources.REASON);
                    assertThat(e.getMessage()).startsWith("cannot read spec.roles[0].model: ");
                }));
        assertThat(cluster.client.resources(ArkAgent.class).inNamespace("bad").withName("broken-writer").get())
                .as("nothing is made of the unreadable team").isNull();
        assertThat(cluster.operator.isStarted()).isTrue();
    }

    @Test
    void aWronglyTypedTeamCreatedLaterIsSkippedToo() {
        cluster.operator.start();
        createWronglyTyped("ArkTeam", "later", "broken", """
                {"roles": [{"name": "writer", "model": {"no": 1}}], "pipeline": [{"role": "writer"}]}""");
        createGoodTeam("later");
        eventually().until(() -> cluster.client.resources(ArkAgent.class).inNamespace("later").withName("good-writer").get() != null);
        eventually().untilAsserted(() -> assertThat(log.list).map(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).startsWith("cannot read ArkTeam later/broken: spec.roles[0].model: ")));
    }
}
