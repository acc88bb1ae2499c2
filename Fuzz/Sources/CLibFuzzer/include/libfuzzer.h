#ifndef PINGCHA_LIBFUZZER_H
#define PINGCHA_LIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver for programs that have their own main (compiler-rt's FuzzerInterface):
/// Swift has no spelling for a C declaration, so it lives in this one header.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
