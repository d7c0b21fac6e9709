package io.rightsizer.job;

import io.rightsizer.job.operators.ArrivalHold;
import io.rightsizer.job.operators.FixedRules;
import io.rightsizer.job.operators.HoldingOperators;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.schema.Recommendation;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;

/**
 * Where the rules operators (vm-rules, system-rules) get their rule set, chosen once per topology:
 * from the rule updates published while the job runs, broadcast to both operators as their second
 * input ({@link Broadcast}); or, for a run that reads none (replay, backfill, rules diff), the rule
 * set of the settings alone ({@link Fixed}). Either way the very same function judges.
 */
sealed interface RuleInput {
    TypeInformation<Recommendation> RECOMMENDATION = TypeInformation.of(Recommendation.class);

    /** Broadcast rule updates from {@code updates}, or fixed rules when it is null. */
    static RuleInput of(StreamExecutionEnvironment env, Source<RuleUpdate, ?, ?> updates) {
        if (updates == null) {
            return new Fixed();
        }
        return new Broadcast(
                env.fromSource(updates, new IdleWatermarks<>(), "rule-updates")
                        .uid("rule-updates-source")
                        .setParallelism(1)
                        .broadcast(Tags.RULES));
    }

    /**
     * The operator that runs {@code rules} on {@code in}, holding what arrives ahead of the
     * watermark ({@link HoldingOperators}); the caller names it and sets its uid.
     */
    <
                    I,
                    F extends
                            KeyedBroadcastProcessFunction<String, I, RuleUpdate, Recommendation>
                                    & ArrivalHold.Holder>
            SingleOutputStreamOperator<Recommendation> judge(KeyedStream<I, String> in, F rules);

    /** The rule updates (uid {@code rule-updates-source}), the second input of each operator. */
    record Broadcast(BroadcastStream<RuleUpdate> updates) implements RuleInput {
        @Override
        public <
                        I,
                        F extends
                                KeyedBroadcastProcessFunction<String, I, RuleUpdate, Recommendation>
                                        & ArrivalHold.Holder>
                SingleOutputStreamOperator<Recommendation> judge(
                        KeyedStream<I, String> in, F rules) {
            // The broadcast stream's own partitioning, as process() would connect it.
            return in.connect(
                            new DataStream<>(updates.getEnvironment(), updates.getTransformation()))
                    .transform(
                            "holding-broadcast-process",
                            RECOMMENDATION,
                            new HoldingOperators.Broadcast<>(
                                    rules, updates.getBroadcastStateDescriptors()));
        }
    }

    /**
     * The settings' rule set only: a one-input operator ({@link FixedRules}), which chains to its
     * input where a two-input one cannot.
     */
    record Fixed() implements RuleInput {
        @Override
        public <
                        I,
                        F extends
                                KeyedBroadcastProcessFunction<String, I, RuleUpdate, Recommendation>
                                        & ArrivalHold.Holder>
                SingleOutputStreamOperator<Recommendation> judge(
                        KeyedStream<I, String> in, F rules) {
            return in.transform(
                    "holding-process",
                    RECOMMENDATION,
                    new HoldingOperators.Keyed<>(new FixedRules<>(rules)));
        }
    }
}
