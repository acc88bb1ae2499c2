#include "plain_loops.h"

#include <csv.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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

uint64_t plain_sum_keys_groups(const uint64_t *keys, const int32_t *ids, size_t count) {
    uint64_t total = 0;
    int64_t groups = 0;
    for (size_t i = 0; i < count; i++) {
        total += keys[i];
        groups += ids[i];
    }
    return total + (uint64_t)groups;
}

size_t plain_count_high_bytes(const uint8_t *bytes, size_t count) {
    size_t total = 0;
    for (size_t i = 0; i < count; i++) total += bytes[i] >= 0x80;
    return total;
}

static void count_field(void *data, size_t length, void *context) { (void)data; (void)length; (void)context; }
static void count_record(int terminator, void *context) { (void)terminator; *(long *)context += 1; }

long plain_libcsv_records(const char *path) {
    int descriptor = open(path, O_RDONLY);
    if (descriptor < 0) return -1;
    struct stat status;
    if (fstat(descriptor, &status) != 0) { close(descriptor); return -1; }
    size_t size = (size_t)status.st_size;
    char *bytes = mmap(NULL, size, PROT_READ, MAP_PRIVATE, descriptor, 0);
    close(descriptor);
    if (bytes == MAP_FAILED) return -1;
    struct csv_parser parser;
    csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL);
    long records = 0;
    size_t block = 1 << 20;
    for (size_t offset = 0; offset < size; offset += block) {
        size_t length = size - offset < block ? size - offset : block;
        csv_parse(&parser, bytes + offset, length, count_field, count_record, &records);
    }
    csv_fini(&parser, count_field, count_record, &records);
    csv_free(&parser);
    munmap(bytes, size);
    return records;
}
