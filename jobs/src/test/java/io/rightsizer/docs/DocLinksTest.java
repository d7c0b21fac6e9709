package io.rightsizer.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the project's Markdown (README, docs/, rules/, schemas/, config/) points
 * at a file that exists, and every anchor at a heading of its page, as GitHub renders them.
 */
class DocLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static final Pattern LINK = Pattern.compile("(?<!!)\\[([^\\]]*)]\\(([^)\\s]+)\\)");
    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)]\\(([^)\\s]+)\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

    private final Map<Path, Set<String>> anchors = new HashMap<>();

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        List<Path> pages = markdownFiles();
        assertThat(pages)
                .contains(ROOT.resolve("README.md"), ROOT.resolve("docs/configuration.md"));
        for (Path page : pages) {
            boolean fenced = false;
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.stripLeading().startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) {
                    continue;
                }
                String text = CODE_SPAN.matcher(line).replaceAll("");
                for (Pattern p : List.of(LINK, IMAGE)) {
                    Matcher m = p.matcher(text);
                    while (m.find()) {
                        String problem = check(page, m.group(2));
                        if (problem != null) {
                            broken.add(
                                    ROOT.relativize(page)
                                            + ":"
                                            + (i + 1)
                                            + ": "
                                            + m.group(2)
                                            + ": "
                                            + problem);
                        }
                    }
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void slugsFollowGitHub() {
        assertThat(slug("For the data center: watching and deciding"))
                .isEqualTo("for-the-data-center-watching-and-deciding");
        assertThat(slug("Watching: `rightsizer tail`")).isEqualTo("watching-rightsizer-tail");
        assertThat(slug("Utilization history (InfluxDB)"))
                .isEqualTo("utilization-history-influxdb");
        assertThat(slug("`ERROR KafkaCommitter - Unable to commit transaction … fenced`"))
                .isEqualTo("error-kafkacommitter---unable-to-commit-transaction--fenced");
        assertThat(slug("Set up on a fresh machine (Java 17 and Maven only)"))
                .isEqualTo("set-up-on-a-fresh-machine-java-17-and-maven-only");
    }

    @Test
    void aBrokenLinkAndAMissingAnchorAreFound() throws IOException {
        Path dir = Files.createTempDirectory("doclinks");
        Path page = dir.resolve("page.md");
        Files.writeString(page, "# Title\n## A section\n");
        assertThat(check(page, "page.md#a-section")).isNull();
        assertThat(check(page, "#title")).isNull();
        assertThat(check(page, "#no-such-section")).isEqualTo("no heading #no-such-section");
        assertThat(check(page, "missing.md")).isEqualTo("no such file");
        assertThat(check(page, "https://example.org/x")).isNull();
    }

    private String check(Path page, String target) {
        if (target.matches("^[a-zA-Z][a-zA-Z+.-]*:.*")) {
            return null;
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (anchor == null || !file.toString().endsWith(".md")) {
            return null;
        }
        return anchorsOf(file).contains(anchor) ? null : "no heading #" + anchor;
    }

    private Set<String> anchorsOf(Path file) {
        return anchors.computeIfAbsent(
                file,
                f -> {
                    Set<String> found = new HashSet<>();
                    Map<String, Integer> seen = new HashMap<>();
                    boolean fenced = false;
                    try {
                        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                            if (line.stripLeading().startsWith("```")) {
                                fenced = !fenced;
                            } else if (!fenced && line.matches("^#{1,6} .*")) {
                                String s = slug(line.replaceFirst("^#{1,6} ", ""));
                                int n = seen.merge(s, 1, Integer::sum);
                                found.add(n == 1 ? s : s + "-" + (n - 1));
                            }
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return found;
                });
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, each space a hyphen. */
    static String slug(String heading) {
        return heading.strip()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\p{M}_\\- ]", "")
                .replace(' ', '-');
    }

    private static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        for (String dir : List.of("docs", "rules", "schemas", "config", "scripts")) {
            Path d = ROOT.resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(d)) {
                s.filter(p -> p.toString().endsWith(".md"))
                        .filter(p -> !p.toString().contains("/target/"))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }
}
