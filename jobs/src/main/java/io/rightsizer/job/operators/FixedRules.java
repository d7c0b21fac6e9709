package io.rightsizer.job.operators;

import io.rightsizer.model.RuleUpdate;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs a rules operator's function with the rule set of its settings and no rule-update input: for
 * replays, backfills and {@code rules diff}, where nothing is published while they run. The very
 * same function judges; only the operator around it has one input instead of two, and a one-input
 * operator chains to its input (at parallelism 1 the whole replay runs in one task with no
 * serialization), which a two-input operator cannot: replays were 30 % slower without this.
 *
 * <p>The function sees an empty broadcast state, so it judges with its configured rule set.
 */
public final class FixedRules<IN, OUT> extends KeyedProcessFunction<String, IN, OUT>
        implements ArrivalHold.Holder {
    private static final long serialVersionUID = 1L;

    private final KeyedBroadcastProcessFunction<String, IN, RuleUpdate, OUT> function;

    private transient ElementContext elementContext;
    private transient TimerContext timerContext;

    public FixedRules(KeyedBroadcastProcessFunction<String, IN, RuleUpdate, OUT> function) {
        this.function = function;
    }

    @Override
    public void setRuntimeContext(RuntimeContext context) {
        super.setRuntimeContext(context);
        function.setRuntimeContext(context);
    }

    @Override
    public void open(OpenContext context) throws Exception {
        function.open(context);
        elementContext = new ElementContext(function);
        timerContext = new TimerContext(function);
    }

    @Override
    public void close() throws Exception {
        function.close();
    }

    /** The function's own hold; only for a function that holds its arrivals. */
    @Override
    public ArrivalHold<?> holdArrivals() {
        return ((ArrivalHold.Holder) function).holdArrivals();
    }

    @Override
    public void release(String key) throws Exception {
        ((ArrivalHold.Holder) function).release(key);
    }

    @Override
    public void processElement(IN value, Context ctx, Collector<OUT> out) throws Exception {
        elementContext.ctx = ctx;
        function.processElement(value, elementContext, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
        timerContext.ctx = ctx;
        function.onTimer(timestamp, timerContext, out);
    }

    /** No rule set was ever published. */
    private static final class NoRules<K, V> implements ReadOnlyBroadcastState<K, V> {
        @Override
        public V get(K key) {
            return null;
        }

        @Override
        public boolean contains(K key) {
            return false;
        }

        @Override
        public Iterable<Map.Entry<K, V>> immutableEntries() {
            return List.of();
        }

        @Override
        public void clear() {}
    }

    private final class ElementContext
            extends KeyedBroadcastProcessFunction<String, IN, RuleUpdate, OUT>.ReadOnlyContext {
        KeyedProcessFunction<String, IN, OUT>.Context ctx;

        ElementContext(KeyedBroadcastProcessFunction<String, IN, RuleUpdate, OUT> f) {
            f.super();
        }

        @Override
        public TimerService timerService() {
            return ctx.timerService();
        }

        @Override
        public String getCurrentKey() {
            return ctx.getCurrentKey();
        }

        @Override
        public <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(
                MapStateDescriptor<K, V> descriptor) {
            return new NoRules<>();
        }

        @Override
        public Long timestamp() {
            return ctx.timestamp();
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            ctx.output(tag, value);
        }

        @Override
        public long currentProcessingTime() {
            return ctx.timerService().currentProcessingTime();
        }

        @Override
        public long currentWatermark() {
            return ctx.timerService().currentWatermark();
        }
    }

    private final class TimerContext
            extends KeyedBroadcastProcessFunction<String, IN, RuleUpdate, OUT>.OnTimerContext {
        KeyedProcessFunction<String, IN, OUT>.OnTimerContext ctx;

        TimerContext(KeyedBroadcastProcessFunction<String, IN, RuleUpdate, OUT> f) {
            f.super();
        }

        @Override
        public TimeDomain timeDomain() {
            return ctx.timeDomain();
        }

        @Override
        public TimerService timerService() {
            return ctx.timerService();
        }

        @Override
        public String getCurrentKey() {
            return ctx.getCurrentKey();
        }

        @Override
        public <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(
                MapStateDescriptor<K, V> descriptor) {
            return new NoRules<>();
        }

        @Override
        public Long timestamp() {
            return ctx.timestamp();
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            ctx.output(tag, value);
        }

        @Override
        public long currentProcessingTime() {
            return ctx.timerService().currentProcessingTime();
        }

        @Override
        public long currentWatermark() {
            return ctx.timerService().currentWatermark();
        }
    }
}
