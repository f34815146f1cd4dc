package dev.sentemb.model;

import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The activation buffers of one forward pass, reused by every layer of it and, through a
 * {@link Pool}, by later passes. Allocating each layer's q/k/v, MLP and norm outputs afresh made a
 * 1,024-token pass of a 30-layer model produce close to a gigabyte of garbage, and the collector
 * answered by growing the heap to gigabytes; with reuse a pass allocates its residual stream and
 * output only.
 *
 * <p>A buffer is at least as long as asked and may be longer (it keeps the largest size seen), so
 * code working on one must bound its loops by rows × width, never by the array's length. Not
 * thread-safe: one pass owns a workspace at a time.
 */
final class Workspace {
    /** What each buffer holds; a layer uses each for one purpose. */
    enum Buffer { NORMED, Q, K, V, CONTEXT, PROJECTED, GATE, UP, MLP_OUT }

    private final float[][] buffers = new float[Buffer.values().length][];

    /** A buffer of at least {@code size} floats; its contents are whatever the last user left. */
    float[] get(Buffer b, int size) {
        float[] a = buffers[b.ordinal()];
        if (a == null || a.length < size) {
            a = new float[size];
            buffers[b.ordinal()] = a;
        }
        return a;
    }

    /** Workspaces not in use, handed to concurrent passes one each. */
    static final class Pool {
        private final ConcurrentLinkedDeque<Workspace> idle = new ConcurrentLinkedDeque<>();

        Workspace take() {
            Workspace w = idle.pollFirst();
            return w != null ? w : new Workspace();
        }

        void give(Workspace w) {
            idle.offerFirst(w);
        }
    }
}
