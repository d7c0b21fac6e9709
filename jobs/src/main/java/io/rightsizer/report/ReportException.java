package io.rightsizer.report;

/** A report could not be made; the message says why, for the person who ran the command. */
public class ReportException extends Exception {
    public ReportException(String message) {
        super(message);
    }

    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
