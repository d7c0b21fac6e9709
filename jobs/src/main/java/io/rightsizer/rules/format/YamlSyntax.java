package io.rightsizer.rules.format;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML reader's error as a {@link YamlNode.SyntaxException}. SnakeYAML's message quotes the
 * document around the error (a snippet of the line and a caret under it): only its place, its
 * problem and its context are kept, and in those any document text is replaced, since the line may
 * be a credential's.
 */
final class YamlSyntax {
    private YamlSyntax() {}

    /** A quoted part of a problem: SnakeYAML quotes a token's name or a character it found. */
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    /** A character with its code, e.g. {@code q(113)}: a character of the document. */
    private static final Pattern CHARACTER = Pattern.compile("(\\S)\\((\\d+)\\)");

    static YamlNode.SyntaxException of(JsonProcessingException e, String key) {
        MarkedYAMLException marked = marked(e);
        if (marked != null && marked.getProblemMark() != null) {
            Mark at = marked.getProblemMark();
            String problem = safe(marked.getProblem());
            String context = marked.getContext();
            Mark from = marked.getContextMark();
            if (context != null) {
                problem +=
                        " ("
                                + safe(context)
                                + (from != null
                                        ? " that starts at "
                                                + (from.getLine() + 1)
                                                + ":"
                                                + (from.getColumn() + 1)
                                        : "")
                                + ")";
            }
            return new YamlNode.SyntaxException(at.getLine() + 1, at.getColumn() + 1, key, problem);
        }
        JsonLocation loc = e.getLocation();
        String original = e.getOriginalMessage();
        int nl = original == null ? -1 : original.indexOf('\n');
        return new YamlNode.SyntaxException(
                loc != null ? loc.getLineNr() : 1,
                loc != null ? loc.getColumnNr() : 1,
                key,
                safe(nl < 0 ? String.valueOf(original) : original.substring(0, nl)));
    }

    private static MarkedYAMLException marked(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m) {
                return m;
            }
        }
        return null;
    }

    /**
     * The message with every quoted part that is not a token's name ({@code '<scalar>'}) or
     * punctuation ({@code '@'}, {@code '\t(TAB)'}) replaced by {@code '…'}, and every character
     * with its code by "a character". SnakeYAML's problems are otherwise fixed sentences.
     */
    static String safe(String message) {
        Matcher q = QUOTED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (q.find()) {
            String inner = q.group(1);
            boolean token = inner.matches("<[a-z ]+>") || inner.matches("[^\\p{Alnum}]{1,3}");
            boolean tab = inner.equals("\\t(TAB)");
            q.appendReplacement(out, Matcher.quoteReplacement(token || tab ? q.group() : "'…'"));
        }
        q.appendTail(out);
        String s = out.toString();
        s = s.replaceAll("unknown escape character " + CHARACTER.pattern(), "an unknown escape");
        s = INDENTATION.matcher(s).replaceAll(m -> safeHint(m.group(1)));
        return CHARACTER.matcher(s).replaceAll("a character");
    }

    /** SnakeYAML's hint after a character that cannot start a token names the character again. */
    private static final Pattern INDENTATION =
            Pattern.compile("\\(Do not use (\\S+) for indentation\\)");

    private static String safeHint(String character) {
        return Matcher.quoteReplacement(
                character.matches("[^\\p{Alnum}]{1,3}") || character.equals("\\t(TAB)")
                        ? "(Do not use " + character + " for indentation)"
                        : "");
    }
}
