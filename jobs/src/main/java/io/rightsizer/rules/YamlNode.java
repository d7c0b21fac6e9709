package io.rightsizer.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
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

    public static YamlNode parse(String text) throws IOException {
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new YamlNode(Kind.NULL, 1, 1, null, null, null, null);
            }
            return read(p);
        }
    }

    private static YamlNode read(JsonParser p) throws IOException {
        JsonLocation loc = p.currentTokenLocation();
        int line = loc.getLineNr();
        int col = loc.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT:
                {
                    Map<String, YamlNode> entries = new LinkedHashMap<>();
                    Map<String, int[]> keyLocs = new LinkedHashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        JsonLocation kl = p.currentTokenLocation();
                        String key = p.currentName();
                        p.nextToken();
                        YamlNode value = read(p);
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
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(read(p));
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
