/* A minimal test harness for the C tests: counts checks, prints failures with their line, and
 * ends with the "N passed, N failed" summary line. Header-only so each test is one file. */
#ifndef SWAPWIRE_TEST_CHECK_H
#define SWAPWIRE_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

#include "swapwire.h"

static unsigned long checks_passed;
static unsigned long checks_failed;

static inline void check_at(int ok, const char *what, const char *file, int line) {
    if (ok) {
        checks_passed++;
    } else {
        checks_failed++;
        fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    }
}

#define CHECK(cond) check_at((cond) ? 1 : 0, #cond, __FILE__, __LINE__)

/* Checks a status and says which one came instead. */
static inline void check_status_at(swapwire_status got, swapwire_status want, const char *what, const char *file,
                            int line) {
    if (got != want) {
        fprintf(stderr, "%s:%d: %s: got status %d (%s), want %d (%s)\n", file, line, what, (int)got,
                swapwire_status_str(got), (int)want, swapwire_status_str(want));
    }
    check_at(got == want, what, file, line);
}

#define CHECK_STATUS(call, want) check_status_at((call), (want), #call, __FILE__, __LINE__)

static inline int check_summary(void) {
    printf("%lu passed, %lu failed\n", checks_passed, checks_failed);
    return checks_failed == 0 ? 0 : 1;
}

/* Parses hex text (whitespace ends it) into out; returns the byte count or -1. */
static inline long parse_hex(const char *text, unsigned char *out, size_t cap) {
    size_t n = 0;
    while (text[0] != '\0' && text[0] != '\n' && text[0] != ' ' && text[0] != '\r') {
        unsigned int byte;
        if (text[1] == '\0' || n == cap || sscanf(text, "%2x", &byte) != 1) {
            return -1;
        }
        out[n++] = (unsigned char)byte;
        text += 2;
    }
    return (long)n;
}

/* Reads a whole file into buf (NUL-terminated); returns its length or -1. */
static inline long read_file(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "rb");
    size_t n;
    if (f == NULL) {
        return -1;
    }
    n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = '\0';
    return (long)n;
}

static inline void set_code(char dst[3], const char *code) {
    memset(dst, 0, 3);
    memcpy(dst, code, strlen(code) < 3 ? strlen(code) : 3);
}

#endif
