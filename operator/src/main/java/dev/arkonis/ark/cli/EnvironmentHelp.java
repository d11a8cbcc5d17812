package dev.arkonis.ark.cli;

import dev.arkonis.ark.config.ProcessSettings;
import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.config.SettingsTable;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.Column.Overflow;

/** The {@code Environment:} section of the help of a command configured by environment, from its declared variables. */
final class EnvironmentHelp implements CommandLine.IHelpSectionRenderer {
    static final String SECTION = "environment";
    private static final int NAME_WIDTH = 36;
    private static final int WIDTH = 100;

    /** A command whose process is configured by these variables. */
    interface Configured {
        ProcessSettings environment();
    }

    private final ProcessSettings settings;

    private EnvironmentHelp(ProcessSettings settings) {
        this.settings = settings;
    }

    /** Adds the section to every command of the tree that is configured by environment. */
    static void addTo(CommandLine commandLine) {
        if (commandLine.getCommand() instanceof Configured configured) {
            commandLine.getHelpSectionMap().put(SECTION, new EnvironmentHelp(configured.environment()));
            List<String> keys = new ArrayList<>(commandLine.getHelpSectionKeys());
            keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), SECTION);
            commandLine.setHelpSectionKeys(keys);
        }
        commandLine.getSubcommands().values().forEach(EnvironmentHelp::addTo);
    }

    @Override
    public String render(Help help) {
        Help.TextTable table = Help.TextTable.forColumns(help.colorScheme(),
                new Column(NAME_WIDTH, 2, Overflow.SPAN), new Column(WIDTH - NAME_WIDTH, 1, Overflow.WRAP));
        for (Setting<?> setting : settings.documented()) {
            String shown = setting.shown().isEmpty() ? "" : setting.shown().equals("required") ? " (required)"
                    : " (default: " + setting.shown() + ")";
            table.addRowValues(setting.name(), SettingsTable.plain(setting.meaning() + shown));
        }
        return "%nEnvironment:%n".formatted() + table;
    }
}
