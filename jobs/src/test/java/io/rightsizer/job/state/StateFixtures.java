package io.rightsizer.job.state;

import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MON_2026_03_02;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.TimeLimitPeriod;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmInventory;
import io.rightsizer.rules.VmState;
import io.rightsizer.testing.Samples;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/** States as vm-rules keeps them: fresh, after real samples, and with every field set. */
final class StateFixtures {
    private StateFixtures() {}

    static final long W1 = MON_2026_03_02;

    /** A VM after nine days of hourly samples at 75 %, two of them still ahead of the watermark. */
    static VmState evaluated() {
        VmEvaluator ev = new VmEvaluator(RuleSet.defaults("state-fixtures"));
        VmState s = new VmState();
        long end = W1 + 9 * DAY;
        for (long ts = W1; ts <= end; ts += HOUR) {
            ev.admit(s, Samples.running("vm-1", "sys-1", ts, 75), end - 2 * HOUR);
        }
        ev.advance(s, "vm-1", end - 2 * HOUR, false, r -> {});
        return s;
    }

    /**
     * Every instance field set to a value unlike its default and unlike the others', by reflection,
     * so a field the serializer forgets (or one added later) shows up in the tests. {@code pending}
     * holds two samples in an array with room for three.
     */
    static VmState everyFieldSet() {
        VmState s = new VmState();
        setAll(s);
        s.pending = new Sample[] {sample("vm-9", W1), sample("vm-9", W1 + HOUR), null};
        s.pendingCount = 2;
        return s;
    }

    static VmInventory inventoryWithEveryFieldSet() {
        VmInventory v = new VmInventory();
        setAll(v);
        TimeLimitPeriod a = new TimeLimitPeriod();
        setAll(a);
        TimeLimitPeriod b = new TimeLimitPeriod();
        b.temporaryResource = true;
        b.from = W1;
        b.until = W1 + 90 * DAY;
        b.reason = null;
        v.periods = new TimeLimitPeriod[] {a, b};
        return v;
    }

    /** Whether the assertion holds, for Flink's equality checker. */
    static boolean holds(Runnable assertion) {
        try {
            assertion.run();
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    static Sample sample(String vm, long ts) {
        Sample x = Samples.withBusiness(Samples.running(vm, "sys-9", ts, 91.5), 17);
        x.sourcePartition = 3;
        x.sourceOffset = 123_456_789L;
        return x;
    }

    private static void setAll(Object o) {
        int i = 1;
        for (Field f : o.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            try {
                Class<?> t = f.getType();
                if (t == long.class) {
                    f.setLong(o, 1_700_000_000_000L + i * 1_000_003L);
                } else if (t == int.class) {
                    f.setInt(o, 40 + i);
                } else if (t == double.class) {
                    f.setDouble(o, 0.25 + i);
                } else if (t == boolean.class) {
                    f.setBoolean(o, true);
                } else if (t == String.class) {
                    f.set(o, "s" + i);
                } else if (t == long[].class) {
                    f.set(o, new long[] {W1 + i, W1 + 2L * i});
                }
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
            i++;
        }
    }
}
