package io.rightsizer.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.avro.Schema;

/**
 * Every earlier released version of every record, from {@code schemas/history/*.avsc} (packaged by
 * the schemas module under {@code schemas/history/}). The directory is listed, not indexed: adding
 * a file there is all a release does to keep reading what the previous one wrote.
 */
public final class SchemaHistory {
    static final String RESOURCE_DIR = "schemas/history/";

    /** A schema every build packages beside the history, to find where the history is. */
    private static final String ANCHOR = "schemas/MetricSample.avsc";

    private static volatile Map<String, List<Schema>> byName;

    private SchemaHistory() {}

    /** The earlier versions of the record {@code fullName}, oldest first by file name. */
    public static List<Schema> earlier(String fullName) {
        Map<String, List<Schema>> m = byName;
        if (m == null) {
            synchronized (SchemaHistory.class) {
                if (byName == null) {
                    byName = load(SchemaHistory.class.getClassLoader());
                }
                m = byName;
            }
        }
        return m.getOrDefault(fullName, List.of());
    }

    /** Every history schema the class loader sees, by full name. */
    static Map<String, List<Schema>> load(ClassLoader loader) {
        Map<String, String> files = new TreeMap<>(); // file name -> schema text
        URL anchor = loader.getResource(ANCHOR);
        if (anchor == null) {
            throw new IllegalStateException(
                    ANCHOR + " is not on the class path: the schemas module is missing");
        }
        try {
            if ("jar".equals(anchor.getProtocol())) {
                JarURLConnection c = (JarURLConnection) anchor.openConnection();
                c.setUseCaches(false);
                try (JarFile jar = c.getJarFile()) {
                    readJar(jar, files);
                }
            } else if ("file".equals(anchor.getProtocol())) {
                Path dir = Paths.get(anchor.toURI()).getParent().resolve("history");
                readDirectory(dir, files);
            } else {
                throw new IllegalStateException("cannot list the schema history next to " + anchor);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema history: " + e, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read the schema history at " + anchor, e);
        }
        return parse(files);
    }

    static Map<String, List<Schema>> parse(Map<String, String> files) {
        Map<String, List<Schema>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Schema s;
            try {
                s = new Schema.Parser().parse(f.getValue());
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        "schemas/history/" + f.getKey() + " is not a valid Avro schema: " + e, e);
            }
            out.computeIfAbsent(s.getFullName(), k -> new ArrayList<>()).add(s);
        }
        out.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(out);
    }

    private static void readJar(JarFile jar, Map<String, String> files) throws IOException {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
            JarEntry e = entries.nextElement();
            String name = e.getName();
            if (name.startsWith(RESOURCE_DIR)
                    && name.endsWith(".avsc")
                    && name.indexOf('/', RESOURCE_DIR.length()) < 0) {
                try (InputStream in = jar.getInputStream(e)) {
                    files.put(
                            name.substring(RESOURCE_DIR.length()),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static void readDirectory(Path dir, Map<String, String> files) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.avsc")) {
            for (Path p : ds) {
                files.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
    }
}
