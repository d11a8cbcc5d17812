package dev.arkonis.ark.cli;

import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.config.ProcessSettings;
import dev.arkonis.ark.operator.ArkOperator;
import dev.arkonis.ark.operator.OperatorAssembly;
import dev.arkonis.ark.queue.RedisUnavailableException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ark operator}: the in-cluster operator, configured by environment (the chart sets it from its values; the
 * variables are {@link OperatorAssembly#SETTINGS}, listed by {@code --help}).
 */
@Command(name = "operator", mixinStandardHelpOptions = true,
        description = "Run the ark operator (in-cluster). Configured by environment (below).")
public final class OperatorCommand implements Callable<Integer>, EnvironmentHelp.Configured {
    private static final int RUN_FAILED = 1;
    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    public OperatorCommand() {
        this(System.getenv());
    }

    OperatorCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public ProcessSettings environment() {
        return OperatorAssembly.SETTINGS;
    }

    @Override
    public Integer call() throws InterruptedException {
        OperatorAssembly assembly;
        try {
            assembly = OperatorAssembly.fromEnv(env);
        } catch (InvalidSettingException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        ArkOperator operator;
        try {
            operator = assembly.build();
        } catch (RedisUnavailableException e) {
            spec.commandLine().getErr().println("error: TASK_QUEUE_URL: " + e.getMessage());
            return RUN_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.stop();
            stopped.countDown();
        }, "ark-operator-shutdown"));
        operator.start();
        stopped.await();
        return ExitCodes.OK;
    }
}
