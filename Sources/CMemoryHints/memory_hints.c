// The prefetch hint is an inline function in include/memory_hints.h; the allocator setting
// needs <malloc.h>, which Swift's Glibc module does not bring in.
#include "memory_hints.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int pingcha_keep_freed_memory(void) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, 32 << 20) && mallopt(M_TRIM_THRESHOLD, 0x7fffffff);
#else
    return 0;
#endif
}
