package io.rightsizer.benchmarks;

import io.rightsizer.model.Sample;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SampleJson;
import io.rightsizer.telemetry.SampleValidator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Validating one decoded sample: {@link SampleValidator#validate} on the boxed field values a
 * decoder hands it (into a reused {@link Sample}), and {@link SampleCodec#fromAvro}, the Avro
 * path's validation with the new {@link Sample} and result it allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ValidateBenchmark {
    private static final int RECORDS = 1024;

    private MetricSample[] decoded;
    private final Sample out = new Sample();
    private int next;

    @Setup
    public void setUp() {
        List<Sample> samples = Fleet.first(RECORDS);
        decoded = new MetricSample[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            decoded[i] = SampleCodec.toAvro(samples.get(i));
        }
    }

    private MetricSample next() {
        int i = next;
        next = (i + 1) & (RECORDS - 1);
        return decoded[i];
    }

    @Benchmark
    public String validate() {
        MetricSample m = next();
        return SampleValidator.validate(
                m.getVmId(),
                m.getSystemId(),
                m.getUnitId(),
                m.getTimestamp().toEpochMilli(),
                m.getPowerState() == null ? null : m.getPowerState().name(),
                m.getMemoryUsedBytes(),
                m.getMemoryTotalBytes(),
                m.getStorageUsedBytes(),
                m.getStorageTotalBytes(),
                m.getCpuUtilizationPct(),
                m.getBusinessRecords(),
                out);
    }

    @Benchmark
    public SampleJson.Result fromAvro() {
        return SampleCodec.fromAvro(next());
    }
}
