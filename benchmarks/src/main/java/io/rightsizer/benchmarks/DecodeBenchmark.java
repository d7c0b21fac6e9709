package io.rightsizer.benchmarks;

import io.rightsizer.job.codec.KafkaSampleDeserializer;
import io.rightsizer.model.Ingested;
import io.rightsizer.model.Sample;
import io.rightsizer.telemetry.RecordJson;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SampleJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding one vm-metrics record: Avro single-object encoding (what the simulator and the
 * documented producers send) and JSON (producers without an Avro library), through {@link
 * SampleCodec} alone and through the job's {@link KafkaSampleDeserializer} (the wall-clock check,
 * the source coordinates, the {@link Ingested} wrapper). Each call decodes the next of 1,024
 * different records, so branch prediction does not learn a single record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecodeBenchmark {
    private static final int RECORDS = 1024;

    private byte[][] avro;
    private byte[][] json;
    private ConsumerRecord<byte[], byte[]>[] avroRecords;
    private KafkaSampleDeserializer deserializer;
    private int next;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() {
        List<Sample> samples = Fleet.first(RECORDS);
        avro = new byte[RECORDS][];
        json = new byte[RECORDS][];
        avroRecords = new ConsumerRecord[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            Sample s = samples.get(i);
            avro[i] = SampleCodec.encode(s);
            json[i] = RecordJson.toJson(s).getBytes(StandardCharsets.UTF_8);
            avroRecords[i] =
                    new ConsumerRecord<>(
                            "vm-metrics",
                            i % 4,
                            i,
                            s.vmId.getBytes(StandardCharsets.UTF_8),
                            avro[i]);
            if (!SampleCodec.decode(avro[i]).ok() || !SampleCodec.decode(json[i]).ok()) {
                throw new IllegalStateException("record " + i + " does not decode: " + s);
            }
        }
        // The job's default: samples more than a day ahead of the wall clock are dead letters.
        deserializer = new KafkaSampleDeserializer(86_400_000L);
    }

    private int next() {
        int i = next;
        next = (i + 1) & (RECORDS - 1);
        return i;
    }

    @Benchmark
    public SampleJson.Result avroSingleObject() {
        return SampleCodec.decode(avro[next()]);
    }

    @Benchmark
    public SampleJson.Result json() {
        return SampleCodec.decode(json[next()]);
    }

    @Benchmark
    public void kafkaDeserializerAvro(Blackhole bh) {
        deserializer.deserialize(avroRecords[next()], new Sink(bh));
    }

    /** What the Kafka source hands the record to; the JIT removes the allocation. */
    private record Sink(Blackhole bh) implements Collector<Ingested> {
        @Override
        public void collect(Ingested record) {
            bh.consume(record);
        }

        @Override
        public void close() {}
    }
}
