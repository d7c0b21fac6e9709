package io.rightsizer.job.operators;

import java.util.List;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimeServiceManager;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * The operators that run a function holding its arrivals ({@link ArrivalHold.Holder}: vm-rules' and
 * system-rules'): Flink's own keyed operators, which at each watermark, once its timers have fired
 * and before the watermark goes on, wake every key whose held records it passed, and before each
 * snapshot release what is held into keyed state. A wake-up is the function's {@code onTimer},
 * called as a timer at the earliest held record would be, the one the key would otherwise have
 * registered (docs/design.md, "Arrivals held until the watermark").
 *
 * <p>Timers are not interruptible here: the held records are judged between the timers and the
 * watermark's emission, which an interrupted advance would split.
 */
public final class HoldingOperators {
    private HoldingOperators() {}

    /** The one-input operator (the settings' rule set: {@link FixedRules}). */
    public static final class Keyed<IN, OUT> extends KeyedProcessOperator<String, IN, OUT> {
        private static final long serialVersionUID = 1L;
        private transient ArrivalHold<?> hold;

        public Keyed(KeyedProcessFunction<String, IN, OUT> function) {
            super(function);
        }

        @Override
        public void open() throws Exception {
            super.open();
            hold = ((ArrivalHold.Holder) userFunction).holdArrivals();
        }

        @Override
        public boolean useInterruptibleTimers() {
            return false;
        }

        @Override
        public void processWatermark(Watermark mark) throws Exception {
            advance(this, timeServiceManager, output, hold, mark);
        }

        @Override
        public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
            release(this, (ArrivalHold.Holder) userFunction, hold);
            super.prepareSnapshotPreBarrier(checkpointId);
        }
    }

    /** The two-input operator (the rule updates broadcast as its second input). */
    public static final class Broadcast<IN1, IN2, OUT>
            extends CoBroadcastWithKeyedOperator<String, IN1, IN2, OUT> {
        private static final long serialVersionUID = 1L;
        private transient ArrivalHold<?> hold;

        public Broadcast(
                KeyedBroadcastProcessFunction<String, IN1, IN2, OUT> function,
                List<MapStateDescriptor<?, ?>> broadcastStates) {
            super(function, broadcastStates);
        }

        @Override
        public void open() throws Exception {
            super.open();
            hold = ((ArrivalHold.Holder) userFunction).holdArrivals();
        }

        @Override
        public boolean useInterruptibleTimers() {
            return false;
        }

        @Override
        public void processWatermark(Watermark mark) throws Exception {
            advance(this, timeServiceManager, output, hold, mark);
        }

        @Override
        public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
            release(this, (ArrivalHold.Holder) userFunction, hold);
            super.prepareSnapshotPreBarrier(checkpointId);
        }
    }

    /**
     * What AbstractStreamOperator does with a watermark, the held samples it passed woken between.
     */
    private static <O extends AbstractStreamOperator<?> & Triggerable<String, VoidNamespace>>
            void advance(
                    O op,
                    InternalTimeServiceManager<?> timers,
                    Output<?> output,
                    ArrivalHold<?> hold,
                    Watermark mark)
                    throws Exception {
        if (timers != null) {
            timers.advanceWatermark(mark);
        }
        hold.fireDue(
                mark.getTimestamp(),
                (key, at) -> {
                    op.setCurrentKey(key);
                    op.onEventTime(new TimerHeapInternalTimer<>(at, key, VoidNamespace.INSTANCE));
                });
        output.emitWatermark(mark);
    }

    private static void release(
            AbstractStreamOperator<?> op, ArrivalHold.Holder holder, ArrivalHold<?> hold)
            throws Exception {
        if (hold.size() == 0) {
            return;
        }
        for (String key : hold.keys()) {
            op.setCurrentKey(key);
            holder.release(key);
        }
    }
}
