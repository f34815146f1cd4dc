package dev.sentemb.spark;

import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import dev.sentemb.embed.PendingEmbeddings;
import dev.sentemb.engine.EngineFullException;
import dev.sentemb.load.ModelSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * One partition's rows in, the same rows with their vectors out, in order. Rows are pulled lazily,
 * {@code batchRows} at a time, so a partition of any size streams through in bounded memory; each batch
 * is one submission to the executor's shared engine, which packs it with other tasks' rows.
 */
final class PartitionEmbedder implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final ModelSpec spec;
    private final SentembSpark.Options opts;
    private final int textColumn;
    private final LongAccumulator rowsDone; // progress only (a retried task counts again); may be null

    PartitionEmbedder(ModelSpec spec, SentembSpark.Options opts, int textColumn, LongAccumulator rowsDone) {
        this.spec = spec;
        this.opts = opts;
        this.textColumn = textColumn;
        this.rowsDone = rowsDone;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return rows; // an empty partition loads nothing
        }
        Encoder encoder = ExecutorModels.get(spec, opts);
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && rows.hasNext()) {
                    List<Row> batch = new ArrayList<>(opts.batchRows());
                    while (batch.size() < opts.batchRows() && rows.hasNext()) {
                        batch.add(rows.next());
                    }
                    ready.addAll(embed(encoder, batch));
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    private List<Row> embed(Encoder encoder, List<Row> batch) {
        String[] errors = new String[batch.size()];
        List<String> texts = new ArrayList<>();
        List<Integer> rowOf = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Row r = batch.get(i);
            String text = r.isNullAt(textColumn) ? null : r.getString(textColumn);
            String invalid = RowText.invalid(text);
            if (invalid != null) {
                errors[i] = invalid;
            } else {
                texts.add(text);
                rowOf.add(i);
            }
        }
        float[][] vectors = new float[batch.size()][];
        Integer[] tokens = new Integer[batch.size()];
        if (!texts.isEmpty()) {
            PendingEmbeddings pending = submit(encoder, texts);
            List<EmbedResult> results;
            try {
                results = pending.await();
            } catch (InterruptedException e) {
                pending.cancel(); // the task was killed: leave nothing queued in the shared engine
                Thread.currentThread().interrupt();
                throw new IllegalStateException("embedding interrupted (the task was cancelled)", e);
            }
            for (int k = 0; k < results.size(); k++) {
                int i = rowOf.get(k);
                EmbedResult res = results.get(k);
                if (res.isOk()) {
                    vectors[i] = res.vector();
                    tokens[i] = pending.promptTokens(k);
                } else {
                    errors[i] = res.error();
                    int t = pending.promptTokens(k);
                    tokens[i] = t > 0 ? t : null;
                }
            }
        }
        List<Row> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Row r = batch.get(i);
            int width = r.length() + (opts.tokens() ? 3 : 2);
            Object[] values = new Object[width];
            for (int c = 0; c < r.length(); c++) {
                values[c] = r.get(c);
            }
            values[r.length()] = vectors[i] == null ? null : boxed(vectors[i]);
            values[r.length() + 1] = errors[i];
            if (opts.tokens()) {
                values[r.length() + 2] = tokens[i];
            }
            out.add(RowFactory.create(values));
        }
        if (rowsDone != null) {
            rowsDone.add(batch.size());
        }
        return out;
    }

    /** Submits, waiting while the shared engine's queue is full (other tasks' batches drain it). */
    private static PendingEmbeddings submit(Encoder encoder, List<String> texts) {
        long wait = 1;
        while (true) {
            try {
                return encoder.submit(texts);
            } catch (EngineFullException full) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("embedding interrupted (the task was cancelled)", e);
                }
                wait = Math.min(wait * 2, 100);
            }
        }
    }

    // A Row's array<float> value: an array of boxed floats (Spark's row encoder takes object arrays).
    private static Float[] boxed(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return b;
    }
}
