package dev.arkonis.ark.flow;

import static dev.arkonis.ark.flow.Directories.capability;
import static dev.arkonis.ark.flow.Directories.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ArkRegistrySpec;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.RegistryRef;
import dev.arkonis.ark.api.Routing;
import dev.arkonis.ark.flow.RegistryIndex.NamedRegistry;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Which agents of a namespace a run may choose among, and which registry policy applies, as registries decide. */
class RegistryIndexTest {
    private static final List<NamespaceAgent> AGENTS = List.of(
            new NamespaceAgent("billing-expert", null, null, spec(List.of(capability("billing")), null)),
            new NamespaceAgent("plain-helper", null, null, spec(List.of(), null)),
            new NamespaceAgent("support-triage", "support", "triage", spec(List.of(capability("triage")), null)),
            new NamespaceAgent("sales-closer", "sales", "closer", spec(List.of(capability("billing")), null)));

    private static ArkTeamSpec team(Routing routing) {
        return new ArkTeamSpec(null, null, null, null, null, null, null, null, null, null, null, routing, null, null);
    }

    private static NamedRegistry registry(String name, Integer maxDepth, Boolean crossTeam) {
        return new NamedRegistry(name, new ArkRegistrySpec(null, new ArkRegistrySpec.Policy(maxDepth, crossTeam)));
    }

    private static List<String> names(List<DirectoryAgent> agents) {
        return agents.stream().map(DirectoryAgent::name).toList();
    }

    private static StaticDirectory directory(Routing routing, NamedRegistry... registries) {
        return RegistryIndex.directory("support", team(routing), AGENTS, List.of(registries), ref -> 0,
                new ConcurrentHashMap<>());
    }

    @Test
    void aRegistryListsTheAgentsThatDeclareCapabilitiesWhateverTheirTeam() {
        assertThat(RegistryIndex.indexed(AGENTS)).extracting(NamespaceAgent::name)
                .containsExactly("billing-expert", "sales-closer", "support-triage");
    }

    @Test
    void aRunChoosesAmongStandaloneAgentsAndItsOwnTeamsAndOtherTeamsOnlyWhenEveryApplyingRegistryAllowsIt() {
        assertThat(names(directory(null).all())).containsExactly("billing-expert", "plain-helper", "support-triage");
        assertThat(names(directory(null, registry("a", null, true)).indexed()))
                .containsExactly("billing-expert", "sales-closer", "support-triage");
        assertThat(names(directory(null, registry("a", null, true), registry("b", null, false)).indexed()))
                .as("the strictest registry wins").containsExactly("billing-expert", "support-triage");
        assertThat(directory(null, registry("a", null, true)).find("sales-closer")).get()
                .satisfies(a -> assertThat(a.ref().queue("ns", "support")).isEqualTo("ns.sales.closer"));
        assertThat(directory(null).find("billing-expert")).get()
                .satisfies(a -> assertThat(a.ref().queue("ns", "support")).isEqualTo("ns.billing-expert"));
    }

    @Test
    void aRoutedTeamKeepsToTheRegistryItNamesAndSaysWhenItIsMissing() {
        Routing routing = new Routing(new RegistryRef("ops"), "m", null);
        StaticDirectory named = directory(routing, registry("ops", 2, true), registry("strict", 1, false));
        assertThat(named.maxDepth()).hasValue(2);
        assertThat(names(named.indexed())).contains("sales-closer");
        assertThat(named.registryProblem()).isEmpty();
        StaticDirectory missing = directory(routing, registry("strict", 1, false));
        assertThat(missing.registryProblem()).contains("ArkRegistry \"ops\" was not found");
        assertThat(missing.maxDepth()).isEmpty();
        assertThat(directory(null, registry("a", 4, null), registry("b", 2, null)).maxDepth()).hasValue(2);
    }
}
