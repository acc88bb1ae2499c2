// Most hints are inline functions in include/memory_hints.h.
#include "memory_hints.h"

#if defined(__linux__)
#include <features.h>  // defines __GLIBC__ under glibc
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void pingcha_keep_freed_memory(void) {
#if defined(__GLIBC__)
    // Blocks below 32 MiB (the most it takes) come from the heap, not a mapping of their own,
    // and up to 1 GiB free at the top of a heap stays with the process.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}
