#ifndef PINGCHA_MEMORY_HINTS_H
#define PINGCHA_MEMORY_HINTS_H

/// Asks for the cache line holding `address` to be fetched for reading, without waiting for it
/// (a hint: nothing happens where the processor has no such instruction).
static inline void pingcha_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Keeps freed memory in the process's heap for its next allocations (glibc: blocks up to 32 MiB
/// from the heap, which is never trimmed); nothing elsewhere. Returns whether glibc took it.
int pingcha_keep_freed_memory(void);

#endif
