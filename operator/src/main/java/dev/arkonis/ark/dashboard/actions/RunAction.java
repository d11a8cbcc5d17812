package dev.arkonis.ark.dashboard.actions;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.StepStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Something a person can do to a run, or to one of its steps, from its page: one API call made with their own
 * rights. The run page offers each action where {@link #offered} says so, as a button that posts to
 * {@code /namespaces/<ns>/runs/<run>/actions/<name>} (with {@code step}, and {@code comment} when
 * {@link #takesComment}); {@link RunActions} lists them; a new action is one more class.
 */
public interface RunAction {
    enum Scope { RUN, STEP }

    /** Its URL segment. */
    String name();

    /** Its button's text. */
    String label();

    Scope scope();

    /** Whether to offer it for this run (and step, for {@link Scope#STEP}; null otherwise). */
    boolean offered(ArkRun run, StepStatus step);

    /** Whether the button asks for a comment (e.g. a reason for a rejection). */
    default boolean takesComment() {
        return false;
    }

    /**
     * Does it with the person's client; what to tell them once done. An API refusal (403, 409 ...) is thrown as the
     * client's exception and shown plainly; a request that makes no sense for the run as it is now is an
     * {@link IllegalStateException}.
     */
    String perform(KubernetesClient client, ArkRun run, String step, Map<String, String> form);
}
