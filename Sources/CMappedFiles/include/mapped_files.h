#ifndef PINGCHA_MAPPED_FILES_H
#define PINGCHA_MAPPED_FILES_H

#include <stddef.h>

/// Notes that the `size` bytes at `start` are a mapping of the file at `path` (an export being
/// read, a cache entry), so that a read past the file's end, after another program truncated it,
/// is reported with its name. Returns the note's number for `pingcha_forget_mapping`, or -1 when
/// all places are taken (the mapping is then read all the same, and such a read not named).
int pingcha_note_mapping(const void *start, size_t size, const char *path);

/// Forgets note `note` (before its mapping is unmapped); -1 is ignored.
void pingcha_forget_mapping(int note);

/// Installs the handler of SIGBUS, the signal a read of a mapped page past a file's end raises.
/// For an address inside a noted mapping it writes one line to standard error, in Chinese or in
/// English, naming the file, and ends the process with status 74 (sysexits' EX_IOERR); any other
/// SIGBUS is raised again with the default action. `english` chooses the line's language; calling
/// again only changes the language.
void pingcha_handle_truncated_mappings(int english);

#endif
