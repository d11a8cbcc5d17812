package dev.arkonis.ark.dashboard;

import dev.arkonis.ark.dashboard.view.Frame;
import dev.arkonis.ark.dashboard.web.Guard;
import dev.arkonis.ark.dashboard.web.Secrets;
import dev.arkonis.ark.dashboard.web.WebReply;
import dev.arkonis.ark.dashboard.web.WebRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request of the dashboard, in order: the Host must be ours; static files and the health check need nothing
 * more; sign-in and sign-out; then a session (a cookie that only our own pages send, SameSite=Strict, HttpOnly);
 * a form must also come from our origin and carry the session's CSRF token; then the page or action, made with the
 * session's own client. Nothing secret is logged: not the cookie, not a token, not a code.
 */
public final class Dashboard implements AutoCloseable {
    static final String COOKIE = "ark_session";
    private static final Logger LOG = LoggerFactory.getLogger("dashboard");
    private static final Pattern NAMESPACED = Pattern.compile("^/namespaces/([a-z0-9][-a-z0-9.]{0,252})/(runs|teams|events)/"
            + "([a-z0-9][-a-z0-9._]{0,252})(/[a-z-]+(?:/[a-z-]+)?)?$");

    private final DashboardSettings settings;
    private final Access access;
    private final Sessions sessions;
    private final Guard guard;
    private final Pages pages;
    private final LiveRuns live;

    public Dashboard(DashboardSettings settings, Access access, Sessions sessions) {
        this.settings = settings;
        this.access = access;
        this.sessions = sessions;
        this.guard = new Guard(settings.allowedHosts());
        this.pages = new Pages(settings);
        this.live = new LiveRuns(pages);
    }

    public WebReply handle(WebRequest request) {
        if ("/healthz".equals(request.path())) {
            return WebReply.text(200, "ok");
        }
        if (!guard.hostAllowed(request.header("host"))) {
            return WebReply.text(421, "this dashboard does not answer to the host " + request.header("host")
                    + "; open it by the address ark dashboard printed (or add the name with --allowed-host)");
        }
        if (request.path().startsWith("/static/")) {
            return staticFile(request.path().substring("/static/".length()));
        }
        if (!request.isGet() && !guard.sameOrigin(request)) {
            return WebReply.text(403, "refused: this form did not come from the dashboard's own pages");
        }
        if ("/sign-in".equals(request.path())) {
            return signIn(request);
        }
        Optional<Session> found = sessions.find(request.cookies().get(COOKIE));
        Session session;
        WebReply fresh = null;
        if (found.isPresent()) {
            session = found.get();
        } else if (access.kind() == DashboardSettings.SignIn.NONE) {
            try {
                session = sessions.open(access.signIn(null));
            } catch (SignInRefused e) {
                return WebReply.text(500, e.getMessage());
            }
            fresh = WebReply.text(200, "");
        } else if (request.isGet() && !request.path().endsWith("/live")) {
            return WebReply.redirect("/sign-in");
        } else {
            return WebReply.text(401, "sign in first: your session ended or never began");
        }
        if (!request.isGet() && settings.readOnly() && !"/sign-out".equals(request.path())) {
            return pages.refused(session, "This dashboard is read-only: it was started with --read-only, so it offers no actions.");
        }
        if (!request.isGet() && !Secrets.same(session.csrf(), request.field("csrf"))) {
            return WebReply.text(403, "refused: the form's token does not match this session; reload the page and try again");
        }
        WebReply reply;
        if ("/sign-out".equals(request.path()) && !request.isGet()) {
            sessions.end(session);
            reply = WebReply.redirect(access.kind() == DashboardSettings.SignIn.NONE ? "/runs" : "/sign-in")
                    .withCookie(cookie("", 0, request.secure()));
        } else {
            reply = route(request, session);
        }
        return fresh == null ? reply : reply.withCookie(cookie(session.id(), sessions.maxAge().toSeconds(), request.secure()));
    }

    private WebReply route(WebRequest request, Session session) {
        String path = request.path();
        if (request.isGet()) {
            switch (path) {
                case "/", "" -> {
                    return WebReply.redirect("/runs");
                }
                case "/runs" -> {
                    return pages.runs(request, session);
                }
                case "/teams" -> {
                    return pages.teams(request, session);
                }
                case "/triggers" -> {
                    return pages.triggers(request, session);
                }
                case "/tokens" -> {
                    return pages.tokens(request, session);
                }
                default -> {
                }
            }
        }
        Matcher m = NAMESPACED.matcher(path);
        if (!m.matches()) {
            return pages.notFound(session, "No page at this address.");
        }
        String ns = m.group(1);
        String kind = m.group(2);
        String name = m.group(3);
        String rest = m.group(4) == null ? "" : m.group(4);
        if (request.isGet()) {
            if ("runs".equals(kind) && rest.isEmpty()) {
                return pages.run(request, session, ns, name);
            }
            if ("runs".equals(kind) && "/live".equals(rest)) {
                return live.stream(session, ns, name, request);
            }
            if ("teams".equals(kind) && rest.isEmpty()) {
                return pages.team(session, ns, name, Map.of(), java.util.List.of(), 200);
            }
            return pages.notFound(session, "No page at this address.");
        }
        if (settings.readOnly()) {
            return pages.refused(session, "This dashboard is read-only: it was started with --read-only, so it offers no actions.");
        }
        if ("runs".equals(kind) && rest.startsWith("/actions/")) {
            return pages.runAction(request, session, ns, name, rest.substring("/actions/".length()));
        }
        if ("teams".equals(kind) && "/runs".equals(rest)) {
            return pages.trigger(request, session, ns, name);
        }
        if ("events".equals(kind) && ("/suspend".equals(rest) || "/resume".equals(rest))) {
            return pages.suspend(session, ns, name, "/suspend".equals(rest));
        }
        return pages.notFound(session, "No action at this address.");
    }

    private WebReply signIn(WebRequest request) {
        Frame frame = new Frame("Sign in", "", null, "", null, settings.readOnly(), false);
        boolean token = access.kind() == DashboardSettings.SignIn.TOKEN;
        if (access.kind() == DashboardSettings.SignIn.NONE) {
            return WebReply.redirect("/runs");
        }
        if (request.isGet()) {
            return WebReply.html(200, Templates.render("signin.jte", Map.of("frame", frame, "token", token, "problem", "")));
        }
        try {
            Identity identity = access.signIn(request.field("secret"));
            Session session = sessions.open(identity);
            LOG.info("dashboard: {} signed in", identity.user());
            return WebReply.redirect("/runs").withCookie(cookie(session.id(), sessions.maxAge().toSeconds(), request.secure()));
        } catch (SignInRefused e) {
            return WebReply.html(401, Templates.render("signin.jte", Map.of("frame", frame, "token", token, "problem",
                    e.getMessage())));
        }
    }

    /** The session cookie: only for our own pages (SameSite=Strict), never readable by script, Secure over TLS. */
    static String cookie(String value, long maxAgeSeconds, boolean secure) {
        return COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds
                + (secure ? "; Secure" : "");
    }

    private static WebReply staticFile(String name) {
        String type = name.endsWith(".css") ? "text/css; charset=utf-8"
                : name.endsWith(".js") ? "text/javascript; charset=utf-8" : null;
        if (type == null || !name.matches("[a-z0-9-]+\\.(css|js)")) {
            return WebReply.text(404, "not found");
        }
        try (InputStream in = Dashboard.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                return WebReply.text(404, "not found");
            }
            return new WebReply(200, Map.of("Content-Type", type, "Cache-Control", "no-cache"), java.util.List.of(),
                    in.readAllBytes(), null);
        } catch (IOException e) {
            return WebReply.text(500, "cannot read " + name);
        }
    }

    @Override
    public void close() {
        live.close();
        sessions.close();
        access.close();
    }
}
