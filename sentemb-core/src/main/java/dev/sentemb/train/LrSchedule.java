package dev.sentemb.train;

/**
 * HF's linear schedule with warm-up ({@code get_linear_schedule_with_warmup}): the rate rises linearly from
 * 0 over the warm-up steps, then falls linearly to 0 at the last step.
 */
public record LrSchedule(double peak, int warmupSteps, int totalSteps) {
    public LrSchedule {
        if (totalSteps <= 0 || warmupSteps < 0) {
            throw new IllegalArgumentException("schedule needs total > 0 and warm-up >= 0 steps, got " + totalSteps + "/" + warmupSteps);
        }
    }

    /** The rate of optimizer step {@code step} (0-based, as the scheduler has been stepped that often). */
    public double at(int step) {
        if (step < warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        return peak * Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    }
}
