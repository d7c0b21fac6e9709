package io.rightsizer.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.cli.CliReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/cli-reference.md is what {@link CliReference} generates from the commands: an option added,
 * renamed or redescribed without the page fails here. {@code scripts/regenerate-docs} (this test
 * with {@code -Dregenerate.docs=true}) rewrites it.
 */
class CliReferenceTest {
    static final Path PAGE = Path.of("..", "docs", "cli-reference.md");

    @Test
    void theCheckedInPageIsWhatTheCommandsGenerate() throws Exception {
        String generated = CliReference.markdown();
        if (Boolean.getBoolean("regenerate.docs")) {
            Files.writeString(PAGE, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(PAGE, StandardCharsets.UTF_8))
                .as("docs/cli-reference.md is out of date: run scripts/regenerate-docs")
                .isEqualTo(generated);
    }

    @Test
    void everyCommandAndSubcommandHasItsSection() {
        String page = CliReference.markdown();
        for (String command :
                new String[] {
                    "rightsizer",
                    "rightsizer run",
                    "rightsizer replay",
                    "rightsizer rules publish",
                    "rightsizer rules status",
                    "rightsizer ingest prometheus",
                    "rightsizer report monthly",
                    "rightsizer decide"
                }) {
            assertThat(page).contains("\n## `" + command + "`\n");
        }
        assertThat(page).doesNotContain("## `rightsizer help`");
    }

    @Test
    void theSameModelGivesTheSamePage() {
        assertThat(CliReference.markdown()).isEqualTo(CliReference.markdown());
    }
}
