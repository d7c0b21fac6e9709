package io.rightsizer.rules;

import io.rightsizer.rules.format.RuleSetParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Decides whether a published rule set replaces the one in force: the same validation as {@code
 * rightsizer rules validate}, an intact document, and a version newer than the one in force ({@link
 * RuleSetVersions}). Pure: every parallel instance of the job reaches the same decision.
 */
public final class RuleUpdates {
    private RuleUpdates() {}

    /** The outcome, and the rule set in force after it. */
    public record Decision(boolean accepted, RuleSet inForce, String reason) {
        static Decision accept(RuleSet rules) {
            return new Decision(true, rules, null);
        }

        static Decision reject(RuleSet inForce, String reason) {
            return new Decision(false, inForce, reason);
        }
    }

    /**
     * @param version the envelope's version
     * @param document the rule file's YAML
     * @param sha256 the envelope's lowercase hex SHA-256 of the document's UTF-8 bytes
     */
    public static Decision decide(RuleSet inForce, String version, String document, String sha256) {
        if (document == null || document.isBlank()) {
            return Decision.reject(inForce, "the update carries no rule file");
        }
        String actual = sha256Hex(document);
        if (sha256 == null || !actual.equalsIgnoreCase(sha256)) {
            return Decision.reject(
                    inForce,
                    "the document does not match its sha256 (envelope "
                            + sha256
                            + ", document "
                            + actual
                            + "): it was altered or truncated");
        }
        RuleSet candidate;
        try {
            candidate = RuleSetParser.parse(document, "rule set " + version);
        } catch (RuleSetException e) {
            return Decision.reject(
                    inForce,
                    "the rule file fails validation ("
                            + e.problems().size()
                            + " problem"
                            + (e.problems().size() == 1 ? "" : "s")
                            + "):\n"
                            + e.getMessage());
        }
        if (!candidate.version().equals(version)) {
            return Decision.reject(
                    inForce,
                    "the envelope's version '"
                            + version
                            + "' differs from the rule file's version '"
                            + candidate.version()
                            + "'");
        }
        int c = RuleSetVersions.compare(candidate.version(), inForce.version());
        if (c <= 0) {
            return Decision.reject(
                    inForce,
                    "version '"
                            + candidate.version()
                            + "' is "
                            + (c == 0 ? "the version in force" : "older than the version in force")
                            + " ('"
                            + inForce.version()
                            + "'): a published rule set needs a newer version (see"
                            + " rules/README.md, Versions)");
        }
        return Decision.accept(candidate);
    }

    /**
     * The rule set to resume with after a restart: the one restored from the job's state, unless
     * the configuration now names a newer version (an upgrade rolled out through the config file).
     */
    public static RuleSet onRestore(RuleSet configured, RuleSet restored) {
        if (restored == null) {
            return configured;
        }
        return RuleSetVersions.isNewer(configured.version(), restored.version())
                ? configured
                : restored;
    }

    /** Lowercase hex SHA-256 of the document's UTF-8 bytes. */
    public static String sha256Hex(String document) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(document.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
