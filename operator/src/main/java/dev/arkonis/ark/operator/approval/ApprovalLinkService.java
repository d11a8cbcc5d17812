package dev.arkonis.ark.operator.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.flow.ApprovalDecision;
import dev.arkonis.ark.http.HttpCall;
import dev.arkonis.ark.http.HttpReply;
import dev.arkonis.ark.http.HttpService;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /approvals/<token>} on the operator's webhook port: GET shows what the step asks and a form (never decides,
 * so a chat's link preview cannot), POST decides ({@code decision=approve|reject}, optional {@code comment}; a form
 * or a JSON body, so a webhook can too). 401 for a token the key did not sign, 410 once it expired, 404 when its run
 * is gone (or is another run of the same name), 409 when the step no longer waits (or asks again, after a retry). The decision is written as the
 * annotation a person would write, with {@code link:<notify>} as who decided, which only the operator may write.
 */
public final class ApprovalLinkService implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger("operator");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TemplateEngine PAGES = TemplateEngine.createPrecompiled(null, ContentType.Html,
            ApprovalLinkService.class.getClassLoader(), "dev.arkonis.ark.dashboard.pages");

    private final ApprovalLinks links;
    private final KubernetesClient client;
    private final Clock clock;

    public ApprovalLinkService(ApprovalLinks links, KubernetesClient client, Clock clock) {
        this.links = links;
        this.client = client;
        this.clock = clock;
    }

    /** Whether a request is for this service: the rest of the webhook port's paths are not. */
    public static boolean serves(String path) {
        return path.startsWith(ApprovalLinks.PATH);
    }

    @Override
    public Optional<HttpReply> atOnce(HttpCall head) {
        if (token(head).isEmpty()) {
            return Optional.of(failure(404, "not found"));
        }
        if (!"GET".equals(head.method()) && !"POST".equals(head.method())) {
            return Optional.of(failure(405, "use GET to see the question, POST to decide").withHeader("Allow", "GET, POST"));
        }
        return Optional.empty();
    }

    /** The signature and the expiry, before any of the body is read. */
    @Override
    public Optional<HttpReply> screen(HttpCall head) {
        Optional<ApprovalLinks.Grant> grant = links.read(token(head).orElseThrow());
        if (grant.isEmpty()) {
            return Optional.of(failure(401, "this is not an approval link ark signed"));
        }
        if (!clock.instant().isBefore(grant.get().expires())) {
            return Optional.of(failure(410, "this approval link expired at " + grant.get().expires()));
        }
        return Optional.empty();
    }

    @Override
    public HttpReply answer(HttpCall call) {
        ApprovalLinks.Grant grant = links.read(token(call).orElseThrow()).orElseThrow();
        ArkRun run = client.resources(ArkRun.class).inNamespace(grant.namespace()).withName(grant.run()).get();
        if (run == null || !grant.uid().equals(run.getMetadata().getUid())) {
            return failure(404, "run " + grant.run() + " of this link no longer exists");
        }
        StepStatus step = run.getStatus() == null || run.getStatus().steps() == null ? null : run.getStatus().steps()
                .stream().filter(s -> grant.step().equals(s.name())).findFirst().orElse(null);
        String question = step == null || step.approval() == null ? null : step.approval().message();
        if (step == null || step.phase() != StepPhase.WaitingForApproval
                || (step.attempts() == null ? 1 : step.attempts()) != grant.asking()) {
            return page(409, "Step " + grant.step() + " of run " + grant.run() + " does not wait for approval", question,
                    step == null ? "The run has no such step now." : "It is " + step.phase()
                            + (step.message() == null ? "." : ": " + step.message()), false, call);
        }
        if ("GET".equals(call.method())) {
            return page(200, "Step " + grant.step() + " of run " + grant.run() + " (namespace " + grant.namespace()
                    + ") asks for approval", question, null, true, call);
        }
        Map<String, String> form;
        try {
            form = form(call);
        } catch (IOException | IllegalArgumentException e) {
            return failure(400, "the body is neither a form nor a JSON object: " + e.getMessage());
        }
        String decision = form.getOrDefault("decision", "");
        String comment = form.getOrDefault("comment", "").strip();
        if (!decision.equals("approve") && !decision.equals("reject")) {
            return failure(400, "decision must be approve or reject");
        }
        if (comment.length() > ApprovalDecision.MAX_COMMENT_CHARS) {
            return failure(400, "the comment is " + comment.length() + " characters; at most "
                    + ApprovalDecision.MAX_COMMENT_CHARS);
        }
        try {
            decide(grant, decision.equals("reject"), comment);
        } catch (KubernetesClientException e) {
            // another decision came first: the admission policy keeps the first one
            LOG.info("approval link for step {} of run {}/{} refused by the API server: {}", grant.step(),
                    grant.namespace(), grant.run(), e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
            return page(409, "Step " + grant.step() + " of run " + grant.run() + " was not " + decision + "d", question,
                    "The cluster refused the decision; someone else may have decided the step first.", false, call);
        }
        return page(200, "Step " + grant.step() + " of run " + grant.run() + (decision.equals("reject") ? " rejected"
                : " approved"), question, "Recorded as " + grant.decider() + ".", false, call);
    }

    private void decide(ApprovalLinks.Grant grant, boolean reject, String comment) {
        String name = Ark.decisionName(grant.step(), grant.asking());
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put((reject ? Ark.ANNOTATION_REJECT_PREFIX : Ark.ANNOTATION_APPROVE_PREFIX) + name, grant.decider());
        if (!comment.isEmpty()) {
            annotations.put(Ark.ANNOTATION_COMMENT_PREFIX + name, comment);
        }
        Map<String, Object> patch = Map.of("metadata", Map.of("uid", grant.uid(), "annotations", annotations));
        client.resources(ArkRun.class).inNamespace(grant.namespace()).withName(grant.run())
                .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.valueToTree(patch).toString());
    }

    private static Optional<String> token(HttpCall call) {
        String path = call.path();
        if (!serves(path)) {
            return Optional.empty();
        }
        String token = path.substring(ApprovalLinks.PATH.length());
        return token.isEmpty() || token.contains("/") ? Optional.empty() : Optional.of(token);
    }

    private static Map<String, String> form(HttpCall call) throws IOException {
        String type = call.header("Content-Type") == null ? "" : call.header("Content-Type");
        Map<String, String> form = new HashMap<>();
        if (type.startsWith("application/json")) {
            JsonNode body = JSON.readTree(call.body());
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            body.fields().forEachRemaining(f -> form.put(f.getKey(), f.getValue().asText()));
            return form;
        }
        for (String pair : new String(call.body(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    /** A page for people, or the same in JSON for a webhook that asked for JSON. */
    private HttpReply page(int status, String title, String question, String note, boolean ask, HttpCall call) {
        String accept = call.header("Accept");
        if (accept != null && accept.contains("application/json") && !accept.contains("text/html")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put(status < 300 ? "result" : "error", title);
            if (note != null) {
                body.put("note", note);
            }
            return HttpReply.json(status, JSON.valueToTree(body).toString().getBytes(StandardCharsets.UTF_8));
        }
        Map<String, Object> params = new HashMap<>();
        params.put("title", title);
        params.put("question", question);
        params.put("note", note);
        params.put("ask", ask);
        StringOutput out = new StringOutput(4096);
        PAGES.render("approval.jte", params, out);
        return secured(new HttpReply(status, "text/html; charset=utf-8", out.toString().getBytes(StandardCharsets.UTF_8),
                Map.of()));
    }

    @Override
    public HttpReply failure(int status, String message) {
        return secured(HttpReply.text(status, message + "\n"));
    }

    /** The link is the secret: no Referer carries it, nothing caches the page, nothing frames or scripts it. */
    private static HttpReply secured(HttpReply reply) {
        return reply.withHeader("Referrer-Policy", "no-referrer").withHeader("Cache-Control", "no-store")
                .withHeader("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'")
                .withHeader("X-Content-Type-Options", "nosniff");
    }
}
