package io.rightsizer.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Who may use the console, from a YAML users file: {@code users: [{name: alice, role: approver,
 * password: "{bcrypt}$2a$10$..."}]}. Only bcrypt hashes are accepted (Spring Security's encoder,
 * the {@code {bcrypt}} prefix of its delegating format), so the file never holds a password; a user
 * without {@code password} can only come in through the trusted proxy header.
 */
public final class Users {
    /** What a signed-in person may do: a viewer reads, an approver also decides. */
    public enum Role {
        VIEWER,
        APPROVER
    }

    public record User(String name, Role role) {}

    private record Entry(User user, String hash) {}

    static final String PREFIX = "{bcrypt}";
    private static final int MAX_PASSWORD_BYTES = 72;
    private static final BCryptPasswordEncoder ENCODER = new BCryptPasswordEncoder();

    private final Map<String, Entry> byName;
    private final String source;

    /**
     * Compared against when the name is unknown, so that an unknown name costs the same bcrypt
     * round as a known one and the answer's timing does not say which names exist.
     */
    private final String decoy;

    private Users(Map<String, Entry> byName, String source) {
        this.byName = byName;
        this.source = source;
        this.decoy = ENCODER.encode("not a password of anyone");
    }

    /** The file's users; the message of a refusal names the file and the entry. */
    public static Users load(Path file) throws ConsoleException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConsoleException(file + ": cannot be read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    static Users parse(String yaml, String source) throws ConsoleException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new ConsoleException(source + ": not YAML: " + firstLine(e.getMessage()));
        }
        JsonNode list = root == null ? null : root.get("users");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new ConsoleException(
                    source + ": needs a non-empty list 'users' of {name, role, password}");
        }
        Map<String, Entry> users = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode u = list.get(i);
            String where = "users[" + i + "]";
            if (!u.isObject()) {
                problems.add(where + " must be a map with name, role and password");
                continue;
            }
            for (Iterator<String> keys = u.fieldNames(); keys.hasNext(); ) {
                String k = keys.next();
                if (!List.of("name", "role", "password").contains(k)) {
                    problems.add(where + ": unknown key '" + k + "' (name, role, password)");
                }
            }
            String name = text(u, "name");
            if (name == null || name.isBlank() || !name.strip().equals(name)) {
                problems.add(where + ".name must be a non-empty name without surrounding blanks");
                continue;
            }
            where = "users[" + i + "] (" + name + ")";
            Role role = role(text(u, "role"));
            if (role == null) {
                problems.add(where + ".role must be viewer or approver");
            }
            String password = text(u, "password");
            String hash = null;
            if (password != null) {
                if (!password.startsWith(PREFIX)
                        || !password.substring(PREFIX.length())
                                .matches("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                    // The value is not echoed: it may be a password written in clear.
                    problems.add(
                            where
                                    + ".password must be a {bcrypt} hash as `rightsizer console"
                                    + " hash-password` prints it");
                } else {
                    hash = password.substring(PREFIX.length());
                }
            }
            if (users.containsKey(name)) {
                problems.add(where + ": the name appears twice");
            }
            if (role != null) {
                users.put(name, new Entry(new User(name, role), hash));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConsoleException(source + ": " + String.join("; ", problems));
        }
        return new Users(Map.copyOf(users), source);
    }

    /** The user whose bcrypt hash matches, else empty; an unknown name takes as long. */
    public Optional<User> authenticate(String name, String password) {
        Entry e = name == null ? null : byName.get(name);
        String hash = e == null || e.hash() == null ? decoy : e.hash();
        boolean ok = matches(password == null ? "" : password, hash);
        return ok && e != null && e.hash() != null ? Optional.of(e.user()) : Optional.empty();
    }

    /** Whether the name is in the file (for the log line of a refused sign-in). */
    public boolean known(String name) {
        return name != null && byName.containsKey(name);
    }

    /** The user a trusted proxy names, with the role the file gives them. */
    public Optional<User> byName(String name) {
        Entry e = name == null ? null : byName.get(name);
        return e == null ? Optional.empty() : Optional.of(e.user());
    }

    public int size() {
        return byName.size();
    }

    public String source() {
        return source;
    }

    /**
     * The users-file form of a password's hash: {@code {bcrypt}$2a$10$...}.
     *
     * @throws IllegalArgumentException when bcrypt cannot take it (empty, over 72 bytes)
     */
    public static String hash(String password) {
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the password is empty");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException(
                    "the password is longer than bcrypt's 72 bytes (UTF-8): choose a shorter one");
        }
        return PREFIX + ENCODER.encode(password);
    }

    private static boolean matches(String password, String hash) {
        try {
            return ENCODER.matches(password, hash);
        } catch (IllegalArgumentException e) {
            // Over bcrypt's 72 bytes: no stored password can be that long.
            return false;
        }
    }

    private static Role role(String s) {
        if (s == null) {
            return null;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "viewer" -> Role.VIEWER;
            case "approver" -> Role.APPROVER;
            default -> null;
        };
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
