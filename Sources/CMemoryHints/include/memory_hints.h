#ifndef PINGCHA_MEMORY_HINTS_H
#define PINGCHA_MEMORY_HINTS_H

/// Asks for the cache line holding `address` to be fetched for reading, without waiting for it
/// (a hint: nothing happens where the processor has no such instruction).
static inline void pingcha_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Has the C allocator keep the memory of big blocks that are freed, for the next ones, instead
/// of mapping each big block afresh and unmapping it when freed (glibc's `mallopt`; nothing
/// elsewhere). For a process that runs one statement after another on arrays of the same sizes.
void pingcha_keep_freed_memory(void);

#endif
