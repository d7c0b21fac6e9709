package io.rightsizer.rules.format;

import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.RuleSetException.Problem;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * The checks every YAML file of the rules package (rule files, the service catalog) shares: reading
 * the document with its locations, and reporting unknown keys with a did-you-mean.
 */
public final class YamlChecks {
    private YamlChecks() {}

    /**
     * The document's root node; a duplicate key or a YAML syntax error is the file's only problem.
     */
    static YamlNode readRoot(String yaml, String file) throws RuleSetException {
        try {
            return YamlNode.parse(yaml);
        } catch (YamlNode.DuplicateKeyException e) {
            throw new RuleSetException(
                    List.of(new Problem(file, e.line, e.column, "duplicate key '" + e.key + "'")));
        } catch (IOException e) {
            throw new RuleSetException(List.of(RuleSetParser.notYaml(file, e)));
        }
    }

    /**
     * The document's root, which must be a mapping (or, when {@code emptyAllowed}, nothing at all:
     * then a NULL node); otherwise the only problem is {@code "<expected>; found <kind>"}.
     */
    static YamlNode readMapping(String yaml, String file, String expected, boolean emptyAllowed)
            throws RuleSetException {
        YamlNode root = readRoot(yaml, file);
        if (root.kind() == YamlNode.Kind.MAP
                || (emptyAllowed && root.kind() == YamlNode.Kind.NULL)) {
            return root;
        }
        throw new RuleSetException(
                List.of(
                        new Problem(
                                file,
                                root.line(),
                                root.column(),
                                expected + "; found " + root.describeKind())));
    }

    /**
     * Adds a problem for each key of {@code map} not in {@code allowed}, at the key, naming the
     * nearest allowed key or, when none is near, all of them.
     */
    public static void unknownKeys(
            YamlNode map,
            Collection<String> allowed,
            String where,
            String file,
            List<Problem> problems) {
        for (String key : map.entries().keySet()) {
            if (!allowed.contains(key)) {
                int[] loc = map.keyLocation(key);
                String hint = DidYouMean.closest(key, allowed);
                problems.add(
                        new Problem(
                                file,
                                loc[0],
                                loc[1],
                                "unknown key '"
                                        + key
                                        + "' in "
                                        + where
                                        + (hint != null
                                                ? " (did you mean '" + hint + "'?)"
                                                : " (known: " + String.join(", ", allowed) + ")")));
            }
        }
    }
}
