#include "plain_loops.h"

long plain_count_below(const double *values, size_t count, double threshold) {
    long total = 0;
    for (size_t i = 0; i < count; i++) total += values[i] < threshold;
    return total;
}

void plain_grouped_count_sum(const double *values, const int32_t *ids, size_t count, long *counts, double *sums) {
    for (size_t i = 0; i < count; i++) {
        int32_t group = ids[i];
        if (group < 0) continue;
        counts[group] += 1;
        sums[group] += values[i];
    }
}

double plain_sum(const double *values, size_t count) {
    double a = 0, b = 0, c = 0, d = 0;
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        a += values[i];
        b += values[i + 1];
        c += values[i + 2];
        d += values[i + 3];
    }
    for (; i < count; i++) a += values[i];
    return a + b + c + d;
}
