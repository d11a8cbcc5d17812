package dev.arkonis.ark.cli;

import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.flow.ApprovalDecision;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.local.Approver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Asks a person at the terminal, one approval step at a time: the step's rendered message, {@code approve? [y/N]},
 * then an optional comment. The live display steps aside while a question is open. Only {@code y} or {@code yes}
 * approves. A step decided meanwhile (its timeout) makes its open question moot: the answer typed is then ignored.
 */
final class TerminalApprover implements Approver {
    private record Question(StepState step, Consumer<ApprovalDecision> decide) {
    }

    private final BufferedReader in;
    private final PrintWriter out;
    private final StepDisplay display;
    private final String user;
    private final Clock clock;
    private final BlockingQueue<Question> questions = new LinkedBlockingQueue<>();
    private volatile String asking;
    private Thread thread;

    /** @param display the live display to hold while asking, or null */
    TerminalApprover(BufferedReader in, PrintWriter out, StepDisplay display, String user, Clock clock) {
        this.in = in;
        this.out = out;
        this.display = display;
        this.user = user;
        this.clock = clock;
    }

    @Override
    public synchronized void ask(StepState step, Consumer<ApprovalDecision> decide) {
        questions.add(new Question(step, decide));
        if (thread == null) {
            thread = DaemonThreads.named("ark-approvals").newThread(this::askInTurn);
            thread.start();
        }
    }

    @Override
    public void settled(StepState step) {
        questions.removeIf(q -> q.step().name().equals(step.name()));
        if (step.name().equals(asking)) {
            asking = null;
            synchronized (out) {
                out.println();
                out.println("step " + step.name() + " no longer waits: " + (step.message() == null ? step.phase() : step.message())
                        + " (press Enter)");
                out.flush();
            }
            release();
        }
    }

    private void askInTurn() {
        try {
            while (true) {
                Question question = questions.take();
                String name = question.step().name();
                asking = name;
                hold();
                synchronized (out) {
                    out.println();
                    out.println("step " + name + " asks for approval:");
                    question.step().approval().message().lines().forEach(line -> out.println("  " + line));
                    out.print("approve? [y/N] ");
                    out.flush();
                }
                String answer = in.readLine();
                if (answer == null) {
                    release();
                    return; // stdin closed: nobody is there; the step's timeout decides
                }
                if (!name.equals(asking)) {
                    continue;
                }
                boolean approved = answer.strip().toLowerCase(Locale.ROOT).matches("y|yes");
                synchronized (out) {
                    out.print(approved ? "comment (optional): " : "why (optional): ");
                    out.flush();
                }
                String comment = in.readLine();
                if (!name.equals(asking)) {
                    continue;
                }
                asking = null;
                release();
                question.decide().accept(approved
                        ? ApprovalDecision.approve(name, user, comment, clock.instant())
                        : ApprovalDecision.reject(name, user, comment, clock.instant()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            release();
        }
    }

    private void hold() {
        if (display != null) {
            display.hold();
        }
    }

    private void release() {
        if (display != null) {
            display.release();
        }
    }
}
