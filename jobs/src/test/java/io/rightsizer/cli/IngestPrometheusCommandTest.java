package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.testing.Cli;
import org.junit.jupiter.api.Test;

class IngestPrometheusCommandTest {
    static Cli.Run ingest(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "ingest";
        all[1] = "prometheus";
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.run(all);
    }

    @Test
    void aListenAddressWithoutAPortIsAUsageError() {
        Cli.Run r = ingest("--listen", "127.0.0.1", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines())
                .first()
                .isEqualTo("--listen: '127.0.0.1' is not HOST:PORT such as 127.0.0.1:9201");
        Cli.Run badPort = ingest("--listen", "127.0.0.1:70000", "--bootstrap-servers", "x:1");
        assertThat(badPort.errLines())
                .first()
                .isEqualTo("--listen: '127.0.0.1:70000' has no port number 0 to 65535");
    }

    @Test
    void aWaitThatIsNotADurationAndABadRegexAreUsageErrors() {
        Cli.Run wait = ingest("--assembly-wait", "soon", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(wait.exitCode()).isEqualTo(2);
        assertThat(wait.errLines())
                .first()
                .isEqualTo("--assembly-wait: 'soon' is not a duration such as 10s");
        Cli.Run regex = ingest("--fs-types-exclude", "(tmpfs", "--bootstrap-servers", "x:1");
        assertThat(regex.exitCode()).isEqualTo(2);
        assertThat(regex.errLines())
                .first()
                .isEqualTo("--fs-types-exclude: not a regular expression: Unclosed group");
    }

    @Test
    void withoutKafkaItSaysWhereToSayWhereKafkaIs() {
        Cli.Run r = ingest("--listen", "127.0.0.1:0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err())
                .startsWith("where is Kafka? Pass --bootstrap-servers HOST:PORT or --config FILE");
    }
}
