#ifndef PINGCHA_CCRC32_SHIM_H
#define PINGCHA_CCRC32_SHIM_H
#include <zlib.h>
#endif
