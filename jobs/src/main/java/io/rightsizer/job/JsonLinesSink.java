package io.rightsizer.job;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Writes each subtask's records as JSON Lines to {@code <dir>/<prefix>-<subtask>.jsonl}. For
 * bounded replays on one machine: no transactions, the caller merges the part files after the job
 * finished.
 */
public class JsonLinesSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final String dir;
    private final String prefix;
    private final SerializableFunction<T, String> format;

    public JsonLinesSink(Path dir, String prefix, SerializableFunction<T, String> format) {
        this.dir = dir.toAbsolutePath().toString();
        this.prefix = prefix;
        this.format = format;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        Path file =
                Paths.get(dir)
                        .resolve(
                                prefix
                                        + "-"
                                        + context.getTaskInfo().getIndexOfThisSubtask()
                                        + ".jsonl");
        Files.createDirectories(file.getParent());
        BufferedWriter w =
                new BufferedWriter(
                        new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8),
                        1 << 16);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) throws IOException {
                w.write(format.apply(element));
                w.write('\n');
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                w.flush();
            }

            @Override
            public void close() throws IOException {
                w.close();
            }
        };
    }
}
