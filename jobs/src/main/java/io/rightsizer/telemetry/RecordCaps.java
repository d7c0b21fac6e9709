package io.rightsizer.telemetry;

import io.rightsizer.model.Rejected;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The last guard before a sink: every text a record the job writes carries is capped, so no record,
 * whatever came in, can exceed a producer's {@code max.request.size} (1 MiB by default) and fail
 * its sink into a restart loop.
 *
 * <p>Upstream limits keep real records far below the caps (ids of at most {@link
 * SampleValidator#MAX_ID_LENGTH} characters, dead letters capped where they are made); a cap here
 * only bites on text nothing upstream bounds (a rule id or version from a rule document, a
 * decision's comment). A capped text ends in a note of its length ({@link Rejected#cap}).
 */
public final class RecordCaps {
    /**
     * Characters of any one string in a record the job writes: at most 24 KiB in UTF-8, so even a
     * record whose every string is at the cap (the largest has 13) stays under a third of 1 MiB.
     */
    public static final int TEXT_CAP = 8 * 1024;

    /**
     * Characters of a tag value in an InfluxDB history line: a series key (measurement and every
     * tag) must stay under InfluxDB's 64 KiB; five tags at the cap take at most 15 KiB.
     */
    public static final int TAG_CAP = 1024;

    private RecordCaps() {}

    /**
     * {@code r}, or a copy of it whose strings over {@link #TEXT_CAP} characters are capped; {@code
     * r} itself is never changed (a sink may share it with another sink).
     */
    public static <T extends SpecificRecord> T fit(T r) {
        if (r == null || fits(r)) {
            return r;
        }
        @SuppressWarnings("unchecked")
        T copy = (T) SpecificData.get().deepCopy(r.getSchema(), r);
        capFields(copy);
        return copy;
    }

    /** {@code s} capped at {@link #TEXT_CAP} characters. */
    public static String text(String s) {
        return Rejected.cap(s, TEXT_CAP);
    }

    private static boolean fits(Object v) {
        if (v instanceof CharSequence s) {
            return s.length() <= TEXT_CAP;
        }
        if (v instanceof SpecificRecord r) {
            for (Schema.Field f : r.getSchema().getFields()) {
                if (!fits(r.get(f.pos()))) {
                    return false;
                }
            }
            return true;
        }
        if (v instanceof List<?> l) {
            for (Object e : l) {
                if (!fits(e)) {
                    return false;
                }
            }
            return true;
        }
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!fits(e.getKey()) || !fits(e.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void capFields(SpecificRecord r) {
        for (Schema.Field f : r.getSchema().getFields()) {
            r.put(f.pos(), capped(r.get(f.pos())));
        }
    }

    private static Object capped(Object v) {
        if (v instanceof CharSequence s) {
            return s.length() <= TEXT_CAP ? v : text(s.toString());
        }
        if (v instanceof SpecificRecord r) {
            capFields(r);
            return r;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object e : l) {
                out.add(capped(e));
            }
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(capped(e.getKey()), capped(e.getValue()));
            }
            return out;
        }
        return v;
    }
}
