package io.rightsizer.job;

import io.rightsizer.history.DeadLetterCounts;
import io.rightsizer.history.HistoryLines;
import io.rightsizer.model.Rejected;
import io.rightsizer.rules.HourSummary;
import io.rightsizer.rules.WeekSummary;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.Recommendation;
import java.time.Duration;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * The utilization history as one stream of InfluxDB line protocol (README "Utilization history"):
 * each VM's hours and weeks, the recommendations that reached the approval topic, the dead-letter
 * counts per reason and minute, and the data-quality events. Strings, so nothing between the rules
 * and the InfluxDB sink needs a serializer of its own; the mapping is {@link HistoryLines}.
 */
final class HistoryStreams {
    private HistoryStreams() {}

    static DataStream<String> lines(
            DataStream<HourSummary> hours,
            DataStream<WeekSummary> weeks,
            DataStream<Recommendation> approvals,
            DataStream<Rejected> deadLetters,
            DataStream<DataQualityEvent> dataQuality,
            Duration deadLetterInterval) {
        DataStream<String> lines =
                hours.map(new HourLines(), Types.STRING)
                        .name("hourly-history")
                        .uid("hourly-history")
                        .union(
                                weeks.map(new WeekLines(), Types.STRING)
                                        .name("weekly-history")
                                        .uid("weekly-history"),
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
        if (dataQuality != null) {
            lines =
                    lines.union(
                            dataQuality
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
