package io.rightsizer.report;

import static io.rightsizer.report.ReportFixtures.OCTOBER;
import static io.rightsizer.report.ReportFixtures.OCTOBER_START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.testing.InfluxServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.junit.jupiter.api.Test;

class InfluxReportSourceITCase {
    @Test
    void rowsStreamedInManyChunksAreAllRead() throws Exception {
        String url = InfluxServer.url();
        String db = InfluxServer.freshDatabase("chunks");
        List<String> lines = new ArrayList<>();
        List<String> expectedIds = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            long at = OCTOBER_START.toEpochMilli() + i * 3_600_000L;
            lines.add(
                    String.format(
                            "recommendations,action=SCALE_UP,rule=r,systemId=s,unitId=u,vmId=vm-%02d"
                                + " id=\"id-%02d\",reason=\"why\" %d",
                            i % 7, i, at));
            lines.add(
                    String.format(
                            "vm_hourly,systemId=s,unitId=u,vmId=vm-%02d samples=12i,"
                                    + "stopped_samples=0i,memory_mean=%d,memory_max=%d %d",
                            i % 7, i, i + 1, at));
            expectedIds.add(String.format("id-%02d", i));
        }
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            client.query(new Query("CREATE DATABASE " + db));
            client.write(
                    db, "autogen", InfluxDB.ConsistencyLevel.ONE, TimeUnit.MILLISECONDS, lines);
        }

        try (InfluxReportSource source = InfluxReportSource.connect(url, db, null, null, null, 4)) {
            List<RecommendationRow> recs = source.recommendations(OCTOBER, null);
            Map<Subject, Figures> hourly = source.hourly(OCTOBER, null);

            assertThat(recs)
                    .extracting(RecommendationRow::id)
                    .containsExactlyInAnyOrderElementsOf(expectedIds);
            assertThat(recs.get(0).firedAt()).isEqualTo(OCTOBER_START);
            assertThat(hourly).hasSize(7);
            // vm-00 has hours 0, 7, 14 and 21.
            assertThat(hourly.get(new Subject("u", "s", "vm-00")))
                    .isEqualTo(new Figures(42, 4, 22.0, null, 4, 48, 0));
        }
    }

    @Test
    void aUnitWithQuotesIsMatchedLiterallyNotAsInfluxQl() throws Exception {
        String url = InfluxServer.url();
        String db = InfluxServer.freshDatabase("quoted");
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            client.query(new Query("CREATE DATABASE " + db));
            client.write(
                    db,
                    "autogen",
                    InfluxDB.ConsistencyLevel.ONE,
                    TimeUnit.MILLISECONDS,
                    List.of(
                            "vm_hourly,systemId=s,unitId=u,vmId=v samples=1i,stopped_samples=0i "
                                    + OCTOBER_START.toEpochMilli(),
                            "vm_hourly,systemId=s,unitId=o'brien,vmId=w samples=2i,"
                                    + "stopped_samples=0i "
                                    + OCTOBER_START.toEpochMilli()));
        }
        try (InfluxReportSource source = InfluxReportSource.connect(url, db)) {
            assertThat(source.hourly(OCTOBER, "x' OR \"unitId\" = 'u")).isEmpty();
            assertThat(source.hourly(OCTOBER, "o'brien").keySet())
                    .containsExactly(new Subject("o'brien", "s", "w"));
        }
    }

    @Test
    void readsTheGivenRetentionPolicyAndNamesOneThatDoesNotExist() throws Exception {
        String url = InfluxServer.url();
        String db = InfluxServer.freshDatabase("policies");
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            client.query(new Query("CREATE DATABASE " + db));
            client.query(
                    new Query(
                            "CREATE RETENTION POLICY \"two years\" ON "
                                    + db
                                    + " DURATION 104w REPLICATION 1"));
            client.write(
                    db,
                    "two years",
                    InfluxDB.ConsistencyLevel.ONE,
                    TimeUnit.MILLISECONDS,
                    List.of(
                            "vm_hourly,systemId=s,unitId=u,vmId=v samples=3i,stopped_samples=3i "
                                    + OCTOBER_START.toEpochMilli()));
        }

        try (InfluxReportSource defaultPolicy = InfluxReportSource.connect(url, db);
                InfluxReportSource twoYears =
                        InfluxReportSource.connect(url, db, "two years", null, null);
                InfluxReportSource missing =
                        InfluxReportSource.connect(url, db, "nope", null, null)) {
            assertThat(defaultPolicy.hourly(OCTOBER, null)).isEmpty();
            assertThat(twoYears.hourly(OCTOBER, null))
                    .containsExactly(
                            Map.entry(
                                    new Subject("u", "s", "v"),
                                    new Figures(0, 0, null, null, 1, 3, 3)));
            assertThatThrownBy(() -> missing.hourly(OCTOBER, null))
                    .isInstanceOf(ReportException.class)
                    .hasMessage(
                            "InfluxDB at "
                                    + url
                                    + " refused the query: retention policy not found: nope");
        }
    }
}
