/* Every bad input a C caller can hand the library: NULL for each pointer, zero and short output
 * buffers, out-of-range codes in every enum-like field, inverted ranges, over-long names,
 * garbage and mutated bytes, and the batch and JSON functions' failures. Each failure must give
 * its status (and field and reason) and leave every output untouched. */
#include <stdlib.h>

#include "check.h"
#include "seed_count.h"
#include "seed_exchange.h"

/* The seed's completed exchange of 2025-02-05: 150 POWs returned to Ukraine. */
static const unsigned char seed_exchange_bytes[] = {0x01, 0x01, 0x00, 0x0e, 0xcf, 0x47, 0xee, 0xbd,
                                                    0x15, 0x00, 0xb2, 0x09, 0x00, 0x01, 0x07};

static swapwire_source seed_source(void) {
    swapwire_source s;
    memset(&s, 0, sizeof s);
    s.key = 3;
    s.kind = SWAPWIRE_SOURCE_MEDIA;
    s.name_len = 8;
    memcpy(s.name, "Suspilne", 8);
    return s;
}

static swapwire_record as_record(unsigned char kind, const void *body, size_t size) {
    swapwire_record r;
    memset(&r, 0, sizeof r);
    r.kind = kind;
    memcpy(&r.body, body, size);
    return r;
}

/* Checks that an invalid value fails every function of its kind with the same field and reason,
 * and that nothing is written. */
#define EXPECT_INVALID(type, prefix, kind, value, want_field, want_reason)                                   \
    do {                                                                                                     \
        type v_ = (value);                                                                                   \
        swapwire_record r_ = as_record((kind), &v_, sizeof v_);                                              \
        swapwire_error_detail d_ = {0, 0};                                                                   \
        unsigned char buf_[SWAPWIRE_RECORD_MAX_SIZE];                                                        \
        size_t n_ = 4242;                                                                                    \
        memset(buf_, 0xA5, sizeof buf_);                                                                     \
        CHECK_STATUS(prefix##_validate(&v_, &d_), SWAPWIRE_INVALID_VALUE);                                   \
        CHECK(d_.field == (want_field) && d_.reason == (want_reason));                                       \
        if (d_.field != (want_field) || d_.reason != (want_reason)) {                                        \
            fprintf(stderr, "  got %s: %s\n", swapwire_field_name(d_.field), swapwire_reason_str(d_.reason)); \
        }                                                                                                    \
        d_.field = d_.reason = 0;                                                                            \
        CHECK_STATUS(prefix##_encode(&v_, buf_, sizeof buf_, &n_, &d_), SWAPWIRE_INVALID_VALUE);             \
        CHECK(d_.field == (want_field) && d_.reason == (want_reason) && n_ == 4242 && buf_[0] == 0xA5);      \
        CHECK_STATUS(prefix##_encoded_len(&v_, &n_, NULL), SWAPWIRE_INVALID_VALUE);                          \
        CHECK(n_ == 4242);                                                                                   \
        d_.field = d_.reason = 0;                                                                            \
        CHECK_STATUS(swapwire_record_encode(&r_, buf_, sizeof buf_, &n_, &d_), SWAPWIRE_INVALID_VALUE);      \
        CHECK(d_.field == (want_field) && d_.reason == (want_reason) && n_ == 4242 && buf_[0] == 0xA5);      \
    } while (0)

#define EXPECT_INVALID_EXCHANGE(value, field, reason)                                                      \
    EXPECT_INVALID(swapwire_exchange, swapwire_exchange, SWAPWIRE_KIND_EXCHANGE, value, SWAPWIRE_FIELD_##field, \
                   SWAPWIRE_REASON_##reason)
#define EXPECT_INVALID_COUNT(value, field, reason)                                                       \
    EXPECT_INVALID(swapwire_count, swapwire_count, SWAPWIRE_KIND_COUNT, value, SWAPWIRE_FIELD_##field, \
                   SWAPWIRE_REASON_##reason)
#define EXPECT_INVALID_SOURCE(value, field, reason)                                                         \
    EXPECT_INVALID(swapwire_source, swapwire_source, SWAPWIRE_KIND_SOURCE, value, SWAPWIRE_FIELD_##field, \
                   SWAPWIRE_REASON_##reason)

static void seeds_encode_to_their_golden_bytes(void) {
    swapwire_exchange x = seed_exchange(), back;
    unsigned char buf[SWAPWIRE_EXCHANGE_MAX_SIZE];
    size_t n = 0;
    CHECK_STATUS(swapwire_exchange_validate(&x, NULL), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_exchange_encode(&x, buf, sizeof buf, &n, NULL), SWAPWIRE_OK);
    CHECK(n == sizeof seed_exchange_bytes && memcmp(buf, seed_exchange_bytes, n) == 0);
    CHECK_STATUS(swapwire_exchange_decode(buf, n, &back, NULL), SWAPWIRE_OK);
    CHECK(back.to_a.value == 150 && strcmp(back.side_a, "UA") == 0 && strcmp(back.grade, "B2") == 0);
    CHECK(back.date.year == 2025 && back.date.month == 2 && back.date.day == 5);
}

static void exchange_codes_are_checked(void) {
    swapwire_exchange x;
    x = seed_exchange(); x.status = 6;
    EXPECT_INVALID_EXCHANGE(x, STATUS, UNKNOWN_CODE);
    x = seed_exchange(); x.status = 255;
    EXPECT_INVALID_EXCHANGE(x, STATUS, UNKNOWN_CODE);
    x = seed_exchange(); x.handover = 2;
    EXPECT_INVALID_EXCHANGE(x, HANDOVER, UNKNOWN_CODE);
    x = seed_exchange(); x.retracted = 2;
    EXPECT_INVALID_EXCHANGE(x, FLAGS, OUT_OF_RANGE);
    x = seed_exchange(); x.date.precision = 4;
    EXPECT_INVALID_EXCHANGE(x, DATE, UNKNOWN_CODE);
    x = seed_exchange(); x.date.day = 30;
    EXPECT_INVALID_EXCHANGE(x, DATE, NO_SUCH_DATE);
    x = seed_exchange(); x.date.month = 13;
    EXPECT_INVALID_EXCHANGE(x, DATE, NO_SUCH_DATE);
    x = seed_exchange(); x.date.year = 1999;
    EXPECT_INVALID_EXCHANGE(x, DATE, OUT_OF_RANGE);
    x = seed_exchange(); x.date.precision = SWAPWIRE_PRECISION_YEAR; /* month and day still set */
    EXPECT_INVALID_EXCHANGE(x, DATE, NON_CANONICAL);
    x = seed_exchange(); set_code(x.side_a, "ua");
    EXPECT_INVALID_EXCHANGE(x, SIDE_A, UNKNOWN_COUNTRY);
    x = seed_exchange(); set_code(x.side_a, "UK");
    EXPECT_INVALID_EXCHANGE(x, SIDE_A, UNKNOWN_COUNTRY);
    x = seed_exchange(); set_code(x.side_a, "UAX"); /* no terminating NUL */
    EXPECT_INVALID_EXCHANGE(x, SIDE_A, UNKNOWN_COUNTRY);
    x = seed_exchange(); set_code(x.side_b, "");
    EXPECT_INVALID_EXCHANGE(x, SIDE_B, UNKNOWN_COUNTRY);
    x = seed_exchange(); set_code(x.side_b, "UA");
    EXPECT_INVALID_EXCHANGE(x, SIDE_B, SAME_PARTY);
    x = seed_exchange(); x.total.qualifier = 8;
    EXPECT_INVALID_EXCHANGE(x, TOTAL, UNKNOWN_CODE);
    x = seed_exchange(); x.total.qualifier = SWAPWIRE_QUALIFIER_ALL;
    EXPECT_INVALID_EXCHANGE(x, TOTAL, NOT_ALLOWED);
    x = seed_exchange(); x.to_a.high = 7; /* a high end under "exact" */
    EXPECT_INVALID_EXCHANGE(x, TO_A, NON_CANONICAL);
    x = seed_exchange(); x.to_b.qualifier = 255;
    EXPECT_INVALID_EXCHANGE(x, TO_B, UNKNOWN_CODE);
    x = seed_exchange(); x.to_b.qualifier = SWAPWIRE_QUALIFIER_RANGE; x.to_b.value = 200; x.to_b.high = 100;
    EXPECT_INVALID_EXCHANGE(x, TO_B, RANGE_INVERTED);
    x = seed_exchange(); x.total.qualifier = SWAPWIRE_QUALIFIER_EXACT; x.total.value = 100;
    EXPECT_INVALID_EXCHANGE(x, TOTAL, PARTS_EXCEED_TOTAL);
    x = seed_exchange(); x.composition_a.count = 7;
    EXPECT_INVALID_EXCHANGE(x, COMPOSITION_A, TOO_LONG);
    x = seed_exchange(); x.composition_a.count = 1; x.composition_a.parts[0].category = 6;
    EXPECT_INVALID_EXCHANGE(x, COMPOSITION_A, UNKNOWN_CODE);
    x = seed_exchange(); x.composition_a.count = 2; /* military twice */
    x.composition_a.parts[0].quantity.qualifier = SWAPWIRE_QUALIFIER_EXACT;
    x.composition_a.parts[1].quantity.qualifier = SWAPWIRE_QUALIFIER_EXACT;
    EXPECT_INVALID_EXCHANGE(x, COMPOSITION_A, DUPLICATE);
    x = seed_exchange(); x.composition_a.count = 1;
    x.composition_a.parts[0].quantity.qualifier = SWAPWIRE_QUALIFIER_RANGE;
    x.composition_a.parts[0].quantity.value = 9;
    x.composition_a.parts[0].quantity.high = 3;
    EXPECT_INVALID_EXCHANGE(x, COMPOSITION_A, RANGE_INVERTED);
    x = seed_exchange(); x.composition_a.count = 1;
    x.composition_a.parts[0].quantity.qualifier = SWAPWIRE_QUALIFIER_EXACT;
    x.composition_a.parts[0].quantity.value = 151;
    EXPECT_INVALID_EXCHANGE(x, COMPOSITION_A, PARTS_EXCEED_TOTAL);
    x = seed_exchange(); x.composition_b.count = 1; x.composition_b.parts[0].quantity.qualifier = 8;
    EXPECT_INVALID_EXCHANGE(x, COMPOSITION_B, UNKNOWN_CODE);
    x = seed_exchange(); x.composition_b.count = 1;
    x.composition_b.parts[0].quantity.qualifier = SWAPWIRE_QUALIFIER_ALL;
    EXPECT_INVALID_EXCHANGE(x, COMPOSITION_B, NOT_ALLOWED);
    x = seed_exchange(); x.mediator_count = 4;
    EXPECT_INVALID_EXCHANGE(x, MEDIATORS, TOO_LONG);
    x = seed_exchange(); x.mediator_count = 1; set_code(x.mediators[0], "EU");
    EXPECT_INVALID_EXCHANGE(x, MEDIATORS, UNKNOWN_COUNTRY);
    x = seed_exchange(); x.mediator_count = 1; set_code(x.mediators[0], "RU");
    EXPECT_INVALID_EXCHANGE(x, MEDIATORS, SAME_PARTY);
    x = seed_exchange(); x.mediator_count = 2; set_code(x.mediators[0], "TR"); set_code(x.mediators[1], "TR");
    EXPECT_INVALID_EXCHANGE(x, MEDIATORS, DUPLICATE);
    x = seed_exchange(); x.has_part_of = 2;
    EXPECT_INVALID_EXCHANGE(x, PART_OF, OUT_OF_RANGE);
    x = seed_exchange(); x.part_of_seq = 9; /* set, but has_part_of says absent */
    EXPECT_INVALID_EXCHANGE(x, PART_OF, NON_CANONICAL);
    x = seed_exchange(); x.has_part_of = 1; x.part_of_origin = 1; x.part_of_seq = 1;
    EXPECT_INVALID_EXCHANGE(x, PART_OF, SELF_REFERENCE);
    x = seed_exchange(); x.has_same_as = 2;
    EXPECT_INVALID_EXCHANGE(x, SAME_AS, OUT_OF_RANGE);
    x = seed_exchange(); x.same_as_origin = 9; /* set, but has_same_as says absent */
    EXPECT_INVALID_EXCHANGE(x, SAME_AS, NON_CANONICAL);
    x = seed_exchange(); x.has_same_as = 1; x.same_as_origin = 1; x.same_as_seq = 1;
    EXPECT_INVALID_EXCHANGE(x, SAME_AS, SELF_REFERENCE);
    x = seed_exchange(); x.has_part_of = 1; x.part_of_origin = 1; x.part_of_seq = 7;
    x.has_same_as = 1; x.same_as_origin = 1; x.same_as_seq = 7;
    EXPECT_INVALID_EXCHANGE(x, SAME_AS, DUPLICATE);
    x = seed_exchange(); set_code(x.grade, "G1");
    EXPECT_INVALID_EXCHANGE(x, GRADE, UNKNOWN_CODE);
    x = seed_exchange(); set_code(x.grade, "A7");
    EXPECT_INVALID_EXCHANGE(x, GRADE, UNKNOWN_CODE);
    x = seed_exchange(); set_code(x.grade, "b2");
    EXPECT_INVALID_EXCHANGE(x, GRADE, UNKNOWN_CODE);
    x = seed_exchange(); set_code(x.grade, "");
    EXPECT_INVALID_EXCHANGE(x, GRADE, UNKNOWN_CODE);
    x = seed_exchange(); set_code(x.grade, "B2X");
    EXPECT_INVALID_EXCHANGE(x, GRADE, UNKNOWN_CODE);
    x = seed_exchange(); x.grade[0] = (char)0xC3; x.grade[1] = (char)0xA9; /* UTF-8, not ASCII */
    EXPECT_INVALID_EXCHANGE(x, GRADE, UNKNOWN_CODE);
}

static void count_codes_are_checked(void) {
    swapwire_count c;
    c = seed_count(); c.population = 7;
    EXPECT_INVALID_COUNT(c, POPULATION, UNKNOWN_CODE);
    c = seed_count(); c.retracted = 9;
    EXPECT_INVALID_COUNT(c, FLAGS, OUT_OF_RANGE);
    c = seed_count(); c.date.precision = 200;
    EXPECT_INVALID_COUNT(c, DATE, UNKNOWN_CODE);
    c = seed_count(); set_code(c.holder, "UK");
    EXPECT_INVALID_COUNT(c, HOLDER, UNKNOWN_COUNTRY);
    c = seed_count(); c.holder[0] = 0; c.holder[1] = 'A'; /* neither empty nor a code */
    EXPECT_INVALID_COUNT(c, HOLDER, UNKNOWN_COUNTRY);
    c = seed_count(); set_code(c.people, "");
    EXPECT_INVALID_COUNT(c, PEOPLE, UNKNOWN_COUNTRY);
    c = seed_count(); c.quantity.qualifier = SWAPWIRE_QUALIFIER_ALL; c.quantity.value = 0;
    EXPECT_INVALID_COUNT(c, QUANTITY, NOT_ALLOWED);
    c = seed_count(); c.quantity.qualifier = 8;
    EXPECT_INVALID_COUNT(c, QUANTITY, UNKNOWN_CODE);
    c = seed_count(); c.quantity.qualifier = SWAPWIRE_QUALIFIER_RANGE; c.quantity.value = 19500; c.quantity.high = 16000;
    EXPECT_INVALID_COUNT(c, QUANTITY, RANGE_INVERTED);
    c = seed_count(); c.quantity.qualifier = SWAPWIRE_QUALIFIER_UNDISCLOSED; /* value still set */
    EXPECT_INVALID_COUNT(c, QUANTITY, NON_CANONICAL);
    c = seed_count(); set_code(c.grade, "F0");
    EXPECT_INVALID_COUNT(c, GRADE, UNKNOWN_CODE);
}

static void source_codes_are_checked(void) {
    swapwire_source s;
    unsigned char buf[SWAPWIRE_SOURCE_MAX_SIZE];
    size_t n = 4242;
    s = seed_source(); s.kind = 7;
    EXPECT_INVALID_SOURCE(s, KIND, UNKNOWN_CODE);
    s = seed_source(); s.retracted = 2;
    EXPECT_INVALID_SOURCE(s, FLAGS, OUT_OF_RANGE);
    s = seed_source(); s.name_len = 0;
    EXPECT_INVALID_SOURCE(s, NAME, EMPTY);
    s = seed_source(); s.name_len = SWAPWIRE_MAX_NAME_LEN + 1; memset(s.name, 'x', sizeof s.name);
    EXPECT_INVALID_SOURCE(s, NAME, TOO_LONG);
    s = seed_source(); s.name_len = 255;
    EXPECT_INVALID_SOURCE(s, NAME, TOO_LONG);
    s = seed_source(); s.name[3] = '\n';
    EXPECT_INVALID_SOURCE(s, NAME, CONTROL_CHAR);
    s = seed_source(); s.name[3] = '\0';
    EXPECT_INVALID_SOURCE(s, NAME, CONTROL_CHAR);
    /* The longest name is fine, and decodes NUL-terminated. */
    CHECK(SWAPWIRE_MAX_NAME_LEN == 64 && sizeof s.name == SWAPWIRE_MAX_NAME_LEN + 1);
    s = seed_source(); s.name_len = SWAPWIRE_MAX_NAME_LEN; memset(s.name, 'x', sizeof s.name);
    CHECK_STATUS(swapwire_source_encode(&s, buf, sizeof buf, &n, NULL), SWAPWIRE_OK);
    CHECK(n == 3 + 1 + SWAPWIRE_MAX_NAME_LEN);
    memset(&s, 0x5A, sizeof s);
    CHECK_STATUS(swapwire_source_decode(buf, n, &s, NULL), SWAPWIRE_OK);
    CHECK(s.name_len == SWAPWIRE_MAX_NAME_LEN && strlen(s.name) == SWAPWIRE_MAX_NAME_LEN);
    /* Bytes that are not UTF-8 are their own status. */
    s = seed_source(); s.name[3] = (char)0xFF;
    n = 4242;
    CHECK_STATUS(swapwire_source_encode(&s, buf, sizeof buf, &n, NULL), SWAPWIRE_BAD_UTF8);
    CHECK(n == 4242);
    /* via: like has_same_as, a flag of 0 or 1, a key only when set, never the source itself. */
    s = seed_source(); s.has_via = 2;
    EXPECT_INVALID_SOURCE(s, VIA, OUT_OF_RANGE);
    s = seed_source(); s.via = 4; /* set, but has_via says absent */
    EXPECT_INVALID_SOURCE(s, VIA, NON_CANONICAL);
    s = seed_source(); s.has_via = 1; s.via = 3;
    EXPECT_INVALID_SOURCE(s, VIA, SELF_REFERENCE);
    /* Through source 4: one flag bit and one byte more, and back. */
    s = seed_source(); s.has_via = 1; s.via = 4;
    CHECK_STATUS(swapwire_source_encode(&s, buf, sizeof buf, &n, NULL), SWAPWIRE_OK);
    CHECK(n == 3 + 1 + 8 + 1 && buf[2] == 0x13 && buf[n - 1] == 4);
    memset(&s, 0x5A, sizeof s);
    CHECK_STATUS(swapwire_source_decode(buf, n, &s, NULL), SWAPWIRE_OK);
    CHECK(s.has_via == 1 && s.via == 4 && s.key == 3);
    CHECK(strcmp(swapwire_field_name(SWAPWIRE_FIELD_VIA), "via") == 0);
}

static void record_kind_is_checked(void) {
    swapwire_exchange x = seed_exchange();
    swapwire_record r = as_record(3, &x, sizeof x);
    unsigned char buf[SWAPWIRE_RECORD_MAX_SIZE];
    size_t n = 4242;
    CHECK_STATUS(swapwire_record_validate(&r, NULL), SWAPWIRE_UNKNOWN_KIND);
    CHECK_STATUS(swapwire_record_encode(&r, buf, sizeof buf, &n, NULL), SWAPWIRE_UNKNOWN_KIND);
    r.kind = 255;
    CHECK_STATUS(swapwire_record_encoded_len(&r, &n, NULL), SWAPWIRE_UNKNOWN_KIND);
    CHECK(n == 4242);
}

/* NULL for every pointer of every function of one kind; nothing is written. */
#define EXPECT_NULLS(type, prefix, good)                                                                     \
    do {                                                                                                     \
        type v_ = (good), out_;                                                                              \
        unsigned char buf_[SWAPWIRE_RECORD_MAX_SIZE];                                                        \
        size_t n_ = 0, sentinel_ = 4242;                                                                     \
        CHECK_STATUS(prefix##_encode(&v_, buf_, sizeof buf_, &n_, NULL), SWAPWIRE_OK);                       \
        CHECK_STATUS(prefix##_encode(NULL, buf_, sizeof buf_, &sentinel_, NULL), SWAPWIRE_NULL_ARGUMENT);    \
        CHECK_STATUS(prefix##_encode(&v_, NULL, sizeof buf_, &sentinel_, NULL), SWAPWIRE_NULL_ARGUMENT);     \
        CHECK_STATUS(prefix##_encode(&v_, NULL, 0, &sentinel_, NULL), SWAPWIRE_NULL_ARGUMENT);               \
        memset(buf_, 0xA5, sizeof buf_);                                                                     \
        CHECK_STATUS(prefix##_encode(&v_, buf_, sizeof buf_, NULL, NULL), SWAPWIRE_NULL_ARGUMENT);           \
        CHECK(buf_[0] == 0xA5);                                                                              \
        CHECK_STATUS(prefix##_encode(&v_, buf_, 0, &sentinel_, NULL), SWAPWIRE_BUFFER_TOO_SMALL);            \
        CHECK_STATUS(prefix##_encode(&v_, buf_, n_ - 1, &sentinel_, NULL), SWAPWIRE_BUFFER_TOO_SMALL);       \
        CHECK(buf_[0] == 0xA5 && sentinel_ == 4242);                                                         \
        CHECK_STATUS(prefix##_encode(&v_, buf_, sizeof buf_, &n_, NULL), SWAPWIRE_OK);                       \
        CHECK_STATUS(prefix##_decode(NULL, n_, &out_, NULL), SWAPWIRE_NULL_ARGUMENT);                        \
        CHECK_STATUS(prefix##_decode(NULL, 0, &out_, NULL), SWAPWIRE_NULL_ARGUMENT);                         \
        CHECK_STATUS(prefix##_decode(buf_, n_, NULL, NULL), SWAPWIRE_NULL_ARGUMENT);                         \
        CHECK_STATUS(prefix##_decode_prefix(NULL, n_, &out_, &sentinel_, NULL), SWAPWIRE_NULL_ARGUMENT);     \
        CHECK_STATUS(prefix##_decode_prefix(buf_, n_, NULL, &sentinel_, NULL), SWAPWIRE_NULL_ARGUMENT);      \
        memset(&out_, 0x5A, sizeof out_);                                                                    \
        CHECK_STATUS(prefix##_decode_prefix(buf_, n_, &out_, NULL, NULL), SWAPWIRE_NULL_ARGUMENT);           \
        CHECK(((unsigned char *)&out_)[0] == 0x5A && sentinel_ == 4242);                                     \
        CHECK_STATUS(prefix##_decode(buf_, 0, &out_, NULL), SWAPWIRE_TRUNCATED);                             \
        CHECK_STATUS(prefix##_validate(NULL, NULL), SWAPWIRE_NULL_ARGUMENT);                                 \
        CHECK_STATUS(prefix##_encoded_len(NULL, &sentinel_, NULL), SWAPWIRE_NULL_ARGUMENT);                  \
        CHECK_STATUS(prefix##_encoded_len(&v_, NULL, NULL), SWAPWIRE_NULL_ARGUMENT);                         \
        CHECK(sentinel_ == 4242);                                                                            \
    } while (0)

static void null_pointers_and_short_buffers(void) {
    swapwire_exchange x = seed_exchange();
    EXPECT_NULLS(swapwire_exchange, swapwire_exchange, seed_exchange());
    EXPECT_NULLS(swapwire_count, swapwire_count, seed_count());
    EXPECT_NULLS(swapwire_source, swapwire_source, seed_source());
    EXPECT_NULLS(swapwire_record, swapwire_record, as_record(SWAPWIRE_KIND_EXCHANGE, &x, sizeof x));
}

/* A small deterministic generator, so a failure reproduces. */
static unsigned long rng_state = 0x2545F491UL;
static unsigned int next_random(void) {
    rng_state = rng_state * 1103515245UL + 12345UL;
    return (unsigned int)((rng_state >> 16) & 0x7FFF);
}

/* Whatever decodes is canonical: re-encoding gives back exactly the bytes it consumed. */
static void check_decodes_canonically(const unsigned char *bytes, size_t len) {
    swapwire_record r;
    unsigned char again[SWAPWIRE_RECORD_MAX_SIZE];
    size_t used = 0, n = 0;
    swapwire_status s = swapwire_record_decode_prefix(bytes, len, &r, &used, NULL);
    CHECK(s >= SWAPWIRE_OK && s <= SWAPWIRE_MALFORMED && s != SWAPWIRE_NULL_ARGUMENT);
    if (s == SWAPWIRE_OK) {
        CHECK(used <= len);
        CHECK_STATUS(swapwire_record_encode(&r, again, sizeof again, &n, NULL), SWAPWIRE_OK);
        CHECK(n == used && memcmp(again, bytes, n) == 0);
    }
}

static void garbage_and_mutated_bytes(void) {
    unsigned char bytes[256];
    int round;
    size_t i, len;
    for (round = 0; round < 20000; round++) {
        len = next_random() % 80;
        for (i = 0; i < len; i++) {
            bytes[i] = (unsigned char)next_random();
        }
        bytes[0] = (unsigned char)(next_random() % 4); /* mostly known kinds, to get past the first byte */
        check_decodes_canonically(bytes, len);
    }
    /* Flip bytes of a valid record: each result is an error or another canonical record. */
    for (round = 0; round < 20000; round++) {
        bytes[0] = SWAPWIRE_KIND_EXCHANGE;
        memcpy(bytes + 1, seed_exchange_bytes, sizeof seed_exchange_bytes);
        len = 1 + sizeof seed_exchange_bytes;
        bytes[next_random() % len] = (unsigned char)next_random();
        bytes[next_random() % len] ^= (unsigned char)(1u << (next_random() % 8));
        check_decodes_canonically(bytes, len);
    }
}

static void batch_functions(void) {
    swapwire_exchange x = seed_exchange();
    swapwire_count c = seed_count();
    swapwire_source s = seed_source();
    swapwire_record in[3], out[3];
    unsigned char buf[3 * SWAPWIRE_RECORD_MAX_SIZE];
    size_t written = 0, count = 0, used = 0, failed = 999, sizes = 0, n;
    swapwire_error_detail detail = {0, 0};
    int i;

    in[0] = as_record(SWAPWIRE_KIND_EXCHANGE, &x, sizeof x);
    in[1] = as_record(SWAPWIRE_KIND_COUNT, &c, sizeof c);
    in[2] = as_record(SWAPWIRE_KIND_SOURCE, &s, sizeof s);
    for (i = 0; i < 3; i++) {
        CHECK_STATUS(swapwire_record_encoded_len(&in[i], &n, NULL), SWAPWIRE_OK);
        sizes += n;
    }
    CHECK_STATUS(swapwire_records_encode(in, 3, buf, sizeof buf, &written, &failed, NULL), SWAPWIRE_OK);
    CHECK(written == sizes && written == 16 + 15 + 13 && failed == 999);
    memset(out, 0x5A, sizeof out);
    CHECK_STATUS(swapwire_records_decode(buf, written, out, 3, &count, &used, &failed, NULL), SWAPWIRE_OK);
    CHECK(count == 3 && used == written && out[0].kind == SWAPWIRE_KIND_EXCHANGE);
    CHECK(out[1].kind == SWAPWIRE_KIND_COUNT && out[1].body.count.quantity.value == 16000);
    CHECK(out[2].kind == SWAPWIRE_KIND_SOURCE && strcmp(out[2].body.source.name, "Suspilne") == 0);
    /* A full array stops the decoder; the caller continues from bytes + used. */
    CHECK_STATUS(swapwire_records_decode(buf, written, out, 2, &count, &used, NULL, NULL), SWAPWIRE_OK);
    CHECK(count == 2 && used == 16 + 15);
    CHECK_STATUS(swapwire_records_decode(buf + used, written - used, out, 2, &count, &used, NULL, NULL), SWAPWIRE_OK);
    CHECK(count == 1 && used == 13);
    /* Empty input: no records. */
    CHECK_STATUS(swapwire_records_decode(buf, 0, out, 3, &count, &used, NULL, NULL), SWAPWIRE_OK);
    CHECK(count == 0 && used == 0);

    /* The failing record's index; nothing written. */
    written = count = used = 4242;
    memset(buf, 0xA5, sizeof buf);
    in[1].body.count.population = 7;
    CHECK_STATUS(swapwire_records_encode(in, 3, buf, sizeof buf, &written, &failed, &detail), SWAPWIRE_INVALID_VALUE);
    CHECK(failed == 1 && detail.field == SWAPWIRE_FIELD_POPULATION && written == 4242 && buf[0] == 0xA5);
    in[1] = as_record(SWAPWIRE_KIND_COUNT, &c, sizeof c);
    CHECK_STATUS(swapwire_records_encode(in, 3, buf, 16 + 15 + 12, &written, &failed, NULL), SWAPWIRE_BUFFER_TOO_SMALL);
    CHECK(failed == 2 && written == 4242 && buf[0] == 0xA5);
    CHECK_STATUS(swapwire_records_encode(in, 3, buf, sizeof buf, &written, NULL, NULL), SWAPWIRE_OK);
    buf[16] = 3; /* the second record's kind byte names no kind */
    memset(out, 0x5A, sizeof out);
    CHECK_STATUS(swapwire_records_decode(buf, written, out, 3, &count, &used, &failed, NULL), SWAPWIRE_UNKNOWN_KIND);
    CHECK(failed == 1 && count == 4242 && used == 4242 && ((unsigned char *)out)[0] == 0x5A);

    /* NULL for every pointer. */
    written = 4242;
    CHECK_STATUS(swapwire_records_encode(NULL, 3, buf, sizeof buf, &written, NULL, NULL), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_records_encode(in, 3, NULL, sizeof buf, &written, NULL, NULL), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_records_encode(in, 3, buf, sizeof buf, NULL, NULL, NULL), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_records_decode(NULL, 9, out, 3, &count, &used, NULL, NULL), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_records_decode(buf, 9, NULL, 3, &count, &used, NULL, NULL), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_records_decode(buf, 9, out, 3, NULL, &used, NULL, NULL), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_records_decode(buf, 9, out, 3, &count, NULL, NULL, NULL), SWAPWIRE_NULL_ARGUMENT);
    /* A count no array can have is refused before anything is read. */
    CHECK_STATUS(swapwire_records_encode(in, (size_t)-1, buf, sizeof buf, &written, NULL, NULL),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_records_decode(buf, 9, out, (size_t)-1 / 2, &count, &used, NULL, NULL),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK(written == 4242 && count == 4242 && used == 4242);
}

static void json_functions(void) {
    static const char bad[] = "{\"record\":\"exchange\",\"origin\":1,\"seq\":1,\"status\":\"completed\","
                              "\"side_a\":\"UA\",\"side_b\":\"RU\",\"to_a\":\"150 POWs\",\"source\":1,\"grade\":\"B2\"}";
    swapwire_exchange x = seed_exchange();
    swapwire_record r = as_record(SWAPWIRE_KIND_EXCHANGE, &x, sizeof x), out;
    char message[256], tiny[8], text[1024];
    size_t written = 4242;
    swapwire_error_detail detail = {0, 0};

    memset(&out, 0x5A, sizeof out);
    CHECK_STATUS(swapwire_record_from_json(bad, strlen(bad), &out, message, sizeof message), SWAPWIRE_BAD_JSON);
    CHECK(strncmp(message, "to_a: invalid quantity \"150 POWs\"", 33) == 0);
    CHECK(((unsigned char *)&out)[0] == 0x5A);
    CHECK_STATUS(swapwire_record_from_json(bad, strlen(bad), &out, tiny, sizeof tiny), SWAPWIRE_BAD_JSON);
    CHECK(strcmp(tiny, "to_a: i") == 0);
    CHECK_STATUS(swapwire_record_from_json(bad, strlen(bad), &out, NULL, 0), SWAPWIRE_BAD_JSON);
    CHECK_STATUS(swapwire_record_from_json("{", 1, &out, message, sizeof message), SWAPWIRE_BAD_JSON);
    CHECK(strlen(message) > 0);
    CHECK_STATUS(swapwire_record_from_json("\xff", 1, &out, message, sizeof message), SWAPWIRE_BAD_JSON);
    CHECK(strstr(message, "UTF-8") != NULL);
    CHECK_STATUS(swapwire_record_from_json(NULL, 3, &out, message, sizeof message), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_record_from_json(bad, strlen(bad), NULL, message, sizeof message), SWAPWIRE_NULL_ARGUMENT);
    CHECK(((unsigned char *)&out)[0] == 0x5A);

    CHECK_STATUS(swapwire_record_to_json(&r, 0, text, sizeof text, &written, NULL), SWAPWIRE_OK);
    CHECK(written == strlen(text) && strncmp(text, "{\"record\":\"exchange\"", 20) == 0);
    memset(text, 0x5A, sizeof text);
    written = 4242;
    CHECK_STATUS(swapwire_record_to_json(&r, 0, text, 20, &written, NULL), SWAPWIRE_BUFFER_TOO_SMALL);
    CHECK_STATUS(swapwire_record_to_json(&r, 2, text, sizeof text, &written, NULL), SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_record_to_json(NULL, 0, text, sizeof text, &written, NULL), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_record_to_json(&r, 0, NULL, sizeof text, &written, NULL), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_record_to_json(&r, 0, text, sizeof text, NULL, NULL), SWAPWIRE_NULL_ARGUMENT);
    r.body.exchange.status = 9;
    CHECK_STATUS(swapwire_record_to_json(&r, 0, text, sizeof text, &written, &detail), SWAPWIRE_INVALID_VALUE);
    CHECK(detail.field == SWAPWIRE_FIELD_STATUS && written == 4242 && text[0] == 0x5A);
}

static void versions_and_messages(void) {
    int s;
    CHECK(swapwire_version() == SWAPWIRE_VERSION);
    CHECK(swapwire_format_version() == SWAPWIRE_FORMAT_VERSION);
    CHECK(SWAPWIRE_VERSION == (SWAPWIRE_VERSION_MAJOR << 16 | SWAPWIRE_VERSION_MINOR << 8 | SWAPWIRE_VERSION_PATCH));
    for (s = SWAPWIRE_OK; s <= SWAPWIRE_TOO_LARGE_FOR_LINK; s++) {
        CHECK(swapwire_status_str(s) != NULL && strcmp(swapwire_status_str(s), "unknown status code") != 0);
    }
    CHECK(strcmp(swapwire_status_str(SWAPWIRE_TOO_LARGE_FOR_LINK + 1), "unknown status code") == 0);
    CHECK(strcmp(swapwire_status_str(-1), "unknown status code") == 0);
    CHECK(strcmp(swapwire_field_name(SWAPWIRE_FIELD_SIDE_A), "side_a") == 0);
    CHECK(strcmp(swapwire_field_name(0), "unknown field") == 0);
    CHECK(strcmp(swapwire_reason_str(SWAPWIRE_REASON_RANGE_INVERTED), "range low end exceeds its high end") == 0);
    CHECK(strcmp(swapwire_reason_str(200), "unknown reason") == 0);
}

int main(void) {
    seeds_encode_to_their_golden_bytes();
    exchange_codes_are_checked();
    count_codes_are_checked();
    source_codes_are_checked();
    record_kind_is_checked();
    null_pointers_and_short_buffers();
    garbage_and_mutated_bytes();
    batch_functions();
    json_functions();
    versions_and_messages();
    return check_summary();
}
