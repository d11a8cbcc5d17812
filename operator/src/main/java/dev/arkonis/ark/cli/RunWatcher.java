package dev.arkonis.ark.cli;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.cli.term.Terminal;
import dev.arkonis.ark.flow.StepState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Follows an ArkRun through a watch (no polling) and shows its steps as they change, then a summary. */
final class RunWatcher {
    private final KubernetesClient client;
    private final PrintWriter out;
    private final boolean live;
    private final Terminal terminal;

    RunWatcher(KubernetesClient client, PrintWriter out, boolean live, Terminal terminal) {
        this.client = client;
        this.out = out;
        this.live = live;
        this.terminal = terminal;
    }

    /** The run once it finished, or null when the timeout came first or the run was deleted. */
    ArkRun follow(String namespace, String name, Duration timeout) throws InterruptedException {
        CompletableFuture<ArkRun> done = new CompletableFuture<>();
        Map<String, StepState> shown = new HashMap<>();
        StepDisplay[] display = new StepDisplay[1];
        Watcher<ArkRun> watcher = new Watcher<>() {
            @Override
            public void eventReceived(Action action, ArkRun run) {
                synchronized (shown) {
                    if (action == Action.DELETED) {
                        done.complete(null);
                        return;
                    }
                    show(run, shown, display);
                    if (RunViews.phase(run).isFinished()) {
                        done.complete(run);
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                done.completeExceptionally(cause);
            }
        };
        try (Watch ignored = client.resources(ArkRun.class).inNamespace(namespace).withName(name).watch(watcher)) {
            ArkRun current = client.resources(ArkRun.class).inNamespace(namespace).withName(name).get();
            if (current != null) {
                watcher.eventReceived(Watcher.Action.MODIFIED, current);
            }
            ArkRun finished = done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            closeDisplay(display, shown);
            if (finished != null) {
                out.println();
                out.println(RunViews.summary(finished));
                out.println();
                // where the time went, as at the end of ark run --watch: fits the terminal, or 80 columns in a pipe
                RunViews.timeline(finished, java.time.Instant.now()).lines(live ? terminal.size().columns() : 80)
                        .forEach(out::println);
                if (finished.getStatus().output() != null) {
                    out.println();
                    out.println(finished.getStatus().output());
                }
            } else {
                out.println("run " + name + " was deleted");
            }
            out.flush();
            return finished;
        } catch (TimeoutException e) {
            closeDisplay(display, shown);
            out.println("stopped watching run " + name + " after " + StepLines.format(timeout) + "; it goes on in the cluster");
            out.flush();
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("watch of run " + name + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void show(ArkRun run, Map<String, StepState> shown, StepDisplay[] display) {
        List<StepState> steps = RunViews.steps(run);
        if (steps.isEmpty()) {
            return;
        }
        if (display[0] == null) {
            display[0] = StepDisplay.open(out, live, terminal, steps.stream().map(s -> pending(s)).toList(), false);
        }
        for (StepState step : steps) {
            StepState before = shown.put(step.name(), step);
            if (before == null ? step.phase() != dev.arkonis.ark.api.StepPhase.Pending
                    : !Objects.equals(before.phase(), step.phase()) || before.attempts() != step.attempts()) {
                display[0].stepChanged(step);
            }
        }
    }

    private static void closeDisplay(StepDisplay[] display, Object lock) {
        synchronized (lock) {
            if (display[0] != null) {
                display[0].close();
            }
        }
    }

    private static StepState pending(StepState s) {
        return new StepState(s.name(), s.role(), dev.arkonis.ark.api.StepPhase.Pending, null, 0, 0, null, null, null,
                null, null, dev.arkonis.ark.api.TokenUsage.ZERO);
    }
}
