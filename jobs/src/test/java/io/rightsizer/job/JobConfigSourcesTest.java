package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.rightsizer.history.InfluxOptions;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a job's setting comes from on a cluster: the {@code --config} file, Flink's configuration
 * ({@code rightsizer.<key>}) over it, {@code -D} of {@code rightsizer run} over both; values taken
 * as they are; relative paths read from the directory of the file that names them.
 */
class JobConfigSourcesTest {
    /** A JAAS line with everything a YAML or properties parser could take for syntax. */
    static final String JAAS =
            "  org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"rightsizer\" password=\"p\\\\a\\ss:w'o\"rd # not a comment\";  ";

    @TempDir Path tmp;

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    @Test
    void flinkConfigurationOverridesTheFileAndDashDOverridesBoth() throws Exception {
        Path file =
                write(
                        "job.yaml",
                        "kafka:\n"
                                + "  bootstrap-servers: file:9092\n"
                                + "  group-id: from-file\n"
                                + "  transactional-id-prefix: from-file\n"
                                + "checkpoint:\n  interval: 5 s\n");

        JobConfig c =
                JobConfig.resolve(
                                file.toString(),
                                Map.of(
                                        "rightsizer.kafka.group-id", "from-flink",
                                        "rightsizer.kafka.transactional-id-prefix", "from-flink",
                                        // Flink's own keys are Flink's.
                                        "parallelism.default", "7",
                                        "kafka.group-id", "not-ours"))
                        .with(Map.of("kafka.transactional-id-prefix", "from-dash-d"));

        assertThat(c.get(RightsizerOptions.BOOTSTRAP_SERVERS)).isEqualTo("file:9092");
        assertThat(c.get(RightsizerOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.get(RightsizerOptions.GROUP_ID)).isEqualTo("from-flink");
        assertThat(c.get(RightsizerOptions.TRANSACTIONAL_ID_PREFIX)).isEqualTo("from-dash-d");
        assertThat(c.get(RightsizerOptions.STARTING_OFFSETS)).isEqualTo("committed-or-earliest");
        assertThat(c.parallelism()).isEmpty();
        assertThat(c.file()).isEqualTo(file.toString());
    }

    @Test
    void withoutAFileEveryKeyComesFromFlinksConfiguration() throws Exception {
        JobConfig c =
                JobConfig.resolve(
                        null,
                        Map.of(
                                "rightsizer.kafka.bootstrap-servers", "k:9092",
                                "rightsizer.parallelism", "3",
                                "rightsizer.kafka.properties.security.protocol", "SSL"));

        assertThat(c.get(RightsizerOptions.BOOTSTRAP_SERVERS)).isEqualTo("k:9092");
        assertThat(c.parallelism()).contains(3);
        assertThat(c.kafkaProperties()).containsOnly(entry("security.protocol", "SSL"));
        assertThat(c.file()).isEqualTo("Flink configuration");
    }

    @Test
    void withNothingGivenWhatIsMissingIsSaid() {
        assertThatThrownBy(() -> JobConfig.resolve(null, Map.of("parallelism.default", "2")))
                .isInstanceOf(JobConfig.InvalidConfigException.class)
                .hasMessage(
                        "Flink configuration: kafka.bootstrap-servers is required (or set"
                                + " embedded-kafka.enabled: true for a local broker)");
    }

    @Test
    void keysInFlinksConfigurationAreCheckedWithTheFilesMessages() throws Exception {
        Path file = write("job.yaml", "kafka.bootstrap-servers: k:9092\n");

        assertThatThrownBy(
                        () ->
                                JobConfig.resolve(
                                        file.toString(),
                                        new java.util.TreeMap<>(
                                                Map.of(
                                                        "rightsizer.parallelism", "two",
                                                        "rightsizer.kafka.bootstrap-server", "x",
                                                        "rightsizer.flink.rest.port", "1",
                                                        "rightsizer.checkpoint.interval", "soon"))))
                .isInstanceOf(JobConfig.InvalidConfigException.class)
                .hasMessage(
                        String.join(
                                "\n",
                                "Flink configuration: rightsizer.checkpoint.interval: 'soon' is"
                                        + " not a duration (e.g. 5 min, 10 s, 1 d)",
                                "Flink configuration: rightsizer.flink.rest.port: Flink's own"
                                        + " settings go into Flink's configuration as they are,"
                                        + " without the rightsizer. prefix: rest.port",
                                "Flink configuration: rightsizer.kafka.bootstrap-server: unknown"
                                        + " key (did you mean"
                                        + " 'rightsizer.kafka.bootstrap-servers'?); Kafka client"
                                        + " settings go under rightsizer.kafka.properties.",
                                "Flink configuration: rightsizer.parallelism: 'two' is not a whole"
                                        + " number"));
    }

    @Test
    void dashDValuesAreCheckedLikeTheFilesAndRangesOverTheMergedValues() throws Exception {
        JobConfig c = JobConfig.parse("kafka.bootstrap-servers: k:9092\n", "job.yaml");

        assertThatThrownBy(() -> c.with(Map.of("parallelism", "two")))
                .isInstanceOf(JobConfig.InvalidConfigException.class)
                .hasMessage("-D parallelism: 'two' is not a whole number");
        assertThatThrownBy(() -> c.with(Map.of("checkpoint.interval", "20 min")))
                .isInstanceOf(JobConfig.InvalidConfigException.class)
                .hasMessage(
                        "job.yaml: kafka.transaction-timeout must be longer than"
                                + " checkpoint.interval: a transaction stays open from one"
                                + " checkpoint to the next");
    }

    @Test
    void aValueSurvivesByteForByteFromEverySource() throws Exception {
        Path file = write("job.yaml", "kafka.bootstrap-servers: k:9092\n");
        JobConfig fromFile = JobConfig.load(file);
        Configuration flink = new Configuration();
        flink.setString("rightsizer.kafka.properties.sasl.jaas.config", JAAS);
        flink.setString("rightsizer.influxdb.password", JAAS);
        flink.setString("rightsizer.influxdb.username", " u\\ser: #1 ");

        JobConfig viaFlink = JobConfig.resolve(file.toString(), flink.toMap());
        JobConfig viaDashD =
                fromFile.with(
                        Map.of(
                                "kafka.properties.sasl.jaas.config", JAAS,
                                "influxdb.username", " u\\ser: #1 ",
                                "influxdb.password", JAAS));
        JobConfig viaMap =
                JobConfig.of(
                        Map.of(
                                "kafka.bootstrap-servers",
                                "k:9092",
                                "kafka.properties.sasl.jaas.config",
                                JAAS,
                                "influxdb.username",
                                " u\\ser: #1 ",
                                "influxdb.password",
                                JAAS));

        for (JobConfig c : new JobConfig[] {viaFlink, viaDashD, viaMap}) {
            assertThat(c.kafkaProperties().getProperty("sasl.jaas.config")).isEqualTo(JAAS);
            assertThat(c.get(InfluxOptions.PASSWORD)).isEqualTo(JAAS);
            assertThat(c.get(InfluxOptions.USERNAME)).isEqualTo(" u\\ser: #1 ");
        }
        // And on to the Kafka clients of the job.
        assertThat(RightsizerJob.producerProperties(viaDashD).getProperty("sasl.jaas.config"))
                .isEqualTo(JAAS);
        // A later override keeps what came before it as it was.
        assertThat(
                        viaDashD.with(Map.of("parallelism", "3"))
                                .kafkaProperties()
                                .getProperty("sasl.jaas.config"))
                .isEqualTo(JAAS);
    }

    @Test
    void relativePathsInAFileAreReadFromItsDirectoryOthersFromTheWorkingDirectory()
            throws Exception {
        write("shared/rules.yaml", "version: \"2030.1.0\"\n");
        write("shared/catalog.yaml", "memory:\n  sizes: [4GiB, 8GiB]\nstorage:\n  sizes: [1TiB]\n");
        Path file =
                write(
                        "conf/job.yaml",
                        "kafka.bootstrap-servers: k:9092\n"
                                + "rules.file: ../shared/rules.yaml\n"
                                + "catalog:\n  file: ../shared/catalog.yaml\n");

        JobConfig c = JobConfig.load(file);

        assertThat(c.location(RightsizerOptions.RULES_FILE))
                .isEqualTo(tmp.toAbsolutePath().resolve("shared/rules.yaml"));
        assertThat(c.rules().version()).isEqualTo("2030.1.0");
        assertThat(c.sizing().catalog().memorySizes()).containsExactly(4L << 30, 8L << 30);
        // The default and -D: from the working directory, as typed.
        assertThat(c.location(RightsizerOptions.CALENDAR_FILE))
                .isEqualTo(Path.of("config/calendar.yaml"));
        assertThat(
                        c.with(Map.of("rules.file", "rules/x.yaml"))
                                .location(RightsizerOptions.RULES_FILE))
                .isEqualTo(Path.of("rules/x.yaml"));
        assertThat(
                        c.withFlinkConfiguration(Map.of("rightsizer.rules.file", "y.yaml"))
                                .location(RightsizerOptions.RULES_FILE))
                .isEqualTo(Path.of("y.yaml"));
        // An absolute path is itself.
        Path abs = tmp.resolve("shared/rules.yaml").toAbsolutePath();
        assertThat(
                        JobConfig.parse(
                                        "kafka.bootstrap-servers: k\nrules.file: " + abs + "\n",
                                        "f")
                                .location(RightsizerOptions.RULES_FILE))
                .isEqualTo(abs);
    }

    @Test
    void aMissingRelativeFileNamesTheDirectoryItWasLookedFor() throws Exception {
        Path file =
                write("conf/job.yaml", "kafka.bootstrap-servers: k:9092\nrules.file: nope.yaml\n");

        JobConfig c = JobConfig.load(file);

        assertThatThrownBy(c::rules)
                .isInstanceOf(JobConfig.InvalidConfigException.class)
                .hasMessage(
                        file
                                + ": rules.file: no such file 'nope.yaml' (relative paths in "
                                + file
                                + " are read from its directory "
                                + tmp.toAbsolutePath().resolve("conf")
                                + ")");
    }

    @Test
    void parallelismIsFlinksUnlessTheConfigurationSetsIt() throws Exception {
        JobConfig unset = JobConfig.of(Map.of("kafka.bootstrap-servers", "k:9092"));
        JobConfig three = unset.with(Map.of("parallelism", "3"));
        Configuration cluster = new Configuration();
        cluster.set(CoreOptions.DEFAULT_PARALLELISM, 5);

        var onCluster =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
                        .getExecutionEnvironment(cluster);
        RightsizerJob.configure(onCluster, unset);
        var explicit =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
                        .getExecutionEnvironment(cluster);
        RightsizerJob.configure(explicit, three);

        assertThat(onCluster.getParallelism()).isEqualTo(5);
        assertThat(explicit.getParallelism()).isEqualTo(3);
        // A local run starts its own MiniCluster: 2, unless the file says otherwise.
        assertThat(RightsizerJob.flinkConfiguration(unset).get(CoreOptions.DEFAULT_PARALLELISM))
                .isEqualTo(RightsizerJob.LOCAL_PARALLELISM)
                .isEqualTo(2);
        assertThat(
                        RightsizerJob.flinkConfiguration(
                                        unset.with(Map.of("flink.parallelism.default", "6")))
                                .get(CoreOptions.DEFAULT_PARALLELISM))
                .isEqualTo(6);
        assertThat(RightsizerJob.flinkConfiguration(three).get(CoreOptions.DEFAULT_PARALLELISM))
                .isEqualTo(3);
    }

    @Test
    void rightsizerRunReportsABadDashDValueBeforeStarting() throws Exception {
        Path file = write("job.yaml", "kafka.bootstrap-servers: k:9092\n");

        Cli.Run run = Cli.run("run", "--config", file.toString(), "-D", "parallelism=two");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("-D parallelism: 'two' is not a whole number");
    }
}
