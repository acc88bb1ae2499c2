// UTF-8 validation 32 bytes at a time with AVX2 byte shuffles (x86's vpshufb, which Swift has
// no word for), chosen at run time where the processor has them. The method is the
// three-table lookup of Keiser and Lemire ("Validating UTF-8 in less than one instruction per
// byte", 2021): each byte is classified by the high nibble of the byte before it, the low nibble
// of the byte before it and its own high nibble; a byte is wrong where the three tables share a
// bit. Multi-byte sequences are checked by comparing the bytes two and three back.
//
// The Swift kernel (`EncodingDetector.checkUTF8(_:quotes:)`) and the scalar check are its twins:
// this only says how far the text is valid; they find the exact offset of a fault.
#include "utf8_check.h"

#if defined(__x86_64__)
#include <immintrin.h>

enum {
    TOO_SHORT = 1 << 0,      // a lead byte (or ASCII) where a continuation byte must follow
    TOO_LONG = 1 << 1,       // a continuation byte after ASCII
    OVERLONG_3 = 1 << 2,     // E0 80..9F
    TOO_LARGE = 1 << 3,      // F4 90..BF, and F5..FF with 90..BF
    SURROGATE = 1 << 4,      // ED A0..BF
    OVERLONG_2 = 1 << 5,     // C0, C1 with any continuation
    TOO_LARGE_1000 = 1 << 6, // F5..FF 80..8F
    OVERLONG_4 = 1 << 6,     // F0 80..8F
    TWO_CONTS = 1 << 7,      // a continuation byte after a continuation byte
    CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS,
};

// Each entry is a byte of flags; the cast keeps the top flag (0x80) from warning as a char.
#define TABLE(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p) \
    _mm256_setr_epi8((char)(a), (char)(b), (char)(c), (char)(d), (char)(e), (char)(f), (char)(g), (char)(h), \
                     (char)(i), (char)(j), (char)(k), (char)(l), (char)(m), (char)(n), (char)(o), (char)(p), \
                     (char)(a), (char)(b), (char)(c), (char)(d), (char)(e), (char)(f), (char)(g), (char)(h), \
                     (char)(i), (char)(j), (char)(k), (char)(l), (char)(m), (char)(n), (char)(o), (char)(p))

__attribute__((target("avx2,popcnt")))
static size_t valid_prefix_avx2(const uint8_t *bytes, size_t count, size_t *quotes, int *multibyte) {
    // By the high nibble of the byte before.
    const __m256i before_high = TABLE(
        TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
        TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,
        TOO_SHORT | OVERLONG_2, TOO_SHORT, TOO_SHORT | OVERLONG_3 | SURROGATE,
        TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);
    // By the low nibble of the byte before.
    const __m256i before_low = TABLE(
        CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, CARRY | OVERLONG_2, CARRY, CARRY,
        CARRY | TOO_LARGE, CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE, CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000);
    // By the byte's own high nibble.
    const __m256i own_high = TABLE(
        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT);
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    const __m256i quote = _mm256_set1_epi8('"');
    const __m256i top = _mm256_set1_epi8((char)0x80);
    const __m256i third = _mm256_set1_epi8(0xE0 - 0x80);
    const __m256i fourth = _mm256_set1_epi8(0xF0 - 0x80);
    const __m256i below_three_byte_lead = _mm256_set1_epi8((char)0xDF);

    __m256i previous = _mm256_setzero_si256();
    size_t counted_quotes = 0, pending_quotes = 0;
    int counted_multibyte = 0, pending_multibyte = 0;
    size_t offset = 0;
    // Each block's quote marks and lead bytes are counted one block late: when a block fails,
    // the fault may lie in the last bytes of the block before, which is then left to the caller.
    for (; offset + 32 <= count; offset += 32) {
        const __m256i input = _mm256_loadu_si256((const __m256i *)(bytes + offset));
        const __m256i joined = _mm256_permute2x128_si256(previous, input, 0x21);
        const __m256i back1 = _mm256_alignr_epi8(input, joined, 15);
        const __m256i back2 = _mm256_alignr_epi8(input, joined, 14);
        const __m256i back3 = _mm256_alignr_epi8(input, joined, 13);
        const __m256i classes = _mm256_and_si256(
            _mm256_and_si256(_mm256_shuffle_epi8(before_high, _mm256_and_si256(_mm256_srli_epi16(back1, 4), nibble)),
                             _mm256_shuffle_epi8(before_low, _mm256_and_si256(back1, nibble))),
            _mm256_shuffle_epi8(own_high, _mm256_and_si256(_mm256_srli_epi16(input, 4), nibble)));
        const __m256i continuation_expected = _mm256_and_si256(
            _mm256_or_si256(_mm256_subs_epu8(back2, third), _mm256_subs_epu8(back3, fourth)), top);
        const __m256i faults = _mm256_xor_si256(classes, continuation_expected);
        if (!_mm256_testz_si256(faults, faults)) {
            *quotes = counted_quotes;
            *multibyte = counted_multibyte;
            return offset >= 32 ? offset - 32 : 0;
        }
        counted_quotes += pending_quotes;
        counted_multibyte |= pending_multibyte;
        pending_quotes = (size_t)__builtin_popcount((unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(input, quote)));
        const __m256i leads = _mm256_subs_epu8(input, below_three_byte_lead);
        pending_multibyte = !_mm256_testz_si256(leads, leads);
        previous = input;
    }
    *quotes = counted_quotes;
    *multibyte = counted_multibyte;
    return offset >= 32 ? offset - 32 : 0;
}
#endif

size_t pingcha_utf8_valid_prefix(const uint8_t *bytes, size_t count, size_t *quotes, int *multibyte) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) return valid_prefix_avx2(bytes, count, quotes, multibyte);
#endif
    *quotes = 0;
    *multibyte = 0;
    return 0;
}

int pingcha_utf8_has_wide_check(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    return 0;
#endif
}
