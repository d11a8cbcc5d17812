package dev.arkonis.ark.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print ark's version (as ark --version).")
final class VersionCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "text|json|yaml", description = "text, json or yaml.")
    String output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Optional<OutputChoice> choice = OutputChoice.resolve(output, null, null, spec.commandLine().getErr(),
                OutputFormat.text, OutputFormat.json, OutputFormat.yaml);
        if (choice.isEmpty() || choice.get().file() != null) {
            return ExitCodes.INVALID;
        }
        if (choice.get().format().isDocument()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("version", Main.Version.number());
            doc.put("java", System.getProperty("java.version"));
            spec.commandLine().getOut().println(Printed.as(choice.get().format(), doc));
        } else {
            spec.commandLine().getOut().println("ark " + Main.Version.number());
        }
        return ExitCodes.OK;
    }
}
