// The hints are inline functions in include/memory_hints.h; this file gives the target a source.
#include "memory_hints.h"
