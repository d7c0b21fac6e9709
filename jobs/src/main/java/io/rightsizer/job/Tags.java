package io.rightsizer.job;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Rejected;
import io.rightsizer.rules.SystemState;
import io.rightsizer.rules.VmState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** The side outputs and state descriptors of the pipeline, in one place. */
public final class Tags {
    private Tags() {}

    /** Records that failed decoding or validation at the source. */
    public static final OutputTag<Rejected> REJECTED =
            new OutputTag<>("rejected", TypeInformation.of(Rejected.class));

    /** Samples that arrived at or behind the watermark. */
    public static final OutputTag<Rejected> LATE =
            new OutputTag<>("late", TypeInformation.of(Rejected.class));

    /** Evaluated samples that carry businessRecords, for the system-level rule. */
    public static final OutputTag<BusinessReport> BUSINESS =
            new OutputTag<>("business-reports", TypeInformation.of(BusinessReport.class));

    public static ValueStateDescriptor<VmState> vmState() {
        return new ValueStateDescriptor<>("vm", TypeInformation.of(VmState.class));
    }

    public static ValueStateDescriptor<SystemState> systemState() {
        return new ValueStateDescriptor<>("system", TypeInformation.of(SystemState.class));
    }
}
