#ifndef PINGCHA_MEMORY_HINTS_H
#define PINGCHA_MEMORY_HINTS_H

/// Asks for the cache line holding `address` to be fetched for reading, without waiting for it
/// (a hint: nothing happens where the processor has no such instruction).
static inline void pingcha_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
