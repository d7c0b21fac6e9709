package io.rightsizer.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in sessions, kept in memory only (a restarted console asks everyone to sign in again):
 * random 256-bit ids, a CSRF token per session, expiry after {@code idle} without a request.
 */
final class Sessions {
    /**
     * A signed-in person; {@code pending} is the last decision they published per recommendation.
     */
    static final class Session {
        final String id;
        final Users.User user;
        final String csrf;
        volatile Instant lastSeen;
        final Map<String, ConsoleModel.Published> pending = new ConcurrentHashMap<>();

        Session(String id, Users.User user, String csrf, Instant lastSeen) {
            this.id = id;
            this.user = user;
            this.csrf = csrf;
            this.lastSeen = lastSeen;
        }
    }

    private static final int MAX_SESSIONS = 10_000;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Clock clock;

    Sessions(Duration idle, Clock clock) {
        this.idle = idle;
        this.clock = clock;
    }

    Session create(Users.User user) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
        if (sessions.size() >= MAX_SESSIONS) {
            // Bounded memory: the least recently used session makes room.
            sessions.values().stream()
                    .min((a, b) -> a.lastSeen.compareTo(b.lastSeen))
                    .ifPresent(s -> sessions.remove(s.id));
        }
        Session s = new Session(token(), user, token(), now);
        sessions.put(s.id, s);
        return s;
    }

    /** The live session with this id, its idle time reset; an expired one is forgotten. */
    Optional<Session> get(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s);
    }

    void remove(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    Duration idle() {
        return idle;
    }

    /** Whether a submitted token is the session's, compared in constant time. */
    static boolean sameToken(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private boolean expired(Session s, Instant now) {
        return !s.lastSeen.plus(idle).isAfter(now);
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
