package io.rightsizer.console;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A console on a free loopback port over an in-memory model, with two users (approver alice, viewer
 * victor) whose file is written with the hashes `rightsizer console hash-password` prints, and an
 * HTTP client that follows no redirect.
 */
final class ConsoleHarness implements AutoCloseable {
    static final String ALICE_PASSWORD = "correct horse battery staple";
    static final String VICTOR_PASSWORD = "tr0ub4dor&3";
    static final Duration IDLE = Duration.ofMinutes(30);
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"");
    private static Users users;

    final InMemoryConsoleModel model;
    final MutableClock clock = new MutableClock(PageRecords.NOW);
    final ConsoleServer server;
    final HttpClient http =
            HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    ConsoleHarness(InMemoryConsoleModel model) throws IOException {
        this(model, null, Locale.ENGLISH);
    }

    ConsoleHarness(InMemoryConsoleModel model, String trustedHeader, Locale locale)
            throws IOException {
        this(model, trustedHeader, locale, users());
    }

    ConsoleHarness(InMemoryConsoleModel model, String trustedHeader, Locale locale, Users users)
            throws IOException {
        this.model = model;
        this.server =
                ConsoleServer.start(
                        model,
                        new ConsoleServer.Options(
                                new InetSocketAddress("127.0.0.1", 0),
                                users,
                                trustedHeader,
                                false,
                                locale,
                                IDLE,
                                clock));
    }

    /** Hashed once per test run: bcrypt is slow on purpose. */
    static synchronized Users users() {
        if (users == null) {
            try {
                users =
                        Users.parse(
                                "users:\n"
                                        + "  - {name: alice, role: approver, password: \""
                                        + Users.hash(ALICE_PASSWORD)
                                        + "\"}\n"
                                        + "  - {name: victor, role: viewer, password: \""
                                        + Users.hash(VICTOR_PASSWORD)
                                        + "\"}\n"
                                        + "  - {name: proxied, role: approver}\n",
                                "test users");
            } catch (ConsoleException e) {
                throw new IllegalStateException(e);
            }
        }
        return users;
    }

    HttpResponse<String> get(String path, String session, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (session != null) {
            b.header("Cookie", ConsoleServer.SESSION_COOKIE + "=" + session);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    HttpResponse<String> post(String path, String session, Map<String, String> form) {
        String body =
                form.entrySet().stream()
                        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                        .collect(Collectors.joining("&"));
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Cookie", ConsoleServer.SESSION_COOKIE + "=" + session);
        }
        return send(b.build());
    }

    /** Signs in and returns the session cookie's value. */
    String signIn(String name, String password) {
        HttpResponse<String> r =
                post("/signin", null, form("username", name, "password", password));
        if (r.statusCode() != 303) {
            throw new AssertionError("sign-in of " + name + " answered " + r.statusCode());
        }
        return sessionCookie(r);
    }

    static String sessionCookie(HttpResponse<?> r) {
        for (String c : r.headers().allValues("Set-Cookie")) {
            if (c.startsWith(ConsoleServer.SESSION_COOKIE + "=")) {
                return c.substring(ConsoleServer.SESSION_COOKIE.length() + 1, c.indexOf(';'));
            }
        }
        return null;
    }

    static String csrf(String page) {
        Matcher m = CSRF.matcher(page);
        if (!m.find()) {
            throw new AssertionError("no CSRF field in the page");
        }
        return m.group(1);
    }

    static Map<String, String> form(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    URI uri(String path) {
        return server.address().resolve(path);
    }

    private HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
