package io.rightsizer.bench;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The retained heap size of an object graph on a 64-bit JVM with compressed oops and class pointers
 * (12-byte headers, 4-byte references, 8-byte alignment), the default below 32 GB of heap. An
 * estimate by layout rules, good to a few percent, for the benchmark's state figures.
 */
final class HeapSize {
    private HeapSize() {}

    static long of(Object root) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        long total = 0;
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (o == null || !seen.add(o)) {
                continue;
            }
            Class<?> c = o.getClass();
            if (c.isArray()) {
                int n = Array.getLength(o);
                Class<?> t = c.getComponentType();
                total += align(16 + (long) n * sizeOf(t));
                if (!t.isPrimitive()) {
                    for (int i = 0; i < n; i++) {
                        Object e = Array.get(o, i);
                        if (e != null) {
                            todo.push(e);
                        }
                    }
                }
                continue;
            }
            if (o instanceof String s) {
                // String object plus its Latin-1 byte array.
                total += 24 + align(16 + s.length());
                continue;
            }
            long shallow = 12;
            for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    shallow += sizeOf(f.getType());
                    if (!f.getType().isPrimitive()) {
                        try {
                            f.setAccessible(true);
                            Object v = f.get(o);
                            if (v != null) {
                                todo.push(v);
                            }
                        } catch (ReflectiveOperationException | RuntimeException e) {
                            // Not ours to walk (JDK internals); counted as a reference only.
                        }
                    }
                }
            }
            total += align(shallow);
        }
        return total;
    }

    private static long sizeOf(Class<?> t) {
        if (t == long.class || t == double.class) {
            return 8;
        }
        if (t == int.class || t == float.class) {
            return 4;
        }
        if (t == short.class || t == char.class) {
            return 2;
        }
        if (t == byte.class || t == boolean.class) {
            return 1;
        }
        return 4;
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }
}
