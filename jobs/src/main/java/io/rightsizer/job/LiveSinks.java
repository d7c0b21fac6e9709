package io.rightsizer.job;

import io.rightsizer.history.InfluxHistorySink;
import io.rightsizer.history.InfluxSettings;
import io.rightsizer.job.codec.DataQualitySerializer;
import io.rightsizer.job.codec.DeadLetterSerializer;
import io.rightsizer.job.codec.NoticeSerializer;
import io.rightsizer.job.codec.RecommendationEventSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.job.codec.RuleStatusSerializer;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.TimeLimitNotice;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The live job's outputs: each to its Kafka topic, exactly once ({@link RightsizerJob#exactlyOnce},
 * a transactional-id prefix per sink), and the utilization history to InfluxDB. Each sink keeps its
 * name and uid ({@code approval-topic-sink}, {@code dead-letter-topic-sink}, {@code
 * rules-status-topic-sink}, {@code notices-topic-sink}, {@code recommendation-events-topic-sink},
 * {@code data-quality-topic-sink}, {@code influxdb-hourly-sink}, {@code influxdb-rest-sink}).
 */
final class LiveSinks implements RightsizerPipeline.Sinks {
    private final JobConfig cfg;
    private final String bootstrapServers;
    private final int approvalSchemaId;
    private final InfluxSettings history;

    /**
     * @param approvalSchemaId the registry's id of the approval topic's schema, registered before
     *     any sink is built
     * @param history where the utilization history goes, null when the run writes none
     */
    LiveSinks(
            JobConfig cfg, String bootstrapServers, int approvalSchemaId, InfluxSettings history) {
        this.cfg = cfg;
        this.bootstrapServers = bootstrapServers;
        this.approvalSchemaId = approvalSchemaId;
        this.history = history;
    }

    @Override
    public void recommendations(DataStream<Recommendation> s) {
        s.sinkTo(
                        RightsizerJob.exactlyOnce(
                                cfg,
                                bootstrapServers,
                                "recommendations",
                                new RecommendationSerializer(
                                        cfg.get(RightsizerOptions.RECOMMENDATIONS_TOPIC),
                                        approvalSchemaId)))
                .name("approval-topic")
                .uid("approval-topic-sink");
    }

    @Override
    public void deadLetters(DataStream<Rejected> s) {
        s.sinkTo(
                        RightsizerJob.exactlyOnce(
                                cfg,
                                bootstrapServers,
                                "dead-letters",
                                new DeadLetterSerializer(
                                        cfg.get(RightsizerOptions.DEAD_LETTERS_TOPIC))))
                .name("dead-letter-topic")
                .uid("dead-letter-topic-sink");
    }

    @Override
    public void ruleStatus(DataStream<RuleSetStatus> s) {
        s.sinkTo(
                        RightsizerJob.exactlyOnce(
                                cfg,
                                bootstrapServers,
                                "rules-status",
                                new RuleStatusSerializer(
                                        cfg.get(RightsizerOptions.RULES_STATUS_TOPIC))))
                .name("rules-status-topic")
                .uid("rules-status-topic-sink")
                .setParallelism(1);
    }

    @Override
    public void notices(DataStream<TimeLimitNotice> s) {
        s.sinkTo(
                        RightsizerJob.exactlyOnce(
                                cfg,
                                bootstrapServers,
                                "notices",
                                new NoticeSerializer(cfg.get(RightsizerOptions.NOTICES_TOPIC))))
                .name("notices-topic")
                .uid("notices-topic-sink");
    }

    @Override
    public void recommendationEvents(DataStream<RecommendationEvent> s) {
        s.sinkTo(
                        RightsizerJob.exactlyOnce(
                                cfg,
                                bootstrapServers,
                                "recommendation-events",
                                new RecommendationEventSerializer(
                                        cfg.get(RightsizerOptions.EVENTS_TOPIC))))
                .name("recommendation-events-topic")
                .uid("recommendation-events-topic-sink");
    }

    @Override
    public void dataQuality(DataStream<DataQualityEvent> s) {
        s.sinkTo(
                        RightsizerJob.exactlyOnce(
                                cfg,
                                bootstrapServers,
                                "data-quality",
                                new DataQualitySerializer(
                                        cfg.get(RightsizerOptions.DATA_QUALITY_TOPIC))))
                .name("data-quality-topic")
                .uid("data-quality-topic-sink");
    }

    @Override
    public void history(String name, DataStream<String> lines) {
        // Never exactly-once, never back pressure: InfluxDB being slow or down costs dropped (and
        // counted) points, not the Kafka output.
        lines.sinkTo(new InfluxHistorySink(history))
                .name("influxdb-" + name)
                .uid("influxdb-" + name + "-sink");
    }
}
