package io.rightsizer.model;

/**
 * What a source produces: either a usable sample or a rejected record, never both. Sources never
 * throw on bad input, so one bad record cannot stop the job or make it restart into the same record
 * forever.
 */
public class Ingested {
    public Sample sample;
    public Rejected rejected;

    public Ingested() {}

    public static Ingested of(Sample sample) {
        Ingested i = new Ingested();
        i.sample = sample;
        return i;
    }

    public static Ingested rejected(Rejected rejected) {
        Ingested i = new Ingested();
        i.rejected = rejected;
        return i;
    }

    public boolean isSample() {
        return sample != null;
    }
}
