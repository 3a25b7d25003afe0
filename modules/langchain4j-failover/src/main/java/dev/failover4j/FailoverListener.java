package dev.failover4j;

/**
 * Receives {@link FailoverEvent}s from a failover model, synchronously on the calling thread.
 *
 * <p>Keep it fast; hand heavy work to another thread. An exception thrown by a listener never
 * breaks a call: it is caught, logged once per listener at WARN (later ones at DEBUG), and the
 * call goes on.
 */
@FunctionalInterface
public interface FailoverListener {

    /** @param event what happened */
    void onEvent(FailoverEvent event);
}
