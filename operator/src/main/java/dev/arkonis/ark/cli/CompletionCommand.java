package dev.arkonis.ark.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script.",
                "bash: source <(ark completion bash)",
                "zsh:  source <(ark completion zsh)",
                "fish: ark completion fish | source"})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh, fish }

    @Parameters(index = "0", paramLabel = "bash|zsh|fish", description = "The shell.")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.commandLine().getParent();
        String script = switch (shell) {
            // picocli's script serves zsh too, through bashcompinit
            case bash, zsh -> AutoComplete.bash("ark", root);
            case fish -> FishCompletion.script(root.getCommandSpec());
        };
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
