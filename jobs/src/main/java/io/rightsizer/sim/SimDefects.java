package io.rightsizer.sim;

import io.rightsizer.model.Sample;
import io.rightsizer.telemetry.RecordJson;
import io.rightsizer.telemetry.SampleCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The malformed records a {@link FleetSimulator} plants among the valid ones. */
final class SimDefects {
    private SimDefects() {}

    /** The j-th invalid record (decodes, fails validation), on {@code vm} at {@code t}. */
    static SimRecord invalid(int j, SimVm vm, long t) {
        Sample s = plausible(vm, t);
        String what;
        switch (j % 6) {
            case 0 -> {
                s.memoryUsedBytes = s.memoryTotalBytes + (1L << 30);
                what = "memoryUsedBytes greater than memoryTotalBytes";
            }
            case 1 -> {
                s.storageUsedBytes = -4096;
                what = "negative storageUsedBytes";
            }
            case 2 -> {
                s.vmId = null;
                what = "missing vmId";
            }
            case 3 -> {
                s.cpuUtilizationPct = 150;
                what = "cpuUtilizationPct 150";
            }
            case 4 -> {
                s.businessRecords = -3;
                what = "negative businessRecords";
            }
            default -> {
                s.systemId = "";
                what = "blank systemId";
            }
        }
        String line = RecordJson.toJson(s);
        if (s.vmId == null) {
            // Avro cannot carry a null vmId; a blank one is rejected with the same message.
            s.vmId = "";
        }
        byte[] value = SampleCodec.encode(s);
        return new SimRecord.Malformed(SimRecord.Defect.INVALID, vm.vmId, what, line, value);
    }

    /** The j-th undecodable record, on {@code vm} at {@code t}. */
    static SimRecord undecodable(int j, SimVm vm, long t) {
        Sample s = plausible(vm, t);
        switch (j % 3) {
            case 0 -> {
                return new SimRecord.Malformed(
                        SimRecord.Defect.UNDECODABLE,
                        vm.vmId,
                        "not JSON, not Avro",
                        "not json",
                        "not json".getBytes(StandardCharsets.US_ASCII));
            }
            case 1 -> {
                String line = RecordJson.toJson(s);
                byte[] avro = SampleCodec.encode(s);
                // Keeps the header and fingerprint so the decoder fails inside the body.
                int keep = 10 + (avro.length - 10) / 2;
                return new SimRecord.Malformed(
                        SimRecord.Defect.UNDECODABLE,
                        vm.vmId,
                        "truncated record",
                        line.substring(0, line.length() / 2),
                        Arrays.copyOf(avro, keep));
            }
            default -> {
                byte[] avro = SampleCodec.encode(s);
                for (int b = 2; b < 10; b++) {
                    avro[b] ^= (byte) 0xFF;
                }
                return new SimRecord.Malformed(
                        SimRecord.Defect.UNDECODABLE,
                        vm.vmId,
                        "JSON array / Avro with an unknown schema fingerprint",
                        "[\"" + vm.vmId + "\"," + t + "]",
                        avro);
            }
        }
    }

    /** A sample with fixed, valid values, to be corrupted; draws nothing from the VM's noise. */
    private static Sample plausible(SimVm vm, long t) {
        Sample s = new Sample();
        s.vmId = vm.vmId;
        s.systemId = vm.systemId;
        s.unitId = vm.unitId;
        s.timestamp = t;
        s.memoryTotalBytes = vm.memoryTotal;
        s.memoryUsedBytes = vm.memoryTotal / 2;
        s.storageTotalBytes = vm.storageTotal;
        s.storageUsedBytes = vm.storageTotal * 2 / 5;
        s.cpuUtilizationPct = 20;
        s.businessRecords = 5;
        return s;
    }
}
