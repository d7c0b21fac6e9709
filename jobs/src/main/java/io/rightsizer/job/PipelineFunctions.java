package io.rightsizer.job;

import io.rightsizer.model.DecisionInput;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.VmAllocation;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.util.Collector;

/** The stateless functions between the topology's stages ({@link RightsizerPipeline}). */
final class PipelineFunctions {
    private PipelineFunctions() {}

    static final class NoDecisions implements FlatMapFunction<Recommendation, DecisionInput> {
        @Override
        public void flatMap(Recommendation r, Collector<DecisionInput> out) {}
    }

    static final class AllocationsOnly implements FlatMapFunction<VmInput, VmAllocation> {
        @Override
        public void flatMap(VmInput in, Collector<VmAllocation> out) {
            if (in.allocation != null) {
                out.collect(in.allocation);
            }
        }
    }

    static final class AsVmInput implements MapFunction<Sample, VmInput> {
        @Override
        public VmInput map(Sample s) {
            return VmInput.of(s);
        }
    }
}
