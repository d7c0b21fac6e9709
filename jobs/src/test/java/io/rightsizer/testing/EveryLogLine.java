package io.rightsizer.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log event of the test JVM while it is open, whatever its logger, at {@code level} and above
 * ({@code debug} loggers from DEBUG), each with its exception's whole stack trace (every cause's
 * and suppressed exception's message): what any log file of a run could hold. The console still
 * gets what the test configuration sends it. Close it to restore the levels.
 */
public final class EveryLogLine implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final Map<String, Level> levels = new HashMap<>();
    private final List<String> added;
    private final Map<String, org.apache.logging.log4j.core.Appender> consoles;
    private final AbstractAppender appender;

    private EveryLogLine(Level level, List<String> debug) {
        appender =
                new AbstractAppender("every-log-line", null, null, true, Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent e) {
                        StringBuilder line =
                                new StringBuilder()
                                        .append(e.getLevel())
                                        .append(' ')
                                        .append(e.getLoggerName())
                                        .append(" - ")
                                        .append(e.getMessage().getFormattedMessage());
                        if (e.getThrown() != null) {
                            StringWriter trace = new StringWriter();
                            e.getThrown().printStackTrace(new PrintWriter(trace));
                            line.append('\n').append(trace);
                        }
                        lines.add(line.toString());
                    }
                };
        appender.start();
        Configuration config = context.getConfiguration();
        List<LoggerConfig> all = new java.util.ArrayList<>(config.getLoggers().values());
        all.add(config.getRootLogger());
        for (LoggerConfig logger : all) {
            levels.put(logger.getName(), logger.getLevel());
            if (logger.getLevel().isMoreSpecificThan(level) && logger.getLevel() != level) {
                logger.setLevel(level);
            }
        }
        LoggerConfig root = config.getRootLogger();
        // The console keeps to warnings: the events below go only to this capture.
        consoles = new HashMap<>(root.getAppenders());
        consoles.keySet().forEach(root::removeAppender);
        consoles.values().forEach(a -> root.addAppender(a, Level.WARN, null));
        root.addAppender(appender, Level.ALL, null);
        added = debug.stream().filter(n -> config.getLoggers().get(n) == null).toList();
        for (String name : debug) {
            LoggerConfig logger = config.getLoggers().get(name);
            if (logger == null) {
                config.addLogger(name, new LoggerConfig(name, Level.DEBUG, true));
            } else {
                logger.setLevel(Level.DEBUG);
            }
        }
        context.updateLoggers();
    }

    /**
     * Captures every event at {@code level} and above, and at DEBUG of the loggers {@code debug}.
     */
    public static EveryLogLine capture(Level level, String... debug) {
        return new EveryLogLine(level, List.of(debug));
    }

    /** Every event so far, in order, each with its stack trace if it has one. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        root.removeAppender(appender.getName());
        consoles.keySet().forEach(root::removeAppender);
        consoles.values().forEach(a -> root.addAppender(a, null, null));
        for (String name : added) {
            config.removeLogger(name);
        }
        List<LoggerConfig> all = new java.util.ArrayList<>(config.getLoggers().values());
        all.add(root);
        for (LoggerConfig logger : all) {
            Level was = levels.get(logger.getName());
            if (was != null) {
                logger.setLevel(was);
            }
        }
        context.updateLoggers();
        appender.stop();
    }
}
