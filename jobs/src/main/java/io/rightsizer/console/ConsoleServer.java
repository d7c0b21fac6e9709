package io.rightsizer.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rightsizer.schema.DecisionState;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approval console's HTTP server: the JDK's own {@link HttpServer} (no web framework), a
 * bounded pool of request threads, capped request bodies, sign-in and sessions, and the pages.
 */
public final class ConsoleServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    static final String SESSION_COOKIE = "rightsizer_session";
    static final String LANG_COOKIE = "lang";
    static final int MAX_BODY = 16 * 1024;
    static final int MAX_COMMENT = 2000;
    private static final int THREADS = 8;
    private static final Pattern REC =
            Pattern.compile("/recommendations/([0-9a-f]{32})(/trail|/decide)?");

    static {
        // Read once by the JDK server when its first instance is made: a request must arrive
        // within 30 s and an answer be taken within 60 s, or the connection is closed.
        System.setProperty(
                "sun.net.httpserver.maxReqTime",
                System.getProperty("sun.net.httpserver.maxReqTime", "30"));
        System.setProperty(
                "sun.net.httpserver.maxRspTime",
                System.getProperty("sun.net.httpserver.maxRspTime", "60"));
        System.setProperty(
                "sun.net.httpserver.maxReqHeaders",
                System.getProperty("sun.net.httpserver.maxReqHeaders", "100"));
    }

    /**
     * How the console is served.
     *
     * @param trustedHeader the header a reverse proxy sets to the signed-in user's name; null to
     *     ignore every such header
     * @param secureCookies whether cookies carry Secure (the console is reached over https)
     * @param idle how long a session lives without a request
     */
    public record Options(
            InetSocketAddress listen,
            Users users,
            String trustedHeader,
            boolean secureCookies,
            Locale defaultLocale,
            Duration idle,
            Clock clock) {}

    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private final ConsoleModel model;
    private final Options options;
    private final Sessions sessions;
    private final SignInThrottle throttle = new SignInThrottle();

    private ConsoleServer(
            HttpServer server, ThreadPoolExecutor pool, ConsoleModel model, Options o) {
        this.server = server;
        this.pool = pool;
        this.model = model;
        this.options = o;
        this.sessions = new Sessions(o.idle(), o.clock());
    }

    public static ConsoleServer start(ConsoleModel model, Options options) throws IOException {
        HttpServer server = HttpServer.create(options.listen(), 64);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(
                        THREADS,
                        THREADS,
                        60,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(64),
                        r -> {
                            Thread t = new Thread(r, "console-http-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        },
                        // A full queue slows the accepting thread down rather than dropping.
                        new ThreadPoolExecutor.CallerRunsPolicy());
        pool.allowCoreThreadTimeOut(true);
        server.setExecutor(pool);
        ConsoleServer console = new ConsoleServer(server, pool, model, options);
        server.createContext("/", console::handle);
        server.start();
        return console;
    }

    /** Where the console answers, e.g. http://127.0.0.1:8090/. */
    public URI address() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(1);
        pool.shutdownNow();
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            route(x);
        } catch (Exchanges.TooLarge e) {
            Exchanges.html(x, 413, ListPages.error(view(x, null), "error.title", "413"));
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error(
                    "console: {} {} failed", x.getRequestMethod(), x.getRequestURI().getPath(), e);
            Exchanges.html(
                    x,
                    500,
                    ListPages.error(
                            view(x, null), "error.title", messages(x).get("error.internal")));
        } finally {
            x.close();
        }
    }

    private void route(HttpExchange x) throws IOException, Exchanges.TooLarge {
        String path = x.getRequestURI().getPath();
        String method = x.getRequestMethod();
        boolean get = method.equals("GET") || method.equals("HEAD");
        boolean post = method.equals("POST");
        if (path.startsWith("/static/")) {
            asset(x, path);
            return;
        }
        if (path.equals("/signin") && (get || post)) {
            if (post) {
                signIn(x);
            } else {
                Exchanges.html(x, 200, ListPages.signIn(view(x, null), null, trusted()));
            }
            return;
        }
        Sessions.Session s = session(x);
        if (s == null) {
            if (get) {
                Exchanges.redirect(x, "/signin");
            } else {
                Exchanges.html(x, 403, ListPages.error(view(x, null), "error.forbidden", "403"));
            }
            return;
        }
        Page.View v = view(x, s);
        Matcher rec = REC.matcher(path);
        if (path.equals("/signout") && post) {
            Map<String, String> form = Exchanges.form(x, MAX_BODY);
            if (!Sessions.sameToken(s.csrf, form.get("csrf"))) {
                Exchanges.html(
                        x, 403, ListPages.error(v, "error.forbidden", v.m().get("error.csrf")));
                return;
            }
            sessions.remove(s.id);
            x.getResponseHeaders().add("Set-Cookie", cookie(SESSION_COOKIE, "", 0));
            Exchanges.redirect(x, "/signin");
        } else if (path.equals("/") && get) {
            Exchanges.html(x, 200, InboxPage.render(v, model, Exchanges.query(x)));
        } else if (path.equals("/notices") && get) {
            Exchanges.html(x, 200, ListPages.notices(v, model.notices()));
        } else if (path.equals("/silent") && get) {
            Exchanges.html(x, 200, ListPages.silent(v, model.silentVms()));
        } else if (rec.matches()) {
            recommendation(x, v, rec.group(1), rec.group(2), get, post);
        } else if (get || post) {
            Exchanges.html(
                    x, 404, ListPages.error(v, "error.not-found", v.m().get("error.no-page")));
        } else {
            x.getResponseHeaders().set("Allow", "GET, POST");
            Exchanges.html(x, 405, ListPages.error(v, "error.title", "405"));
        }
    }

    private void recommendation(
            HttpExchange x, Page.View v, String id, String sub, boolean get, boolean post)
            throws IOException, Exchanges.TooLarge {
        Optional<ConsoleModel.RecommendationDetail> d = model.recommendation(id);
        if (d.isEmpty()) {
            Exchanges.html(
                    x,
                    404,
                    ListPages.error(v, "error.not-found", v.m().get("error.no-recommendation")));
            return;
        }
        if (sub == null && get) {
            String published = Exchanges.query(x).get("published");
            ConsoleModel.Published p = v.session().pending.get(id);
            if (p == null || !String.valueOf(p.offset()).equals(published)) {
                p = null;
            }
            Exchanges.html(x, 200, RecommendationPage.render(v, model, d.get(), p, null));
        } else if ("/trail".equals(sub) && get) {
            Exchanges.html(x, 200, RecommendationPage.trail(v.m(), d.get().trail()));
        } else if ("/decide".equals(sub) && post) {
            decide(x, v, d.get());
        } else {
            x.getResponseHeaders()
                    .set("Allow", sub == null || "/trail".equals(sub) ? "GET" : "POST");
            Exchanges.html(x, 405, ListPages.error(v, "error.title", "405"));
        }
    }

    /**
     * Checks what the console can check itself (CSRF token, role, reason, date), publishes the
     * decision under the signed-in name, and sends the browser back to the page to watch for the
     * job's answer.
     */
    private void decide(HttpExchange x, Page.View v, ConsoleModel.RecommendationDetail d)
            throws IOException, Exchanges.TooLarge {
        Messages m = v.m();
        Map<String, String> form = Exchanges.form(x, MAX_BODY);
        Sessions.Session s = v.session();
        if (!Sessions.sameToken(s.csrf, form.get("csrf"))) {
            LOG.warn(
                    "console: a decision by {} without the session's CSRF token refused",
                    s.user.name());
            refuse(x, v, d, 403, m.get("error.csrf"));
            return;
        }
        if (s.user.role() != Users.Role.APPROVER) {
            LOG.warn("console: a decision by viewer {} refused", s.user.name());
            refuse(x, v, d, 403, m.get("decision.viewer"));
            return;
        }
        String id = d.item().recommendation().getRecommendationId();
        String comment = form.getOrDefault("comment", "").strip();
        if (comment.length() > MAX_COMMENT) {
            refuse(x, v, d, 400, m.get("decision.comment-too-long", MAX_COMMENT));
            return;
        }
        DecisionState state;
        Instant until = null;
        switch (form.getOrDefault("decision", "")) {
            case "approve" -> state = DecisionState.APPROVED;
            case "implemented" -> state = DecisionState.IMPLEMENTED;
            case "reject" -> {
                state = DecisionState.REJECTED;
                if (comment.isEmpty()) {
                    refuse(x, v, d, 400, m.get("decision.reason-required"));
                    return;
                }
            }
            case "defer" -> {
                state = DecisionState.DEFERRED;
                until = deferUntil(form.get("until"));
                if (until == null) {
                    refuse(x, v, d, 400, m.get("decision.date-required"));
                    return;
                }
                if (!until.isAfter(options.clock().instant())) {
                    refuse(x, v, d, 400, m.get("decision.date-past"));
                    return;
                }
            }
            default -> {
                refuse(x, v, d, 400, m.get("decision.unknown"));
                return;
            }
        }
        ConsoleModel.Published p;
        try {
            p =
                    model.decide(
                            new ConsoleModel.DecisionRequest(
                                    id,
                                    state,
                                    s.user.name(),
                                    comment.isEmpty() ? null : comment,
                                    until));
        } catch (ConsoleException e) {
            LOG.warn(
                    "console: {} of {} by {} not published: {}",
                    state,
                    id,
                    s.user.name(),
                    e.getMessage());
            refuse(x, v, d, 503, m.get("decision.not-published", e.getMessage()));
            return;
        }
        LOG.info(
                "console: {} of {} by {} published at offset {}",
                state,
                id,
                s.user.name(),
                p.offset());
        s.pending.put(id, p);
        Exchanges.redirect(x, "/recommendations/" + id + "?published=" + p.offset());
    }

    /** The day chosen in the date field, from its start in Asia/Shanghai; null when not a date. */
    static Instant deferUntil(String day) {
        if (day == null || day.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(day.strip()).atStartOfDay(Messages.ZONE).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private void refuse(
            HttpExchange x,
            Page.View v,
            ConsoleModel.RecommendationDetail d,
            int status,
            String why)
            throws IOException {
        Exchanges.html(x, status, RecommendationPage.render(v, model, d, null, why));
    }

    private void signIn(HttpExchange x) throws IOException, Exchanges.TooLarge {
        Map<String, String> form = Exchanges.form(x, MAX_BODY);
        String name = form.getOrDefault("username", "").strip();
        Duration wait = throttle.wait(name, remote(x), options.clock().instant());
        if (!wait.isZero()) {
            // Refused before the password is checked: a guess costs neither bcrypt's time nor a
            // chance.
            LOG.warn(
                    "console: sign-in refused for {} s after repeated failures from {}",
                    wait.toSeconds(),
                    remote(x));
            long minutes = Math.max(1, (wait.toSeconds() + 59) / 60);
            x.getResponseHeaders().set("Retry-After", String.valueOf(wait.toSeconds() + 1));
            Page.View v = view(x, null);
            Exchanges.html(
                    x,
                    429,
                    ListPages.signIn(
                            v, v.m().get("signin.throttled", String.valueOf(minutes)), trusted()));
            return;
        }
        Optional<Users.User> user = options.users().authenticate(name, form.get("password"));
        if (user.isEmpty()) {
            throttle.failed(name, remote(x), options.clock().instant());
            // Only a known name is logged: an unknown one may be a password typed in the wrong box.
            if (options.users().known(name)) {
                LOG.warn(
                        "console: sign-in of {} refused (wrong password) from {}", name, remote(x));
            } else {
                LOG.warn(
                        "console: sign-in refused for a name not in the users file from {}",
                        remote(x));
            }
            Page.View v = view(x, null);
            Exchanges.html(x, 401, ListPages.signIn(v, v.m().get("signin.failed"), trusted()));
            return;
        }
        throttle.succeeded(name);
        Sessions.Session s = sessions.create(user.get());
        LOG.info("console: {} ({}) signed in from {}", name, user.get().role(), remote(x));
        x.getResponseHeaders().add("Set-Cookie", cookie(SESSION_COOKIE, s.id, -1));
        Exchanges.redirect(x, "/");
    }

    /**
     * The session of the cookie; with a trusted header configured and present, the user it names (a
     * session is made for them, so that their forms carry a CSRF token too).
     */
    private Sessions.Session session(HttpExchange x) {
        Sessions.Session s = sessions.get(Exchanges.cookie(x, SESSION_COOKIE)).orElse(null);
        String header = trusted() == null ? null : x.getRequestHeaders().getFirst(trusted());
        if (header == null) {
            return s;
        }
        Optional<Users.User> user = options.users().byName(header.strip());
        if (user.isEmpty()) {
            LOG.warn("console: the proxy's user is not in the users file; refused");
            return null;
        }
        if (s != null && s.user.equals(user.get())) {
            return s;
        }
        s = sessions.create(user.get());
        x.getResponseHeaders().add("Set-Cookie", cookie(SESSION_COOKIE, s.id, -1));
        return s;
    }

    private String trusted() {
        return options.trustedHeader();
    }

    private Page.View view(HttpExchange x, Sessions.Session s) {
        return new Page.View(
                messages(x), s, x.getRequestURI().getPath(), options.clock().instant());
    }

    /** ?lang= (remembered in a cookie), else the cookie, else the configured default. */
    private Messages messages(HttpExchange x) {
        String lang = Exchanges.query(x).get("lang");
        Locale chosen = locale(lang);
        if (chosen != null) {
            // Not with the exchange's attributes: the JDK server shares those across requests.
            String set = cookie(LANG_COOKIE, chosen.toLanguageTag(), 365 * 86400);
            if (!x.getResponseHeaders().getOrDefault("Set-Cookie", List.of()).contains(set)) {
                x.getResponseHeaders().add("Set-Cookie", set);
            }
            return Messages.of(chosen);
        }
        chosen = locale(Exchanges.cookie(x, LANG_COOKIE));
        return Messages.of(chosen != null ? chosen : options.defaultLocale());
    }

    /** en or zh-CN; anything else null. */
    static Locale locale(String tag) {
        if (tag == null) {
            return null;
        }
        return switch (tag) {
            case "en" -> Messages.EN;
            case "zh-CN" -> Messages.ZH_CN;
            default -> null;
        };
    }

    private String cookie(String name, String value, long maxAge) {
        return name
                + "="
                + value
                + "; Path=/; HttpOnly; SameSite=Strict"
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "")
                + (options.secureCookies() ? "; Secure" : "");
    }

    private void asset(HttpExchange x, String path) throws IOException {
        String type =
                switch (path) {
                    case "/static/console.css" -> "text/css; charset=utf-8";
                    case "/static/trail.js" -> "text/javascript; charset=utf-8";
                    default -> null;
                };
        if (type == null) {
            Exchanges.send(x, 404, "text/plain; charset=utf-8", new byte[0]);
            return;
        }
        byte[] body;
        try (InputStream in = ConsoleServer.class.getResourceAsStream(path.substring(1))) {
            body = in.readAllBytes();
        }
        x.getResponseHeaders().set("Cache-Control", "max-age=300");
        Exchanges.send(x, 200, type, body);
    }

    private static String remote(HttpExchange x) {
        return x.getRemoteAddress().getAddress().getHostAddress();
    }
}
