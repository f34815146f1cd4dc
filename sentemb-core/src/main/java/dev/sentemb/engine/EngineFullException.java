package dev.sentemb.engine;

import dev.sentemb.SentembException;

/** A submission refused at once because the engine's queue cannot take it whole; nothing of it was queued. */
public final class EngineFullException extends SentembException {
    private final int queued;
    private final int capacity;

    public EngineFullException(int requested, int queued, int capacity) {
        super("the embedding engine's queue is full: " + requested + " inputs asked, " + queued + " of " + capacity + " places taken");
        this.queued = queued;
        this.capacity = capacity;
    }

    public int queued() {
        return queued;
    }

    public int capacity() {
        return capacity;
    }
}
