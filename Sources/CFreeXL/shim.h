#ifndef PINGCHA_CFREEXL_SHIM_H
#define PINGCHA_CFREEXL_SHIM_H
#include <freexl.h>
#endif
