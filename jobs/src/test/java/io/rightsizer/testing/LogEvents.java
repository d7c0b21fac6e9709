package io.rightsizer.testing;

import java.util.List;
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
 * The log events of some loggers while it is open, as the test JVM's log4j2 emits them: each named
 * logger is set to {@code level} (the test configuration's root is WARN) and still writes to the
 * console as well. Close it to restore the configuration.
 */
public final class LogEvents implements AutoCloseable {
    /** One event: its level, the simple name of its logger, and its formatted message. */
    public record Line(String level, String logger, String message) {
        @Override
        public String toString() {
            return level + " " + logger + " - " + message;
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final List<String> names;
    private final AbstractAppender appender;

    private LogEvents(Level level, List<String> names) {
        this.names = names;
        appender =
                new AbstractAppender("log-events", null, null, true, Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent e) {
                        String logger = e.getLoggerName();
                        lines.add(
                                new Line(
                                        e.getLevel().name(),
                                        logger.substring(logger.lastIndexOf('.') + 1),
                                        e.getMessage().getFormattedMessage()));
                    }
                };
        appender.start();
        Configuration config = context.getConfiguration();
        for (String name : names) {
            LoggerConfig logger = new LoggerConfig(name, level, true);
            logger.addAppender(appender, level, null);
            config.addLogger(name, logger);
        }
        context.updateLoggers();
    }

    /** Captures the events of {@code loggers} (class names) at {@code level} and above. */
    public static LogEvents capture(Level level, Class<?>... loggers) {
        return new LogEvents(level, java.util.Arrays.stream(loggers).map(Class::getName).toList());
    }

    /** Every event so far, in order. */
    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The events so far of the logger with this simple name. */
    public List<Line> of(String logger) {
        return lines.stream().filter(l -> l.logger().equals(logger)).toList();
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        for (String name : names) {
            config.removeLogger(name);
        }
        context.updateLoggers();
        appender.stop();
    }
}
