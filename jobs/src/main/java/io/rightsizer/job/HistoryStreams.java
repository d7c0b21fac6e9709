package io.rightsizer.job;

import io.rightsizer.history.DeadLetterCounts;
import io.rightsizer.history.HistoryLines;
import io.rightsizer.model.Rejected;
import io.rightsizer.rules.HourSummary;
import io.rightsizer.rules.WeekSummary;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.Recommendation;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * The utilization history as InfluxDB line protocol (docs/monitoring.md "Utilization history"), in
 * two streams: each VM's hours, by far the most points, in a stream with a single input so that its
 * sink chains to vm-rules (no record crosses a thread or is serialized on the way); and the rest
 * (weeks, the recommendations that reached the approval topic, the dead-letter counts per reason
 * and interval, the data-quality events), a union of low-volume streams. Strings, so nothing
 * between the rules and the InfluxDB sinks needs a serializer of its own; the mapping is {@link
 * HistoryLines}.
 */
final class HistoryStreams {
    private HistoryStreams() {}

    /** The hours' lines: one input, so the sink after it chains. */
    static DataStream<String> hourly(DataStream<HourSummary> hours) {
        return hours.map(new HourLines(), Types.STRING)
                .name("hourly-history")
                .uid("hourly-history");
    }

    /** Everything else, as one stream. */
    static DataStream<String> rest(
            DataStream<WeekSummary> weeks,
            DataStream<Recommendation> approvals,
            DataStream<Rejected> deadLetters,
            Optional<DataStream<DataQualityEvent>> dataQuality,
            Duration deadLetterInterval) {
        DataStream<String> lines =
                weeks.map(new WeekLines(), Types.STRING)
                        .name("weekly-history")
                        .uid("weekly-history")
                        .union(
                                approvals
                                        .flatMap(new RecommendationLines(), Types.STRING)
                                        .name("recommendation-history")
                                        .uid("recommendation-history"),
                                deadLetters
                                        .keyBy(DeadLetterCounts.byReason(), Types.STRING)
                                        .process(
                                                new DeadLetterCounts(deadLetterInterval),
                                                Types.STRING)
                                        .name("dead-letter-counts")
                                        .uid("dead-letter-counts"));
        if (dataQuality.isPresent()) {
            lines =
                    lines.union(
                            dataQuality
                                    .get()
                                    .map(new DataQualityLines(), Types.STRING)
                                    .name("data-quality-history")
                                    .uid("data-quality-history"));
        }
        return lines;
    }

    static final class HourLines implements MapFunction<HourSummary, String> {
        @Override
        public String map(HourSummary h) {
            return HistoryLines.hourly(h);
        }
    }

    static final class WeekLines implements MapFunction<WeekSummary, String> {
        @Override
        public String map(WeekSummary w) {
            return HistoryLines.weekly(w);
        }
    }

    /** Reminders repeat a recommendation already written: they give no line. */
    static final class RecommendationLines implements FlatMapFunction<Recommendation, String> {
        @Override
        public void flatMap(Recommendation r, Collector<String> out) {
            HistoryLines.recommendation(r).ifPresent(out::collect);
        }
    }

    static final class DataQualityLines implements MapFunction<DataQualityEvent, String> {
        @Override
        public String map(DataQualityEvent e) {
            return HistoryLines.dataQuality(e);
        }
    }
}
