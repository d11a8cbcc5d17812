package dev.arkonis.ark.llm;

import dev.arkonis.ark.llm.models.ModelProfile;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A role's models in order: each task goes to the first whose circuit is closed; a failure its retries did not heal
 * (server errors, a rate limit beyond the deadline's budget, a refused connection) opens that model's circuit a step
 * further and moves the task to the next model, and a prompt too long for a model's context window moves it to the
 * next model with a larger one. A failure no other model can heal (a bad key, a bad request) ends it at once. The
 * answer says which model gave it and why the models before it did not.
 */
public final class ModelChain implements LlmProvider, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("llm");
    private static final int MAX_REASON_CHARS = 600;

    /** One model of the chain: what it is, who calls it, and its shared circuit. */
    public record Link(ModelProfile profile, LlmProvider provider, Circuit circuit) {
    }

    private final List<Link> links;
    private final AutoCloseable resources;
    private final Clock clock;

    /** @param resources closed with the chain (the tools its models share) */
    public ModelChain(List<Link> links, AutoCloseable resources, Clock clock) {
        if (links.isEmpty()) {
            throw new IllegalArgumentException("a chain needs a model");
        }
        this.links = List.copyOf(links);
        this.resources = resources;
        this.clock = clock;
    }

    public List<Link> links() {
        return links;
    }

    @Override
    public Completion complete(CompletionRequest request) throws LlmException {
        StringJoiner passed = new StringJoiner("; ");
        LlmException last = null;
        Long tooSmall = null;
        for (Link link : links) {
            ModelProfile model = link.profile();
            if (tooSmall != null && (model.contextWindow() == null || model.contextWindow() <= tooSmall)) {
                passed.add(model.name() + ": context window not larger");
                continue;
            }
            Optional<String> refusal = link.circuit().refusal();
            if (refusal.isPresent()) {
                passed.add(model.name() + ": " + refusal.get());
                last = new LlmException(model.provider().wireName() + ": " + model.name() + ": " + refusal.get(), false);
                continue;
            }
            if (request.deadline() != null && !clock.instant().isBefore(request.deadline())) {
                break;
            }
            try {
                Completion answer = link.provider().complete(request.withModel(model.model()));
                link.circuit().succeeded();
                String reason = passed.length() == 0 ? null : bounded(passed.toString());
                if (reason != null) {
                    LOG.info("{} answered instead: {}", model.name(), reason);
                }
                return answer.answeredBy(model.name(), reason);
            } catch (LlmException e) {
                last = e;
                if (e.isContextTooLong()) {
                    tooSmall = model.contextWindow() == null ? Long.MAX_VALUE : model.contextWindow();
                    passed.add(model.name() + ": prompt too long for its context window");
                } else if (e.isPermanent()) {
                    throw passed.length() == 0 ? e
                            : new LlmException(e.getMessage() + " (after " + bounded(passed.toString()) + ")", true);
                } else {
                    link.circuit().failed(e.getMessage());
                    passed.add(model.name() + ": " + e.getMessage());
                }
            }
        }
        if (links.size() == 1 && last != null) {
            throw last;
        }
        String why = passed.length() == 0 ? "the step's deadline passed" : bounded(passed.toString());
        throw new LlmException("no model of the chain answered: " + why,
                last != null && last.isPermanent() && !last.isContextTooLong());
    }

    /** The first model must exist; a fallback that cannot be verified is only warned about (it may be down now). */
    @Override
    public void verify() throws LlmException {
        links.get(0).provider().verify();
        for (Link link : links.subList(1, links.size())) {
            try {
                link.provider().verify();
            } catch (LlmException e) {
                LOG.warn("fallback model {}: {}", link.profile().name(), e.getMessage());
            }
        }
    }

    private static String bounded(String text) {
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS) + "...";
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            LOG.debug("closing the chain's tools failed: {}", e.toString());
        }
    }

    /** The models' names in order, for logs. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        links.forEach(l -> names.add(l.profile().name()));
        return names;
    }
}
