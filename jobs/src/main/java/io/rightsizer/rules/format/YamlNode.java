package io.rightsizer.rules.format;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where each node stands, so that validation messages can
 * say {@code file:line:column}. Jackson's own tree model forgets locations.
 */
public final class YamlNode {
    public enum Kind {
        MAP,
        LIST,
        STRING,
        NUMBER,
        BOOLEAN,
        NULL
    }

    private final Kind kind;
    private final int line;
    private final int column;
    private final Object scalar;
    private final Map<String, YamlNode> entries;
    private final Map<String, int[]> keyLocations;
    private final List<YamlNode> items;

    private YamlNode(
            Kind kind,
            int line,
            int column,
            Object scalar,
            Map<String, YamlNode> entries,
            Map<String, int[]> keyLocations,
            List<YamlNode> items) {
        this.kind = kind;
        this.line = line;
        this.column = column;
        this.scalar = scalar;
        this.entries = entries;
        this.keyLocations = keyLocations;
        this.items = items;
    }

    /**
     * The document's tree.
     *
     * @throws DuplicateKeyException when a mapping has a key twice
     * @throws SyntaxException when the text is not YAML: its place and problem, never the text
     */
    public static YamlNode parse(String text) throws IOException {
        List<String> path = new ArrayList<>();
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new YamlNode(Kind.NULL, 1, 1, null, null, null, null);
            }
            return read(p, path);
        } catch (JsonProcessingException e) {
            throw YamlSyntax.of(e, String.join("", path));
        }
    }

    /**
     * A YAML syntax error: where it is, the last key read before it and what is wrong, but not the
     * text around it, which the YAML reader's own message quotes and which may hold a secret (an
     * unescaped quote in a JAAS string is easy to write). The reader's exception is not kept.
     */
    public static final class SyntaxException extends IOException {
        public final int line;
        public final int column;

        /** The dotted path of the last key read before the error, empty if none. */
        public final String key;

        /** What is wrong, in the YAML reader's words without any text of the document. */
        public final String problem;

        SyntaxException(int line, int column, String key, String problem) {
            super(line + ":" + column + ": " + problem);
            this.line = line;
            this.column = column;
            this.key = key;
            this.problem = problem;
        }

        /**
         * {@code not valid YAML[ after key 'k']: problem}, for a {@code file:line:col: } prefix.
         */
        public String describe() {
            return "not valid YAML"
                    + (key.isEmpty() ? "" : " after key '" + key + "'")
                    + ": "
                    + problem;
        }
    }

    private static YamlNode read(JsonParser p, List<String> path) throws IOException {
        JsonLocation loc = p.currentTokenLocation();
        int line = loc.getLineNr();
        int col = loc.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT:
                {
                    Map<String, YamlNode> entries = new LinkedHashMap<>();
                    Map<String, int[]> keyLocs = new LinkedHashMap<>();
                    int depth = path.size();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        JsonLocation kl = p.currentTokenLocation();
                        String key = p.currentName();
                        truncate(path, depth);
                        path.add(depth == 0 ? key : "." + key);
                        p.nextToken();
                        YamlNode value = read(p, path);
                        if (entries.containsKey(key)) {
                            throw new DuplicateKeyException(key, kl.getLineNr(), kl.getColumnNr());
                        }
                        entries.put(key, value);
                        keyLocs.put(key, new int[] {kl.getLineNr(), kl.getColumnNr()});
                    }
                    return new YamlNode(Kind.MAP, line, col, null, entries, keyLocs, null);
                }
            case START_ARRAY:
                {
                    List<YamlNode> items = new ArrayList<>();
                    int depth = path.size();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        truncate(path, depth);
                        path.add("[" + items.size() + "]");
                        items.add(read(p, path));
                    }
                    return new YamlNode(Kind.LIST, line, col, null, null, null, items);
                }
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new YamlNode(Kind.NUMBER, line, col, p.getNumberValue(), null, null, null);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new YamlNode(Kind.BOOLEAN, line, col, p.getBooleanValue(), null, null, null);
            case VALUE_NULL:
                return new YamlNode(Kind.NULL, line, col, null, null, null, null);
            default:
                return new YamlNode(Kind.STRING, line, col, p.getText(), null, null, null);
        }
    }

    /**
     * Keeps the first {@code depth} parts of the path: the key being read at that depth replaces
     * the one before it, whose value is complete.
     */
    private static void truncate(List<String> path, int depth) {
        while (path.size() > depth) {
            path.remove(path.size() - 1);
        }
    }

    /** A key that appears twice in one mapping: YAML forbids it, Jackson would keep the last. */
    public static final class DuplicateKeyException extends IOException {
        public final String key;
        public final int line;
        public final int column;

        DuplicateKeyException(String key, int line, int column) {
            super("duplicate key '" + key + "'");
            this.key = key;
            this.line = line;
            this.column = column;
        }
    }

    public Kind kind() {
        return kind;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public Object scalar() {
        return scalar;
    }

    public Map<String, YamlNode> entries() {
        return entries;
    }

    /** Line and column of a key of this mapping. */
    public int[] keyLocation(String key) {
        return keyLocations.get(key);
    }

    public List<YamlNode> items() {
        return items;
    }

    public String describeKind() {
        return switch (kind) {
            case MAP -> "a mapping";
            case LIST -> "a list";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "empty";
        };
    }
}
