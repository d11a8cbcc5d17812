package dev.arkonis.ark.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.cli.ClusterErrors;
import dev.arkonis.ark.cli.RunInputs;
import dev.arkonis.ark.cli.RunRequest;
import dev.arkonis.ark.cli.WholeOutputs;
import dev.arkonis.ark.dashboard.actions.RunAction;
import dev.arkonis.ark.dashboard.actions.RunActions;
import dev.arkonis.ark.dashboard.view.Frame;
import dev.arkonis.ark.dashboard.view.Links;
import dev.arkonis.ark.dashboard.view.Paging;
import dev.arkonis.ark.dashboard.view.RunPage;
import dev.arkonis.ark.dashboard.view.RunPageBuilder;
import dev.arkonis.ark.dashboard.view.RunsPage;
import dev.arkonis.ark.dashboard.view.TeamPage;
import dev.arkonis.ark.dashboard.view.TeamsPage;
import dev.arkonis.ark.dashboard.web.WebReply;
import dev.arkonis.ark.dashboard.web.WebRequest;
import dev.arkonis.ark.flow.InputResolver;
import dev.arkonis.ark.flow.InvalidInputException;
import dev.arkonis.ark.queue.RedisUnavailableException;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/** Builds each page and performs each action with the session's own client; a refusal is shown as it was given. */
final class Pages {
    static final int RUNS_PER_PAGE = 50;
    private static final String NAME = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
    /** Creation times have whole seconds: runs of the same second by their start, then by name. */
    static final Comparator<RunTable.Row> NEWEST_FIRST = Comparator
            .comparing(RunTable.Row::created, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(RunTable.Row::started, Comparator.nullsFirst(Comparator.reverseOrder()))
            .thenComparing(RunTable.Row::name, Comparator.reverseOrder());

    private final DashboardSettings settings;
    private final WholeOutputs outputs;
    private final TeamsView teams;
    private final RunPageBuilder runPages;
    private final Clock clock = Clock.systemUTC();

    Pages(DashboardSettings settings) {
        this.settings = settings;
        this.outputs = new WholeOutputs(settings.taskQueue());
        this.teams = new TeamsView(new QueueDepths(settings.taskQueue()));
        this.runPages = new RunPageBuilder(RunActions.all(), settings.readOnly());
    }

    boolean readOnly() {
        return settings.readOnly();
    }

    Frame frame(Session session, String title, String section) {
        Session.Notice notice = session.takeNotice();
        return new Frame(title, section, session.identity().user(), session.csrf(),
                notice == null ? null : new Frame.Notice(notice.error(), notice.text()), settings.readOnly(),
                settings.signIn() != DashboardSettings.SignIn.NONE);
    }

    WebReply runs(WebRequest request, Session session) {
        String ns = namespace(request);
        String team = blankToNull(request.param("team"));
        String phase = blankToNull(request.param("phase"));
        if (ns != null && !ns.matches(NAME) || team != null && !team.matches(NAME)) {
            return error(session, "runs", 400, "Not a name", "A namespace or team name has only a-z, 0-9 and '-'.");
        }
        return attempt(session, "runs", "listing runs" + (ns == null ? "" : " in namespace " + ns), () -> {
            Instant now = clock.instant();
            List<RunTable.Row> all = RunTable.list(session.identity().client(), ns, team).stream()
                    .filter(r -> phase == null || phase.equals(r.phase()))
                    .sorted(NEWEST_FIRST).toList();
            Paging paging = Paging.of(parsePage(request.param("page")), RUNS_PER_PAGE, all.size(), p -> Links.with("/runs",
                    Links.params("namespace", request.param("namespace"), "team", team, "phase", phase, "page", String.valueOf(p))));
            List<RunsPage.Row> rows = paging.slice(all).stream().map(r -> row(r, now)).toList();
            long tokens = all.stream().mapToLong(RunTable.Row::tokens).sum();
            List<String> namespaces = all.stream().map(RunTable.Row::namespace).distinct().sorted().toList();
            return WebReply.html(200, Templates.render("runs.jte", new RunsPage(frame(session, "Runs", "runs"), namespaces,
                    ns, team, phase, rows, paging, tokens, ns == null)));
        });
    }

    static RunsPage.Row row(RunTable.Row r, Instant now) {
        boolean running = r.completed() == null && r.started() != null;
        Duration duration = r.started() == null ? null : Duration.between(r.started(), r.completed() == null ? now : r.completed());
        return new RunsPage.Row(r.namespace(), r.name(), Links.run(r.namespace(), r.name()), r.team(),
                Links.team(r.namespace(), r.team()), r.phase(), r.steps(), r.tokens(), r.started(),
                running ? null : duration, running, r.trigger());
    }

    WebReply run(WebRequest request, Session session, String ns, String name) {
        return attempt(session, "runs", "reading run " + name, () -> {
            RunPage page = runPage(request, session, ns, name, frame(session, "Run " + name, "runs"));
            if (page == null) {
                return error(session, "runs", 404, "No run " + name, "There is no run " + name + " in namespace " + ns
                        + " (finished runs beyond the team's history limits are deleted).");
            }
            return WebReply.html(200, Templates.render("run.jte", page));
        });
    }

    /** The run page's model, or null when there is no such run. */
    RunPage runPage(WebRequest request, Session session, String ns, String name, Frame frame) {
        KubernetesClient client = session.identity().client();
        ArkRun run = client.resources(ArkRun.class).inNamespace(ns).withName(name).get();
        if (run == null) {
            return null;
        }
        return runPage(request, client, run, events(client, ns, name), frame);
    }

    RunPage runPage(WebRequest request, KubernetesClient client, ArkRun run, List<Event> events, Frame frame) {
        ArkTeamSpec team = null;
        if (run.getStatus() == null || run.getStatus().teamSpec() == null) {
            try {
                ArkTeam now = client.resources(ArkTeam.class).inNamespace(run.getMetadata().getNamespace())
                        .withName(dev.arkonis.ark.cli.RunViews.team(run)).get();
                team = now == null ? null : now.getSpec();
            } catch (KubernetesClientException mayNotReadTeams) {
                // the graph then waits for the run's own snapshot
            }
        }
        return runPages.build(frame, run, team, events,
                RunPageBuilder.Query.of(request.param("page"), request.param("phase"), request.param("columns")),
                wholeOutputs(), clock.instant());
    }

    static List<Event> events(KubernetesClient client, String ns, String run) {
        try {
            return client.v1().events().inNamespace(ns)
                    .withFields(Map.of("involvedObject.name", run, "involvedObject.kind", "ArkRun")).list().getItems();
        } catch (KubernetesClientException mayNotReadEvents) {
            return List.of();
        }
    }

    BiFunction<ArkRun, StepStatus, Optional<String>> wholeOutputs() {
        return (run, step) -> {
            try {
                return step == null ? outputs.run(run) : outputs.step(run, step);
            } catch (RedisUnavailableException e) {
                return Optional.empty();
            }
        };
    }

    WebReply runAction(WebRequest request, Session session, String ns, String name, String actionName) {
        Optional<RunAction> action = RunActions.named(actionName);
        if (action.isEmpty()) {
            return notFound(session, "No action " + actionName + ".");
        }
        KubernetesClient client = session.identity().client();
        String step = blankToNull(request.field("step"));
        Map<String, String> form = new LinkedHashMap<>();
        request.form().forEach((k, v) -> form.put(k, v.isEmpty() ? "" : v.get(0)));
        String where = Links.run(ns, name);
        try {
            ArkRun run = client.resources(ArkRun.class).inNamespace(ns).withName(name).get();
            if (run == null) {
                return error(session, "runs", 404, "No run " + name, "There is no run " + name + " in namespace " + ns + ".");
            }
            String done = action.get().perform(client, run, step, form);
            session.notice(new Session.Notice(false, done));
            return WebReply.redirect(where + (step == null ? "" : "#step-" + step));
        } catch (IllegalStateException e) {
            return refusedOnRun(request, session, ns, name, 409, e.getMessage());
        } catch (KubernetesClientException e) {
            return refusedOnRun(request, session, ns, name, status(e), refusal(e, session, action.get().label().toLowerCase()
                    + " in namespace " + ns));
        }
    }

    /** The run page again, saying plainly why the action was refused, with the refusal's status. */
    private WebReply refusedOnRun(WebRequest request, Session session, String ns, String name, int status, String why) {
        session.notice(new Session.Notice(true, why));
        try {
            RunPage page = runPage(request, session, ns, name, frame(session, "Run " + name, "runs"));
            if (page != null) {
                return WebReply.html(status, Templates.render("run.jte", page));
            }
        } catch (KubernetesClientException e) {
            // the refusal is what matters: shown on its own below
        }
        return error(session, "runs", status, "Refused", why);
    }

    WebReply teams(WebRequest request, Session session) {
        String ns = namespace(request);
        if (ns != null && !ns.matches(NAME)) {
            return error(session, "teams", 400, "Not a name", "A namespace name has only a-z, 0-9 and '-'.");
        }
        return attempt(session, "teams", "listing teams", () -> WebReply.html(200, Templates.render("teams.jte",
                teams.teams(session.identity().client(), frame(session, "Teams", "teams"), ns))));
    }

    WebReply team(Session session, String ns, String name, Map<String, String> given, List<String> problems, int status) {
        return attempt(session, "teams", "reading team " + name, () -> {
            StringBuilder note = new StringBuilder();
            KubernetesClient client = session.identity().client();
            TeamsPage.Team team = teams.team(client, ns, name, note);
            if (team == null) {
                return error(session, "teams", 404, "No team " + name, "There is no team " + name + " in namespace " + ns + ".");
            }
            Instant now = clock.instant();
            List<RunsPage.Row> runs = RunTable.list(client, ns, name).stream()
                    .sorted(NEWEST_FIRST).limit(10).map(r -> row(r, now)).toList();
            return WebReply.html(status, Templates.render("team.jte", new TeamPage(frame(session, "Team " + name, "teams"),
                    team, runs, note.toString(), given, problems, !settings.readOnly())));
        });
    }

    /** Starts a run from the team page's form: one field per declared input, typed as the team declares it. */
    WebReply trigger(WebRequest request, Session session, String ns, String name) {
        KubernetesClient client = session.identity().client();
        Map<String, String> given = new LinkedHashMap<>();
        request.form().forEach((k, v) -> {
            if (k.startsWith("input.") && !v.isEmpty() && !v.get(0).isEmpty()) {
                given.put(k.substring("input.".length()), v.get(0));
            }
        });
        try {
            ArkTeam team = client.resources(ArkTeam.class).inNamespace(ns).withName(name).get();
            if (team == null || team.getSpec() == null) {
                return error(session, "teams", 404, "No team " + name, "There is no team " + name + " in namespace " + ns + ".");
            }
            List<String> pairs = given.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
            ObjectNode input;
            try {
                input = RunInputs.parse(pairs, team.getSpec().inputList());
                new InputResolver().resolve(team.getSpec().inputList(), input);
            } catch (IllegalArgumentException e) {
                return team(session, ns, name, given, List.of(e.getMessage()), 400);
            } catch (InvalidInputException e) {
                return team(session, ns, name, given, e.problems(), 400);
            }
            ArkRun created = RunRequest.create(client, ns, name, input);
            session.notice(new Session.Notice(false, "Run " + created.getMetadata().getName() + " of team " + name + " started."));
            return WebReply.redirect(Links.run(ns, created.getMetadata().getName()));
        } catch (KubernetesClientException e) {
            return team(session, ns, name, given, List.of(refusal(e, session, "start a run in namespace " + ns)), status(e));
        }
    }

    WebReply triggers(WebRequest request, Session session) {
        String ns = namespace(request);
        if (ns != null && !ns.matches(NAME)) {
            return error(session, "triggers", 400, "Not a name", "A namespace name has only a-z, 0-9 and '-'.");
        }
        return attempt(session, "triggers", "listing ArkEvents and ArkNotifies", () -> WebReply.html(200,
                Templates.render("triggers.jte", TriggersView.page(session.identity().client(),
                        frame(session, "Triggers", "triggers"), ns))));
    }

    /** Suspends or resumes an ArkEvent: a merge patch of spec.suspended with the person's rights. */
    WebReply suspend(Session session, String ns, String name, boolean suspend) {
        String back = Links.with("/triggers", Links.params("namespace", ns));
        try {
            ArkEvent patched = session.identity().client().resources(ArkEvent.class).inNamespace(ns).withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspended\":" + suspend + "}}");
            session.notice(new Session.Notice(false, "ArkEvent " + patched.getMetadata().getName()
                    + (suspend ? " suspended: it fires no more until resumed." : " resumed.")));
            return WebReply.redirect(back);
        } catch (KubernetesClientException e) {
            session.notice(new Session.Notice(true, refusal(e, session, (suspend ? "suspend" : "resume")
                    + " ArkEvent " + name + " in namespace " + ns)));
            return attempt(session, "triggers", "listing ArkEvents", () -> WebReply.html(status(e), Templates.render(
                    "triggers.jte", TriggersView.page(session.identity().client(), frame(session, "Triggers", "triggers"), ns))));
        }
    }

    WebReply tokens(WebRequest request, Session session) {
        String ns = namespace(request);
        String team = blankToNull(request.param("team"));
        if (ns != null && !ns.matches(NAME) || team != null && !team.matches(NAME)) {
            return error(session, "tokens", 400, "Not a name", "A namespace or team name has only a-z, 0-9 and '-'.");
        }
        return attempt(session, "tokens", "reading runs", () -> WebReply.html(200, Templates.render("tokens.jte",
                TokensView.page(session.identity().client(), frame(session, "Tokens", "tokens"), ns, team, request.param("bucket")))));
    }

    WebReply notFound(Session session, String message) {
        return error(session, "", 404, "Not found", message);
    }

    WebReply refused(Session session, String message) {
        return error(session, "", 403, "Refused", message);
    }

    WebReply error(Session session, String section, int status, String heading, String message) {
        return WebReply.html(status, Templates.render("error.jte", Map.of("frame", frame(session, heading, section),
                "heading", heading, "message", message)));
    }

    /** Builds a page; an API failure becomes a page saying what was refused or what failed, with its status. */
    private WebReply attempt(Session session, String section, String what, Supplier<WebReply> page) {
        try {
            return page.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 401 && settings.signIn() == DashboardSettings.SignIn.TOKEN) {
                return WebReply.redirect("/sign-in");
            }
            return error(session, section, status(e), e.getCode() == 403 ? "Not allowed" : "The cluster did not answer",
                    refusal(e, session, what));
        }
    }

    /** "You (user) may not <what>: <the API server's words>"; or why the cluster could not be asked. */
    private String refusal(KubernetesClientException e, Session session, String what) {
        if (e.getCode() == 403) {
            return session.identity().user() + " may not " + what.replaceFirst("^listing ", "list ")
                    .replaceFirst("^reading ", "read ") + " (403 Forbidden): " + ClusterErrors.firstMessage(e);
        }
        return ClusterErrors.describe(e, String.valueOf(session.identity().client().getMasterUrl()), what).message();
    }

    private static int status(KubernetesClientException e) {
        return e.getCode() >= 400 && e.getCode() < 600 ? e.getCode() : 502;
    }

    /** The namespace asked for: ?namespace= (empty: every namespace), else the one the dashboard started with. */
    private String namespace(WebRequest request) {
        List<String> given = request.query().get("namespace");
        if (given != null && !given.isEmpty()) {
            return blankToNull(given.get(0));
        }
        return settings.namespace();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static int parsePage(String page) {
        try {
            return page == null ? 1 : Integer.parseInt(page);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static List<String> copy(List<String> list) {
        return new ArrayList<>(list);
    }
}
