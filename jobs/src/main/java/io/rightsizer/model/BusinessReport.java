package io.rightsizer.model;

/**
 * The part of an evaluated sample the system-level rule needs: which system, when, and how many
 * business records. A Flink POJO.
 */
public class BusinessReport {
    public String systemId;
    public String unitId;
    public long timestamp;
    public long businessRecords;

    public BusinessReport() {}

    public static BusinessReport of(Sample s) {
        BusinessReport r = new BusinessReport();
        r.systemId = s.systemId;
        r.unitId = s.unitId;
        r.timestamp = s.timestamp;
        r.businessRecords = s.businessRecords;
        return r;
    }

    public static BusinessReport of(String systemId, String unitId, long ts, long records) {
        BusinessReport r = new BusinessReport();
        r.systemId = systemId;
        r.unitId = unitId;
        r.timestamp = ts;
        r.businessRecords = records;
        return r;
    }

    @Override
    public String toString() {
        return "BusinessReport{" + systemId + " " + timestamp + " " + businessRecords + "}";
    }
}
