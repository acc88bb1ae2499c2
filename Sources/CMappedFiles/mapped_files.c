// The notes of mapped files and the SIGBUS handler (include/mapped_files.h). A file that another
// program truncates while it is mapped makes every read past its new end raise SIGBUS, which
// would otherwise end the process with a crash and no word about the file.
#include "mapped_files.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define NOTE_COUNT 64
#define PATH_BYTES 1024

struct note {
    uintptr_t start;
    size_t size;
    char path[PATH_BYTES];
    int used;  // read by the handler with an acquire load; written last with a release store
};

static struct note notes[NOTE_COUNT];
static pthread_mutex_t notes_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t use_english = 0;
static int handler_installed = 0;

int pingcha_note_mapping(const void *start, size_t size, const char *path) {
    int found = -1;
    pthread_mutex_lock(&notes_lock);
    for (int index = 0; index < NOTE_COUNT; index++) {
        if (!__atomic_load_n(&notes[index].used, __ATOMIC_ACQUIRE)) {
            notes[index].start = (uintptr_t)start;
            notes[index].size = size;
            strncpy(notes[index].path, path, PATH_BYTES - 1);
            notes[index].path[PATH_BYTES - 1] = 0;
            __atomic_store_n(&notes[index].used, 1, __ATOMIC_RELEASE);
            found = index;
            break;
        }
    }
    pthread_mutex_unlock(&notes_lock);
    return found;
}

void pingcha_forget_mapping(int note) {
    if (note < 0 || note >= NOTE_COUNT) return;
    pthread_mutex_lock(&notes_lock);
    __atomic_store_n(&notes[note].used, 0, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&notes_lock);
}

// Only async-signal-safe calls from here on: write, _exit, sigaction, raise.
static void write_text(const char *text) {
    size_t length = strlen(text);
    while (length > 0) {
        ssize_t written = write(STDERR_FILENO, text, length);
        if (written <= 0) return;
        text += written;
        length -= (size_t)written;
    }
}

static void on_bus_error(int signal_number, siginfo_t *info, void *context) {
    (void)context;
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int index = 0; index < NOTE_COUNT; index++) {
        if (!__atomic_load_n(&notes[index].used, __ATOMIC_ACQUIRE)) continue;
        if (address >= notes[index].start && address - notes[index].start < notes[index].size) {
            if (use_english) {
                write_text("pingcha: error: the file ");
                write_text(notes[index].path);
                write_text(" became shorter while it was being read (another program truncated or rewrote it). "
                           "Run the command again once the file no longer changes.\n");
            } else {
                write_text("pingcha：错误：文件 ");
                write_text(notes[index].path);
                write_text(" 在读取过程中变短了（被其他程序截断或改写）。请等文件不再变化后重新运行。\n");
            }
            _exit(74);
        }
    }
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(signal_number, &fallback, NULL);
    raise(signal_number);
}

void pingcha_handle_truncated_mappings(int english) {
    use_english = english ? 1 : 0;
    // Once installed, no lock is taken (a child process forked while another thread held it
    // may call this too).
    if (__atomic_load_n(&handler_installed, __ATOMIC_ACQUIRE)) return;
    pthread_mutex_lock(&notes_lock);
    if (!handler_installed) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_sigaction = on_bus_error;
        action.sa_flags = SA_SIGINFO;
        sigemptyset(&action.sa_mask);
        if (sigaction(SIGBUS, &action, NULL) == 0) __atomic_store_n(&handler_installed, 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&notes_lock);
}
