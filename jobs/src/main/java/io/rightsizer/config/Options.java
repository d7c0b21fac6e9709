package io.rightsizer.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;

/**
 * The options a class declares: its public static final {@link ConfigOption} fields, in the order
 * they are declared (the order the JVM reports them in, as Flink's own documentation generator
 * relies on), so that no list of them is kept by hand.
 */
public final class Options {
    private Options() {}

    /** Every option of {@code classes}, class by class; a key declared twice is an error. */
    public static List<ConfigOption<?>> declaredIn(List<Class<?>> classes) {
        Map<String, ConfigOption<?>> byKey = new LinkedHashMap<>();
        for (Class<?> c : classes) {
            for (ConfigOption<?> o : declaredIn(c)) {
                ConfigOption<?> before = byKey.putIfAbsent(o.key(), o);
                if (before != null && before != o) {
                    throw new IllegalStateException(
                            o.key() + " is declared twice (again in " + c.getName() + ")");
                }
            }
        }
        return List.copyOf(byKey.values());
    }

    /** The options {@code c} declares, in declaration order. */
    public static List<ConfigOption<?>> declaredIn(Class<?> c) {
        List<ConfigOption<?>> out = new ArrayList<>();
        for (Field f : c.getDeclaredFields()) {
            if (isOption(f)) {
                try {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    if (o == null) {
                        throw new IllegalStateException(
                                c.getName() + "." + f.getName() + " is read before it is set");
                    }
                    out.add(o);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    /** Whether {@code f} declares an option: public, static, final and a {@link ConfigOption}. */
    public static boolean isOption(Field f) {
        int m = f.getModifiers();
        return Modifier.isPublic(m)
                && Modifier.isStatic(m)
                && Modifier.isFinal(m)
                && ConfigOption.class.isAssignableFrom(f.getType());
    }
}
