/* The shared golden vectors through the C API, byte-exact both ways: every .hex file of tests/vectors
 * decodes, re-encodes to the same bytes (as any record and as its own kind), matches its .json
 * through the JSON functions, and fails with TRUNCATED when cut short; every line of bad.txt
 * fails with the status (and field) it names, leaving the output untouched.
 *
 * Usage: test_vectors DIR   (DIR is tests/vectors) */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdlib.h>

#include "check.h"

static const char *vectors_dir;

/* Decodes the bytes after the kind byte as one kind, re-encodes, and compares. */
#define KIND_ROUND_TRIP(type, prefix, body, len)                                                        \
    do {                                                                                                \
        type value_;                                                                                    \
        unsigned char again_[SWAPWIRE_RECORD_MAX_SIZE];                                                 \
        size_t written_ = 0, used_ = 0, size_ = 0;                                                      \
        CHECK_STATUS(prefix##_decode((body), (len), &value_, NULL), SWAPWIRE_OK);                        \
        CHECK_STATUS(prefix##_encode(&value_, again_, sizeof again_, &written_, NULL), SWAPWIRE_OK);    \
        CHECK(written_ == (len) && memcmp(again_, (body), (len)) == 0);                                 \
        CHECK_STATUS(prefix##_encoded_len(&value_, &size_, NULL), SWAPWIRE_OK);                         \
        CHECK(size_ == (len));                                                                          \
        CHECK_STATUS(prefix##_validate(&value_, NULL), SWAPWIRE_OK);                                    \
        CHECK_STATUS(prefix##_decode_prefix((body), (len), &value_, &used_, NULL), SWAPWIRE_OK);        \
        CHECK(used_ == (len));                                                                          \
    } while (0)

static void check_json(const char *name, const unsigned char *bytes, size_t n, const swapwire_record *rec) {
    char path[1024], committed[8192], text[8192], message[256];
    unsigned char again[SWAPWIRE_RECORD_MAX_SIZE];
    swapwire_record from_json;
    size_t written = 0, len;
    long json_len;

    snprintf(path, sizeof path, "%s/%s.json", vectors_dir, name);
    json_len = read_file(path, committed, sizeof committed);
    CHECK(json_len > 0);
    if (json_len <= 0) {
        return;
    }
    /* The committed file is the pretty form plus a newline. */
    CHECK_STATUS(swapwire_record_to_json(rec, SWAPWIRE_JSON_PRETTY, text, sizeof text, &written, NULL), SWAPWIRE_OK);
    CHECK(written + 1 == (size_t)json_len && memcmp(text, committed, written) == 0 && text[written] == '\0');
    /* JSON text to record to the committed bytes. */
    CHECK_STATUS(swapwire_record_from_json(committed, (size_t)json_len, &from_json, message, sizeof message),
                 SWAPWIRE_OK);
    CHECK_STATUS(swapwire_record_encode(&from_json, again, sizeof again, &len, NULL), SWAPWIRE_OK);
    CHECK(len == n && memcmp(again, bytes, n) == 0);
    /* The compact form reads back to the same bytes too. */
    CHECK_STATUS(swapwire_record_to_json(rec, 0, text, sizeof text, &written, NULL), SWAPWIRE_OK);
    CHECK(strchr(text, '\n') == NULL);
    CHECK_STATUS(swapwire_record_from_json(text, written, &from_json, NULL, 0), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_record_encode(&from_json, again, sizeof again, &len, NULL), SWAPWIRE_OK);
    CHECK(len == n && memcmp(again, bytes, n) == 0);
}

static void check_vector(const char *name) {
    char path[1024], text[1024];
    unsigned char bytes[SWAPWIRE_RECORD_MAX_SIZE + 1], out[SWAPWIRE_RECORD_MAX_SIZE + 8];
    swapwire_record rec;
    size_t n, written = 0, len = 0, used = 0, cut, i;
    long parsed;

    snprintf(path, sizeof path, "%s/%s.hex", vectors_dir, name);
    parsed = read_file(path, text, sizeof text) > 0 ? parse_hex(text, bytes, SWAPWIRE_RECORD_MAX_SIZE) : -1;
    CHECK(parsed > 0);
    if (parsed <= 0) {
        return;
    }
    n = (size_t)parsed;

    /* Bytes to record to the same bytes; nothing written past them. */
    CHECK_STATUS(swapwire_record_decode(bytes, n, &rec, NULL), SWAPWIRE_OK);
    memset(out, 0xA5, sizeof out);
    CHECK_STATUS(swapwire_record_encode(&rec, out, sizeof out, &written, NULL), SWAPWIRE_OK);
    CHECK(written == n && memcmp(out, bytes, n) == 0);
    for (i = n; i < sizeof out; i++) {
        CHECK(out[i] == 0xA5);
    }
    CHECK_STATUS(swapwire_record_encoded_len(&rec, &len, NULL), SWAPWIRE_OK);
    CHECK(len == n && n <= SWAPWIRE_RECORD_MAX_SIZE);
    CHECK_STATUS(swapwire_record_validate(&rec, NULL), SWAPWIRE_OK);

    /* An exact-size buffer is enough; one byte less fails and writes nothing. */
    memset(out, 0xA5, sizeof out);
    CHECK_STATUS(swapwire_record_encode(&rec, out, n, &written, NULL), SWAPWIRE_OK);
    written = 777;
    memset(out, 0xA5, sizeof out);
    CHECK_STATUS(swapwire_record_encode(&rec, out, n - 1, &written, NULL), SWAPWIRE_BUFFER_TOO_SMALL);
    CHECK(written == 777 && out[0] == 0xA5);

    /* A trailing byte: the exact decoder refuses it, the prefix decoder reports the length. */
    bytes[n] = 0x00;
    CHECK_STATUS(swapwire_record_decode(bytes, n + 1, &rec, NULL), SWAPWIRE_TRAILING_BYTES);
    CHECK_STATUS(swapwire_record_decode_prefix(bytes, n + 1, &rec, &used, NULL), SWAPWIRE_OK);
    CHECK(used == n);

    /* Every strict prefix is truncated, for the exact and the prefix decoder. */
    for (cut = 0; cut < n; cut++) {
        CHECK_STATUS(swapwire_record_decode(bytes, cut, &rec, NULL), SWAPWIRE_TRUNCATED);
        CHECK_STATUS(swapwire_record_decode_prefix(bytes, cut, &rec, &used, NULL), SWAPWIRE_TRUNCATED);
    }

    /* The same bytes less the kind byte, through the functions of the record's own kind. */
    CHECK_STATUS(swapwire_record_decode(bytes, n, &rec, NULL), SWAPWIRE_OK);
    switch (rec.kind) {
    case SWAPWIRE_KIND_EXCHANGE:
        KIND_ROUND_TRIP(swapwire_exchange, swapwire_exchange, bytes + 1, n - 1);
        break;
    case SWAPWIRE_KIND_COUNT:
        KIND_ROUND_TRIP(swapwire_count, swapwire_count, bytes + 1, n - 1);
        break;
    case SWAPWIRE_KIND_SOURCE:
        KIND_ROUND_TRIP(swapwire_source, swapwire_source, bytes + 1, n - 1);
        break;
    default:
        CHECK(!"decoded an unknown kind");
    }
    check_json(name, bytes, n, &rec);
}

static int check_all_vectors(void) {
    DIR *dir = opendir(vectors_dir);
    struct dirent *entry;
    int count = 0;
    if (dir == NULL) {
        fprintf(stderr, "cannot open %s\n", vectors_dir);
        return 0;
    }
    while ((entry = readdir(dir)) != NULL) {
        char name[512];
        size_t len = strlen(entry->d_name);
        if (len > 4 && len < sizeof name && strcmp(entry->d_name + len - 4, ".hex") == 0) {
            memcpy(name, entry->d_name, len - 4);
            name[len - 4] = '\0';
            check_vector(name);
            count++;
        }
    }
    closedir(dir);
    return count;
}

static swapwire_status status_named(const char *name) {
    static const struct {
        const char *name;
        swapwire_status status;
    } names[] = {
        {"truncated", SWAPWIRE_TRUNCATED},       {"trailing_bytes", SWAPWIRE_TRAILING_BYTES},
        {"bad_varint", SWAPWIRE_BAD_VARINT},     {"bad_utf8", SWAPWIRE_BAD_UTF8},
        {"unknown_kind", SWAPWIRE_UNKNOWN_KIND}, {"non_canonical", SWAPWIRE_NON_CANONICAL},
        {"malformed", SWAPWIRE_MALFORMED},       {"invalid", SWAPWIRE_INVALID_VALUE},
    };
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(names[i].name, name) == 0) {
            return names[i].status;
        }
    }
    return SWAPWIRE_OK;
}

/* Each line: <hex or -> <error> [<field>]  # why */
static int check_bad_vectors(void) {
    char path[1024], text[16384];
    char *line, *next;
    int count = 0;
    snprintf(path, sizeof path, "%s/bad.txt", vectors_dir);
    if (read_file(path, text, sizeof text) <= 0) {
        fprintf(stderr, "cannot read %s\n", path);
        return 0;
    }
    for (line = text; line != NULL && *line != '\0'; line = next) {
        char hex[512], error[64], field[64];
        unsigned char bytes[256];
        swapwire_record rec, untouched;
        swapwire_error_detail detail = {0, 0};
        long n;
        int words;
        swapwire_status want;
        size_t used = 999;

        next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        if (line[0] == '#' || line[0] == '\0') {
            continue;
        }
        field[0] = '\0';
        words = sscanf(line, "%511s %63s %63s", hex, error, field);
        if (words < 2 || field[0] == '#') {
            field[0] = '\0';
        }
        n = strcmp(hex, "-") == 0 ? 0 : parse_hex(hex, bytes, sizeof bytes);
        want = status_named(error);
        CHECK(n >= 0 && want != SWAPWIRE_OK);
        memset(&rec, 0x5A, sizeof rec);
        memcpy(&untouched, &rec, sizeof rec);
        check_status_at(swapwire_record_decode(bytes, (size_t)n, &rec, &detail), want, line, __FILE__, __LINE__);
        CHECK(memcmp(&rec, &untouched, sizeof rec) == 0);
        if (want == SWAPWIRE_INVALID_VALUE) {
            if (strcmp(swapwire_field_name(detail.field), field) != 0) {
                fprintf(stderr, "%s: field %s, want %s\n", line, swapwire_field_name(detail.field), field);
            }
            CHECK(strcmp(swapwire_field_name(detail.field), field) == 0);
            CHECK(strcmp(swapwire_reason_str(detail.reason), "unknown reason") != 0);
        } else {
            CHECK(detail.field == 0 && detail.reason == 0);
        }
        /* The prefix decoder agrees, except that it accepts what follows a complete record. */
        if (want != SWAPWIRE_TRAILING_BYTES) {
            CHECK_STATUS(swapwire_record_decode_prefix(bytes, (size_t)n, &rec, &used, NULL), want);
            CHECK(used == 999);
        }
        count++;
    }
    return count;
}

int main(int argc, char **argv) {
    int vectors, bad;
    if (argc != 2) {
        fprintf(stderr, "usage: %s tests/vectors\n", argv[0]);
        return 2;
    }
    vectors_dir = argv[1];
    vectors = check_all_vectors();
    bad = check_bad_vectors();
    printf("golden vectors: %d, bad inputs: %d\n", vectors, bad);
    CHECK(vectors >= 20 && bad >= 40);
    return check_summary();
}
