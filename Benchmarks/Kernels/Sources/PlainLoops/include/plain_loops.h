#ifndef PLAIN_LOOPS_H
#define PLAIN_LOOPS_H
#include <stddef.h>
#include <stdint.h>

/* The plain C loops pingcha's kernels are measured against, over the same buffers. */

/* Values strictly below threshold. */
long plain_count_below(const double *values, size_t count, double threshold);

/* Per group (ids in [0, groups) or -1 for left out): count and sum. */
void plain_grouped_count_sum(const double *values, const int32_t *ids, size_t count, long *counts, double *sums);

/* Sum of all values: the loop that reads the buffer at the memory's pace. */
double plain_sum(const double *values, size_t count);

/* Per row a 64-bit key and a 32-bit group read and summed: the plain loop over the buffers the
   draw's per-group smallest-keys selection reads. */
uint64_t plain_sum_keys_groups(const uint64_t *keys, const int32_t *ids, size_t count);

/* Bytes of 0x80 or more (the non-ASCII bytes of UTF-8 text): the plain loop over the buffer the
   UTF-8 check reads. */
size_t plain_count_high_bytes(const uint8_t *bytes, size_t count);

/* libcsv alone over a file (strict mode, every line break reported, as pingcha sets it) with
   callbacks that only count: the floor under any ingest built on libcsv. Returns the records,
   or -1 when the file cannot be read. */
long plain_libcsv_records(const char *path);

#endif
