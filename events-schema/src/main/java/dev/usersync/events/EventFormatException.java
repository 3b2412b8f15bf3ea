package dev.usersync.events;

/** An event that cannot be read: malformed JSON, an unknown type or version, or a value of the wrong shape. */
public class EventFormatException extends RuntimeException {

    public EventFormatException(String message) {
        super(message);
    }

    public EventFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
