#ifndef PINGCHA_UTF8_CHECK_H
#define PINGCHA_UTF8_CHECK_H

#include <stddef.h>
#include <stdint.h>

/// How far `bytes` is known to be valid UTF-8, checked 32 bytes at a time with AVX2 where the
/// processor has it: an offset (a multiple of 32) such that every byte before it belongs to a
/// valid character, or 0 (always 0 without AVX2). Text from there on is left to the caller's
/// exact check, which must begin at the first byte of the character holding that offset: the
/// last block before it may end inside a character. `quotes` is set to the number of quote marks
/// (") before the offset, `multibyte` to whether a byte of E0 or above (the lead of a three- or
/// four-byte character) occurs before it. `bytes` must begin a character.
size_t pingcha_utf8_valid_prefix(const uint8_t *bytes, size_t count, size_t *quotes, int *multibyte);

/// 1 where `pingcha_utf8_valid_prefix` checks with AVX2, 0 where it always answers 0.
int pingcha_utf8_has_wide_check(void);

#endif
