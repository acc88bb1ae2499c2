#ifndef PINGCHA_SIMD_BITS_H
#define PINGCHA_SIMD_BITS_H

#include <stdint.h>
#include "utf8_check.h"

/// Sixteen bytes, as Swift's SIMD16<UInt8> (Clang's vector type is imported as that).
typedef unsigned char pingcha_u8x16 __attribute__((ext_vector_type(16)));

#if defined(__SSE2__)
#include <emmintrin.h>
/// The top bit of each of the sixteen bytes as one 16-bit mask (bit i from byte i): x86's
/// pmovmskb, which Swift has no word for. The vectorised CSV tokenizer turns each byte
/// comparison into a mask with it.
static inline uint32_t pingcha_movemask16(pingcha_u8x16 lanes) {
    return (uint32_t)_mm_movemask_epi8((__m128i)lanes);
}
#else
static inline uint32_t pingcha_movemask16(pingcha_u8x16 lanes) {
    uint32_t mask = 0;
    for (int lane = 0; lane < 16; lane++) mask |= (uint32_t)(lanes[lane] >> 7) << lane;
    return mask;
}
#endif

#endif
