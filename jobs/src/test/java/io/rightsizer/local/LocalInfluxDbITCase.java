package io.rightsizer.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.testing.InfluxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalInfluxDbITCase {

    @Test
    void startsOnLoopbackAnswersInfluxQlAndKeepsItsDataAcrossARestart(@TempDir Path dir)
            throws Exception {
        InfluxServer.requireBinary();
        Path data = dir.resolve("influx");
        try (LocalInfluxDb db = LocalInfluxDb.start(0, data, Duration.ofSeconds(60))) {
            assertThat(db.url()).startsWith("http://127.0.0.1:");
            try (InfluxDB client = InfluxDBFactory.connect(db.url())) {
                client.query(new Query("CREATE DATABASE t"));
                client.write(
                        "t",
                        "autogen",
                        InfluxDB.ConsistencyLevel.ONE,
                        TimeUnit.MILLISECONDS,
                        List.of("m,vmId=vm-1 v=42.5 1000", "m,vmId=vm-2 v=7 2000"));
            }
            assertThat(values(db.url()))
                    .containsExactly(
                            List.of("1970-01-01T00:00:01Z", 42.5),
                            List.of("1970-01-01T00:00:02Z", 7.0));
        }
        try (LocalInfluxDb again = LocalInfluxDb.start(0, data, Duration.ofSeconds(60))) {
            assertThat(values(again.url())).hasSize(2);
        }
        assertThat(Files.exists(data)).as("a given data directory is kept").isTrue();
    }

    @Test
    void aTemporaryDataDirectoryIsDeletedOnClose() throws Exception {
        InfluxServer.requireBinary();
        Path data;
        try (LocalInfluxDb db = LocalInfluxDb.start(0, null, Duration.ofSeconds(60))) {
            data = db.dataDir();
            assertThat(Files.isDirectory(data)).isTrue();
        }
        assertThat(Files.exists(data)).isFalse();
    }

    private static List<List<Object>> values(String url) {
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            QueryResult r = client.query(new Query("SELECT v FROM m ORDER BY time", "t"));
            assertThat(r.getError()).isNull();
            return r.getResults().get(0).getSeries().get(0).getValues();
        }
    }
}
