package dev.failover4j.internal;

import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverListener;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners; a listener that throws anything but a {@link VirtualMachineError} is logged
 * (WARN once, then DEBUG) and never breaks a call.
 */
final class ListenerNotifier {

    private static final Logger log = LoggerFactory.getLogger(ListenerNotifier.class);

    /** Copy-on-write: listeners are added rarely (a metrics binder), read on every event. */
    private final List<FailoverListener> listeners;
    private final Set<FailoverListener> warned = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    public ListenerNotifier(List<FailoverListener> listeners) {
        this.listeners = new java.util.concurrent.CopyOnWriteArrayList<>(listeners);
    }

    public void notify(FailoverEvent event) {
        for (FailoverListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // an AssertionError in a listener is no reason to fail a call a target answered
                if (warned.add(listener)) {
                    log.warn("FailoverListener {} threw on {}; the call goes on (further failures of this listener are logged at DEBUG)",
                            listener.getClass().getName(), event.getClass().getSimpleName(), e);
                } else {
                    log.debug("FailoverListener {} threw again", listener.getClass().getName(), e);
                }
            }
        }
    }

    public boolean isEmpty() {
        return listeners.isEmpty();
    }

    void add(FailoverListener listener) {
        listeners.add(listener);
    }

    boolean remove(FailoverListener listener) {
        return listeners.remove(listener);
    }
}
