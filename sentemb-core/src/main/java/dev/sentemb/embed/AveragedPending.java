package dev.sentemb.embed;

import dev.sentemb.strategy.EnsembleStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An ensemble's sentences: every part's prompts submitted at once, each sentence's vectors averaged when awaited. */
final class AveragedPending implements PendingEmbeddings {
    private final EnsembleStrategy ensemble;
    private final List<PendingEmbeddings> parts;
    private final boolean normalize;

    /** Every part's prompts of every sentence, submitted at once; one part refused cancels the others and refuses the call. */
    static AveragedPending submit(EnsembleStrategy ensemble, List<Encoder> parts, List<String> sentences, boolean normalize) {
        List<PendingEmbeddings> each = new ArrayList<>(parts.size());
        try {
            for (Encoder part : parts) {
                each.add(part.submit(sentences));
            }
        } catch (RuntimeException refused) {
            each.forEach(PendingEmbeddings::cancel);
            throw refused;
        }
        return new AveragedPending(ensemble, each, normalize);
    }

    private AveragedPending(EnsembleStrategy ensemble, List<PendingEmbeddings> parts, boolean normalize) {
        this.ensemble = ensemble;
        this.parts = List.copyOf(parts);
        this.normalize = normalize;
    }

    @Override
    public long submissionId() {
        return parts.get(0).submissionId();
    }

    @Override
    public int size() {
        return parts.get(0).size();
    }

    @Override
    public int promptTokens(int i) {
        return parts.stream().mapToInt(p -> p.promptTokens(i)).sum();
    }

    @Override
    public boolean isDone() {
        return parts.stream().allMatch(PendingEmbeddings::isDone);
    }

    @Override
    public boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (PendingEmbeddings p : parts) {
            if (!p.awaitDone(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<EmbedResult> await() throws InterruptedException {
        List<List<EmbedResult>> each = new ArrayList<>(parts.size());
        for (PendingEmbeddings p : parts) {
            each.add(p.await());
        }
        return EnsembleRun.combine(ensemble, each, size(), normalize);
    }

    @Override
    public void cancel() {
        parts.forEach(PendingEmbeddings::cancel);
    }
}
