package dev.arkonis.ark.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** A fish completion script from the command tree (picocli writes bash and zsh ones, not fish). */
final class FishCompletion {
    private FishCompletion() {
    }

    static String script(CommandSpec root) {
        StringBuilder fish = new StringBuilder("# fish completion for ark: ark completion fish | source\n");
        String name = root.name();
        fish.append("complete -c ").append(name).append(" -f\n");
        for (var entry : root.subcommands().entrySet()) {
            fish.append("complete -c ").append(name).append(" -n '__fish_use_subcommand' -a ").append(entry.getKey())
                    .append(" -d ").append(quote(description(entry.getValue().getCommandSpec()))).append('\n');
        }
        for (OptionSpec option : root.options()) {
            fish.append(option(name, "__fish_use_subcommand", option));
        }
        for (var entry : root.subcommands().entrySet()) {
            String condition = "__fish_seen_subcommand_from " + entry.getKey();
            CommandSpec sub = entry.getValue().getCommandSpec();
            for (OptionSpec option : sub.options()) {
                if (!option.hidden()) {
                    fish.append(option(name, condition, option));
                }
            }
            sub.positionalParameters().forEach(p -> {
                if (p.completionCandidates() != null) {
                    List<String> values = new ArrayList<>();
                    p.completionCandidates().forEach(values::add);
                    fish.append("complete -c ").append(name).append(" -n '").append(condition).append("' -a ")
                            .append(quote(String.join(" ", values))).append('\n');
                } else if (p.paramLabel().contains("file")) {
                    fish.append("complete -c ").append(name).append(" -n '").append(condition).append("' -F\n");
                }
            });
        }
        return fish.toString();
    }

    private static String option(String command, String condition, OptionSpec option) {
        StringBuilder line = new StringBuilder("complete -c ").append(command).append(" -n '").append(condition).append('\'');
        for (String n : option.names()) {
            line.append(n.startsWith("--") ? " -l " + n.substring(2) : " -s " + n.substring(1));
        }
        if (option.arity().max() > 0) {
            line.append(" -r");
            if (option.completionCandidates() != null) {
                List<String> values = new ArrayList<>();
                option.completionCandidates().forEach(values::add);
                line.append(" -a ").append(quote(String.join(" ", values)));
            } else if (option.paramLabel().contains("file")) {
                line.append(" -F");
            }
        }
        String description = option.description().length == 0 ? "" : option.description()[0];
        if (!description.isEmpty()) {
            line.append(" -d ").append(quote(description));
        }
        return line.append('\n').toString();
    }

    private static String description(CommandSpec spec) {
        String[] lines = spec.usageMessage().description();
        return lines.length == 0 ? "" : lines[0];
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

}
