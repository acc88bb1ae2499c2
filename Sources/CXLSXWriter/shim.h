#ifndef PINGCHA_CXLSXWRITER_SHIM_H
#define PINGCHA_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
