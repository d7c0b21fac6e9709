package io.rightsizer.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed sign-ins in a sliding window, per user name and per client address. Past either limit the
 * console refuses to check further passwords for that name or from that address until the oldest
 * failure in the window has aged out, so a password cannot be guessed faster than {@link #PER_NAME}
 * tries per {@link #WINDOW} and per name, whatever bcrypt's cost on the hardware at hand.
 *
 * <p>A name is counted whether or not it is in the users file, so the answer does not tell which
 * names exist. The price: anyone who can reach the sign-in form can keep one person out for a
 * window by failing with their name; a single sign-on proxy ({@code --trusted-header}) has no such
 * form. A successful sign-in clears its name's failures. The keys are bounded ({@link #MAX_KEYS},
 * the oldest dropped first), so a stream of made-up names cannot exhaust memory.
 */
final class SignInThrottle {
    static final int PER_NAME = 5;
    static final int PER_ADDRESS = 30;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int MAX_KEYS = 10_000;

    /** Failure instants (epoch ms, oldest first) per key, least recently failed key first. */
    private final Map<String, ArrayDeque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * How long until {@code name} may try again from {@code address}; {@link Duration#ZERO} when it
     * may now.
     */
    synchronized Duration wait(String name, String address, Instant now) {
        long t = now.toEpochMilli();
        long wait =
                Math.max(
                        waitFor(nameKey(name), PER_NAME, t),
                        waitFor(addressKey(address), PER_ADDRESS, t));
        return Duration.ofMillis(wait);
    }

    synchronized void failed(String name, String address, Instant now) {
        long t = now.toEpochMilli();
        add(nameKey(name), t);
        add(addressKey(address), t);
    }

    synchronized void succeeded(String name) {
        failures.remove(nameKey(name));
    }

    private long waitFor(String key, int limit, long now) {
        ArrayDeque<Long> q = failures.get(key);
        if (q == null) {
            return 0;
        }
        prune(q, now);
        if (q.isEmpty()) {
            failures.remove(key);
            return 0;
        }
        return q.size() < limit ? 0 : q.peekFirst() + WINDOW.toMillis() - now;
    }

    private void add(String key, long now) {
        ArrayDeque<Long> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        prune(q, now);
        q.addLast(now);
        // Never more than the largest limit: the window only needs the newest ones.
        while (q.size() > PER_ADDRESS) {
            q.removeFirst();
        }
        if (failures.size() > MAX_KEYS) {
            Iterator<String> oldest = failures.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private static void prune(ArrayDeque<Long> q, long now) {
        while (!q.isEmpty() && q.peekFirst() + WINDOW.toMillis() <= now) {
            q.removeFirst();
        }
    }

    private static String nameKey(String name) {
        return "name:" + name;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    synchronized int keys() {
        return failures.size();
    }
}
