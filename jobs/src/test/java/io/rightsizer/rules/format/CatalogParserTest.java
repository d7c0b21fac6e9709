package io.rightsizer.rules.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.sizing.ByteSize;
import io.rightsizer.rules.sizing.Catalog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the service catalog: the shipped file, sizes, and every kind of problem. */
class CatalogParserTest {

    static final String FILE = "config/catalog.yaml";
    static final Path SHIPPED = Path.of("..", "config", "catalog.yaml");

    static final long GIB = Catalog.GIB;
    static final long TIB = Catalog.TIB;

    /** A valid catalog; the problem tests change one line of it. */
    static final String MINIMAL =
            """
            memory:
              sizes: [1GiB, 2GiB]
            storage:
              step: 50GiB
              min: 50GiB
              max: 1TiB
            """;

    static Catalog parse(String yaml) throws RuleSetException {
        return CatalogParser.parse(yaml, FILE);
    }

    static List<String> problems(String yaml) {
        RuleSetException e = catchThrowableOfType(RuleSetException.class, () -> parse(yaml));
        assertThat(e).as("expected the catalog to be refused").isNotNull();
        return e.problems().stream().map(RuleSetException.Problem::toString).toList();
    }

    /** The only problem reported, as {@code file:line:column: message}. */
    static String onlyProblem(String yaml) {
        List<String> p = problems(yaml);
        assertThat(p).hasSize(1);
        return p.get(0);
    }

    /** {@link #MINIMAL} with memory sizes as given. */
    static String withMemorySizes(String sizes) {
        return MINIMAL.replace("[1GiB, 2GiB]", sizes);
    }

    /** {@link #MINIMAL} followed by a targets section with these lines (indented by two). */
    static String withTargets(String lines) {
        StringBuilder sb = new StringBuilder(MINIMAL).append("targets:\n");
        for (String line : lines.split("\n")) {
            sb.append("  ").append(line).append('\n');
        }
        return sb.toString();
    }

    @Nested
    class Shipped {
        @Test
        void shippedCatalogParsesToTheDefaults() throws Exception {
            Catalog c = CatalogParser.parse(SHIPPED);

            assertThat(c).isEqualTo(Catalog.defaults());
            assertThat(c.memorySizes())
                    .containsExactly(
                            GIB, 2 * GIB, 4 * GIB, 8 * GIB, 16 * GIB, 32 * GIB, 64 * GIB, 128 * GIB,
                            256 * GIB);
            assertThat(c.storage()).isEqualTo(new Catalog.Steps(50 * GIB, 50 * GIB, 16 * TIB));
            assertThat(c.memoryScaleUp()).isEqualTo(new Catalog.MemoryTarget(60, 80));
            assertThat(c.memoryScaleDown()).isEqualTo(new Catalog.MemoryTarget(70, 80));
            assertThat(c.storageUsageAtMostPct()).isEqualTo(60.0);
            assertThat(c.majorChangeAbovePct()).isEqualTo(50.0);
        }

        @Test
        void shippedStorageRunsFromFiftyGibToTheLastMultipleBelowSixteenTib() throws Exception {
            Catalog.Steps s = (Catalog.Steps) CatalogParser.parse(SHIPPED).storage();

            assertThat(s.smallest()).isEqualTo(50 * GIB);
            assertThat(s.largest()).isEqualTo(16_350 * GIB);
            assertThat(ByteSize.format(s.largest())).isEqualTo("16350 GiB");
        }

        @Test
        void omittedTargetsTakeTheirDefaults() throws Exception {
            Catalog c = parse(MINIMAL);

            assertThat(c.memorySizes()).containsExactly(GIB, 2 * GIB);
            assertThat(c.memoryScaleUp()).isEqualTo(Catalog.DEFAULT_MEMORY_SCALE_UP);
            assertThat(c.memoryScaleDown()).isEqualTo(Catalog.DEFAULT_MEMORY_SCALE_DOWN);
            assertThat(c.storageUsageAtMostPct()).isEqualTo(60.0);
            assertThat(c.majorChangeAbovePct()).isEqualTo(50.0);
        }

        @Test
        void partlyGivenTargetKeepsTheDefaultOfTheOtherLimit() throws Exception {
            Catalog c = parse(withTargets("memory-scale-down: {peak-at-most-pct: 75}"));

            assertThat(c.memoryScaleDown()).isEqualTo(new Catalog.MemoryTarget(70, 75));
            assertThat(c.memoryScaleUp()).isEqualTo(new Catalog.MemoryTarget(60, 80));
        }

        @Test
        void scaleDownAverageAbovePeakIsAllowed() throws Exception {
            Catalog c =
                    parse(
                            withTargets(
                                    "memory-scale-down: {average-at-most-pct: 90,"
                                            + " peak-at-most-pct: 80}"));

            assertThat(c.memoryScaleDown()).isEqualTo(new Catalog.MemoryTarget(90, 80));
        }

        @Test
        void storageGivenAsAListOfSizes() throws Exception {
            Catalog c =
                    parse(
                            """
                            memory:
                              sizes: [4GiB]
                            storage:
                              sizes: [100GiB, 250GiB, 500GiB, 1TiB]
                            """);

            assertThat(c.storage())
                    .isEqualTo(new Catalog.Sizes(List.of(100 * GIB, 250 * GIB, 500 * GIB, TIB)));
        }

        @Test
        void boundariesOfThePercentagesAreAccepted() throws Exception {
            Catalog c =
                    parse(
                            withTargets(
                                    """
                                    memory-scale-up: {average-at-most-pct: 0, peak-at-most-pct: 100}
                                    storage: {usage-at-most-pct: 100}
                                    major-change-above-pct: 0\
                                    """));

            assertThat(c.memoryScaleUp()).isEqualTo(new Catalog.MemoryTarget(0, 100));
            assertThat(c.storageUsageAtMostPct()).isEqualTo(100.0);
            assertThat(c.majorChangeAbovePct()).isEqualTo(0.0);
        }
    }

    @Nested
    class Sizes {
        @ParameterizedTest
        @CsvSource({
            "1073741824, 1073741824",
            "1024B, 1024",
            "512MiB, 536870912",
            "4GiB, 4294967296",
            "4 GiB, 4294967296",
            "1TiB, 1099511627776",
            "2KiB, 2048",
            "1PiB, 1125899906842624",
            "500GB, 500000000000",
            "1TB, 1000000000000",
            "3MB, 3000000",
            "7kB, 7000",
            "1PB, 1000000000000000"
        })
        void binaryAndDecimalUnitsAndPlainBytesAreRead(String written, long bytes)
                throws Exception {
            Catalog c = parse(withMemorySizes("[" + written + "]"));

            assertThat(c.memorySizes()).containsExactly(bytes);
        }

        @ParameterizedTest
        @CsvSource({
            "1073741824, 1 GiB",
            "16350GiB, 16350 GiB",
            "16TiB, 16 TiB",
            "500GB, 500 GB",
            "1TB, 1 TB",
            "1536MiB, 1536 MiB",
            "1023, 1023 B"
        })
        void sizesAreFormattedExactlyInTheLargestUnitThatDividesThem(String written, String text)
                throws Exception {
            long bytes = parse(withMemorySizes("[" + written + "]")).memorySizes().get(0);

            assertThat(ByteSize.format(bytes)).isEqualTo(text);
        }

        @ParameterizedTest
        @ValueSource(strings = {"4gb", "4KB", "1.5GiB", "GiB", "4 GiB s", "four"})
        void unparsableSizeIsRefused(String written) {
            assertThat(onlyProblem(withMemorySizes("[\"" + written + "\"]")))
                    .isEqualTo(
                            "config/catalog.yaml:2:11: memory.sizes[0] '"
                                    + written
                                    + "' is not a size (a whole number of bytes, or with a unit:"
                                    + " KiB, MiB, GiB, TiB, PiB (binary) or kB, MB, GB, TB, PB"
                                    + " (decimal), e.g. 4GiB)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "0GiB", "-1", "-4GiB"})
        void nonPositiveSizeIsRefused(String written) {
            assertThat(onlyProblem(withMemorySizes("[" + written + "]")))
                    .isEqualTo(
                            "config/catalog.yaml:2:11: memory.sizes[0] is "
                                    + written
                                    + ": a size must be positive");
        }

        @Test
        void sizeBeyondALongIsRefused() {
            assertThat(onlyProblem(withMemorySizes("[8192PiB]")))
                    .isEqualTo(
                            "config/catalog.yaml:2:11: memory.sizes[0] is 8192PiB: a size must be"
                                    + " at most 9223372036854775807 bytes");
        }
    }

    @Nested
    class Problems {
        @Test
        void unknownTopLevelKeySuggestsTheNearestKey() {
            assertThat(onlyProblem(MINIMAL + "target:\n  major-change-above-pct: 40\n"))
                    .isEqualTo(
                            "config/catalog.yaml:7:1: unknown key 'target' in the catalog file"
                                    + " (did you mean 'targets'?)");
        }

        @Test
        void unknownKeyFarFromAnyListsTheKnownKeys() {
            assertThat(onlyProblem(MINIMAL + "colour: blue\n"))
                    .isEqualTo(
                            "config/catalog.yaml:7:1: unknown key 'colour' in the catalog file"
                                    + " (known: memory, storage, targets)");
        }

        @Test
        void unknownTargetParameterSuggestsTheNearestKey() {
            assertThat(onlyProblem(withTargets("memory-scale-up: {peak-at-most: 75}")))
                    .isEqualTo(
                            "config/catalog.yaml:8:21: unknown key 'peak-at-most' in"
                                    + " targets.memory-scale-up (did you mean"
                                    + " 'peak-at-most-pct'?)");
        }

        @Test
        void misspeltStorageKeyIsReportedAndItsValueNotUsed() {
            assertThat(problems(MINIMAL.replace("  max: 1TiB", "  maxx: 1TiB")))
                    .containsExactly(
                            "config/catalog.yaml:4:3: storage.step needs storage.max (the smallest"
                                    + " and largest size that may be allocated)",
                            "config/catalog.yaml:6:3: unknown key 'maxx' in storage (did you mean"
                                    + " 'max'?)");
        }

        @Test
        void catalogThatIsNotAMappingIsRefused() {
            assertThat(onlyProblem("- 1GiB\n"))
                    .isEqualTo(
                            "config/catalog.yaml:1:1: a catalog file is a mapping with memory,"
                                    + " storage and targets; found a list");
        }

        @Test
        void duplicateKeyIsRefused() {
            assertThat(onlyProblem(MINIMAL + "memory:\n  sizes: [4GiB]\n"))
                    .isEqualTo("config/catalog.yaml:7:1: duplicate key 'memory'");
        }

        @Test
        void missingMemoryAndStorageAreBothReported() {
            assertThat(problems("targets:\n  major-change-above-pct: 50\n"))
                    .containsExactly(
                            "config/catalog.yaml:1:1: memory is required: memory: {sizes: [1GiB,"
                                    + " 2GiB, 4GiB, ...]}",
                            "config/catalog.yaml:1:1: storage is required: storage: {sizes:"
                                    + " [...]} or storage: {step: 50GiB, min: 50GiB, max:"
                                    + " 16TiB}");
        }

        @Test
        void memoryWithAMisspeltSizesKeySaysSoAndThatSizesIsRequired() {
            assertThat(problems(MINIMAL.replace("  sizes: [1GiB, 2GiB]", "  size: [1GiB]")))
                    .containsExactly(
                            "config/catalog.yaml:2:3: unknown key 'size' in memory (did you mean"
                                    + " 'sizes'?)",
                            "config/catalog.yaml:2:3: memory.sizes is required (a list of sizes"
                                    + " such as [1GiB, 2GiB, 4GiB])");
        }

        @Test
        void memoryThatIsNotAMappingIsRefused() {
            assertThat(
                            onlyProblem(
                                    MINIMAL.replace(
                                            "memory:\n  sizes: [1GiB, 2GiB]", "memory: 4GiB")))
                    .isEqualTo(
                            "config/catalog.yaml:1:9: memory must be a mapping with sizes, found a"
                                    + " string");
        }

        @Test
        void sizesThatAreNotAListAreRefused() {
            assertThat(onlyProblem(withMemorySizes("4GiB")))
                    .isEqualTo(
                            "config/catalog.yaml:2:10: memory.sizes must be a list of sizes such"
                                    + " as [1GiB, 2GiB, 4GiB], found a string");
        }

        @Test
        void emptySizeListIsRefused() {
            assertThat(onlyProblem(withMemorySizes("[]")))
                    .isEqualTo(
                            "config/catalog.yaml:2:10: memory.sizes must list at least one size");
        }

        @Test
        void sizeOfTheWrongTypeIsRefused() {
            assertThat(onlyProblem(withMemorySizes("[1GiB, true]")))
                    .isEqualTo(
                            "config/catalog.yaml:2:17: memory.sizes[1] must be a size such as 4GiB"
                                    + " or a number of bytes, found a boolean");
        }

        @Test
        void sizesOutOfOrderAreRefused() {
            assertThat(onlyProblem(withMemorySizes("[1GiB, 4GiB, 2GiB]")))
                    .isEqualTo(
                            "config/catalog.yaml:2:23: memory.sizes[2] (2 GiB) is below"
                                    + " memory.sizes[1] (4 GiB): list the sizes in ascending"
                                    + " order");
        }

        @Test
        void repeatedSizeIsRefusedEvenWhenWrittenDifferently() {
            assertThat(onlyProblem(withMemorySizes("[1GiB, 1024MiB]")))
                    .isEqualTo(
                            "config/catalog.yaml:2:17: memory.sizes[1] (1 GiB) repeats"
                                    + " memory.sizes[0]: list each size once");
        }

        @Test
        void everyBadSizeOfAListIsReported() {
            assertThat(problems(withMemorySizes("[0, 2GiB, 2GiB, lots]")))
                    .containsExactly(
                            "config/catalog.yaml:2:11: memory.sizes[0] is 0: a size must be"
                                    + " positive",
                            "config/catalog.yaml:2:20: memory.sizes[2] (2 GiB) repeats"
                                    + " memory.sizes[1]: list each size once",
                            "config/catalog.yaml:2:26: memory.sizes[3] 'lots' is not a size (a"
                                    + " whole number of bytes, or with a unit: KiB, MiB, GiB,"
                                    + " TiB, PiB (binary) or kB, MB, GB, TB, PB (decimal), e.g."
                                    + " 4GiB)");
        }

        @Test
        void storageWithBothSizesAndStepIsRefused() {
            String yaml =
                    """
                    memory:
                      sizes: [1GiB]
                    storage:
                      sizes: [100GiB]
                      step: 50GiB
                    """;

            assertThat(onlyProblem(yaml))
                    .isEqualTo(
                            "config/catalog.yaml:5:3: storage has both sizes and step: give"
                                    + " either sizes, or step with min and max");
        }

        @Test
        void storageWithNeitherSizesNorStepIsRefused() {
            String yaml =
                    """
                    memory:
                      sizes: [1GiB]
                    storage:
                      min: 50GiB
                    """;

            assertThat(onlyProblem(yaml))
                    .isEqualTo(
                            "config/catalog.yaml:4:3: storage needs either sizes, or step with"
                                    + " min and max");
        }

        @Test
        void stepWithoutMaxIsRefused() {
            assertThat(onlyProblem(MINIMAL.replace("  max: 1TiB\n", "")))
                    .isEqualTo(
                            "config/catalog.yaml:4:3: storage.step needs storage.max (the smallest"
                                    + " and largest size that may be allocated)");
        }

        @Test
        void stepWithMinAboveMaxIsRefused() {
            assertThat(onlyProblem(MINIMAL.replace("  min: 50GiB", "  min: 2TiB")))
                    .isEqualTo(
                            "config/catalog.yaml:5:8: storage.min (2 TiB) is above storage.max (1"
                                    + " TiB)");
        }

        @Test
        void stepWithNoMultipleFromMinToMaxIsRefused() {
            String yaml =
                    MINIMAL.replace("  min: 50GiB", "  min: 10GiB")
                            .replace("  max: 1TiB", "  max: 40GiB");

            assertThat(onlyProblem(yaml))
                    .isEqualTo(
                            "config/catalog.yaml:4:9: no multiple of storage.step (50 GiB) lies"
                                    + " from storage.min (10 GiB) to storage.max (40 GiB), so the"
                                    + " catalog has no storage size");
        }

        @Test
        void nonPositiveStepIsRefused() {
            assertThat(onlyProblem(MINIMAL.replace("  step: 50GiB", "  step: 0")))
                    .isEqualTo(
                            "config/catalog.yaml:4:9: storage.step is 0: a size must be positive");
        }

        @ParameterizedTest
        @ValueSource(strings = {"100.5", "-1", "1000"})
        void percentageOutsideZeroToHundredIsRefused(String value) {
            assertThat(onlyProblem(withTargets("storage: {usage-at-most-pct: " + value + "}")))
                    .isEqualTo(
                            "config/catalog.yaml:8:32: targets.storage.usage-at-most-pct is "
                                    + value
                                    + ": a percentage must be from 0 to 100");
        }

        @Test
        void majorChangeAboveHundredIsRefused() {
            assertThat(onlyProblem(withTargets("major-change-above-pct: 150")))
                    .isEqualTo(
                            "config/catalog.yaml:8:27: targets.major-change-above-pct is 150: a"
                                    + " percentage must be from 0 to 100");
        }

        @Test
        void percentageOfTheWrongTypeIsRefused() {
            assertThat(onlyProblem(withTargets("memory-scale-up: {average-at-most-pct: high}")))
                    .isEqualTo(
                            "config/catalog.yaml:8:42: targets.memory-scale-up.average-at-most-pct"
                                    + " must be a percentage (a number from 0 to 100), found a"
                                    + " string");
        }

        @Test
        void targetThatIsNotAMappingIsRefused() {
            assertThat(onlyProblem(withTargets("memory-scale-down: 70")))
                    .isEqualTo(
                            "config/catalog.yaml:8:22: targets.memory-scale-down must be a mapping"
                                    + " with average-at-most-pct and peak-at-most-pct, found a"
                                    + " number");
        }

        @Test
        void targetsThatAreNotAMappingAreRefused() {
            assertThat(onlyProblem(MINIMAL + "targets: [60, 80]\n"))
                    .isEqualTo(
                            "config/catalog.yaml:7:10: targets must be a mapping with"
                                    + " memory-scale-up, memory-scale-down, storage and"
                                    + " major-change-above-pct, found a list");
        }

        @Test
        void problemsAcrossTheFileAreAllReportedInFileOrder() {
            String yaml =
                    """
                    memory:
                      sizes: [2GiB, 1GiB]
                    storage:
                      step: 50GiB
                      min: 50GiB
                      max: 1TiB
                    targets:
                      memory-scale-up: {average-at-most-pct: 160, peak-at-most-pct: 80}
                      storag: {usage-at-most-pct: 60}
                    """;

            assertThat(problems(yaml))
                    .containsExactly(
                            "config/catalog.yaml:2:17: memory.sizes[1] (1 GiB) is below"
                                    + " memory.sizes[0] (2 GiB): list the sizes in ascending"
                                    + " order",
                            "config/catalog.yaml:8:42: targets.memory-scale-up.average-at-most-pct"
                                    + " is 160: a percentage must be from 0 to 100",
                            "config/catalog.yaml:9:3: unknown key 'storag' in targets (did you"
                                    + " mean 'storage'?)");
        }

        @Test
        void notYamlIsReportedWithItsPlace() {
            assertThat(onlyProblem("memory: [1GiB\n"))
                    .isEqualTo(
                            "config/catalog.yaml:2:1: not valid YAML after key 'memory[0]':"
                                    + " expected ',' or ']', but got <stream end> (while parsing a"
                                    + " flow sequence that starts at 1:9)");
        }
    }
}
