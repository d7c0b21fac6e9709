package io.rightsizer.console;

/** Something the console could not do, in a sentence a person can act on (no secret in it). */
public class ConsoleException extends Exception {
    public ConsoleException(String message) {
        super(message);
    }

    public ConsoleException(String message, Throwable cause) {
        super(message, cause);
    }
}
