package dev.failover4j.micrometer;

import io.micrometer.core.instrument.Meter;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * A fixed set of meters that differ in one tag (an enum constant's ordinal picks the slot), each registered at its
 * first use and then read without a registry lookup: the call path pays one array read, not building a
 * {@code Meter.Id} and searching the registry. Two threads registering the same slot at once get the same meter
 * (registries return the meter already registered under an id).
 */
final class MeterSlots<M extends Meter> {

    private final AtomicReferenceArray<M> slots;
    private final IntFunction<M> register;

    MeterSlots(int size, IntFunction<M> register) {
        this.slots = new AtomicReferenceArray<>(size);
        this.register = register;
    }

    M get(int slot) {
        M meter = slots.get(slot);
        if (meter == null) {
            meter = register.apply(slot);
            slots.set(slot, meter);
        }
        return meter;
    }
}
