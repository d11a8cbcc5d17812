package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.agent.AgentVariables;
import dev.arkonis.ark.config.ProcessSettings;
import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.operator.OperatorAssembly;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ark operator --help} and {@code ark agent --help} list the variables their process declares, and only those. */
class EnvironmentHelpTest {
    private static String help(String name, Object command) {
        CommandLine ark = new CommandLine(new Main()).addSubcommand(name, command);
        Main.configure(ark);
        return ark.getSubcommands().get(name).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static void assertLists(String help, ProcessSettings settings) {
        assertThat(help).contains("Environment:");
        for (Setting<?> setting : settings.documented()) {
            assertThat(help).as(setting.name()).contains(setting.name());
        }
        settings.settings().stream().filter(Setting::testKnob)
                .forEach(knob -> assertThat(help).as("a knob of tests").doesNotContain(knob.name()));
    }

    @Test
    void theOperatorsHelpListsItsVariablesWithTheirDefaultsInPlainWords() {
        String help = help("operator", new OperatorCommand(Map.of()));
        assertLists(help, OperatorAssembly.SETTINGS);
        assertThat(help).contains("(default: 10)").doesNotContain("BUDGET_WINDOW_SECONDS").doesNotContain("`")
                .doesNotContain("](#");
    }

    @Test
    void theAgentsHelpListsItsVariables() {
        assertLists(help("agent", new AgentCommand()), AgentVariables.SETTINGS);
    }

    @Test
    void aCommandConfiguredByFlagsHasNoEnvironmentSection() {
        assertThat(help("validate", new ValidateCommand())).doesNotContain("Environment:");
    }
}
