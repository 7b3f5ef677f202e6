/* A minimal Cortex-M4F "firmware" that encodes and decodes a record through the bare-metal
 * staticlib. It is linked with -nostdlib and only libgcc, so the link fails if the library
 * needs anything a bare-metal target lacks; arm-none-eabi-size then shows what it costs.
 * No heap, no libc: the vector table and reset handler are in startup.h.
 *
 * Run under QEMU (`qemu-system-arm -M mps2-an386 -semihosting-config enable=on,target=native
 * -nographic -kernel firmware.elf`) it reports through semihosting and exits 0 only if the
 * record encodes to its golden bytes and decodes back unchanged. On a board without a
 * debugger attached the semihosting breakpoint would fault: this is a test fixture.
 *
 * Built with -DSWAPWIRE_STACK (measured.h) it also runs every record entry point on golden
 * vectors and bad input, measures each call's stack by painting (stack.h), and ends with the
 * table "stack (bytes, worst case): <entry point> <bytes>". */
#include "../seed_count.h"
#include "startup.h"
#include "swapwire.h"
#include "measured.h"

/* tests/vectors/seed-count-1-2.hex: the same record as the host tests encode. */
static const uint8_t golden[] = {0x01, 0x01, 0x02, 0x00, 0x0b, 0xec, 0x47, 0xa4,
                                 0x91, 0x13, 0x83, 0xe8, 0x07, 0x02, 0x07};

#ifdef SWAPWIRE_STACK
/* The measured build (-DSWAPWIRE_STACK, see measured.h) also runs every record entry point a
 * firmware would call, on golden vectors the host tests check (the seeds and the largest record
 * of each kind, whose decode and encode go deepest) and on bad input from
 * tests/vectors/bad.txt, then prints each entry point's worst stack depth. */

/* tests/vectors/seed-exchange-1-1.hex */
static const uint8_t v_seed_exchange[] = {0x00, 0x01, 0x01, 0x00, 0x0e, 0xcf, 0x47, 0xee,
                                          0xbd, 0x15, 0x00, 0xb2, 0x09, 0x00, 0x01, 0x07};
/* tests/vectors/seed-source-1.hex */
static const uint8_t v_seed_source[] = {
    0x02, 0x01, 0x00, 0x03, 0x20, 0x55, 0x6e, 0x6e, 0x61, 0x6d, 0x65, 0x64, 0x20, 0x6e, 0x65, 0x77, 0x73, 0x20,
    0x72, 0x65, 0x70, 0x6f, 0x72, 0x74, 0x20, 0x28, 0x32, 0x30, 0x32, 0x35, 0x2d, 0x30, 0x33, 0x2d, 0x30, 0x36, 0x29};
/* tests/vectors/edge-worst-exchange.hex: SWAPWIRE_RECORD_MAX_SIZE bytes */
static const uint8_t v_worst_exchange[] = {
    0x00, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xba,
    0xa5, 0x16, 0xa3, 0xe2, 0x1b, 0x86, 0x80, 0x80, 0x80, 0x08, 0xff, 0xff, 0xff, 0xff, 0x0e, 0x86, 0x80, 0x80,
    0x80, 0x08, 0x80, 0x80, 0x80, 0x80, 0x07, 0x86, 0x80, 0x80, 0x80, 0x08, 0x80, 0x80, 0x80, 0x80, 0x07, 0xff,
    0xff, 0xff, 0xff, 0x0f, 0x23, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xfe, 0xff, 0xff, 0xff, 0x0f, 0x03, 0xd6, 0x04,
    0xd7, 0x04, 0xef, 0x04, 0x3f, 0x86, 0x80, 0x80, 0x80, 0x08, 0x80, 0x80, 0x80, 0x80, 0x01, 0x86, 0x80, 0x80,
    0x80, 0x08, 0x80, 0x80, 0x80, 0x80, 0x01, 0x86, 0x80, 0x80, 0x80, 0x08, 0x80, 0x80, 0x80, 0x80, 0x01, 0x86,
    0x80, 0x80, 0x80, 0x08, 0x80, 0x80, 0x80, 0x80, 0x01, 0x86, 0x80, 0x80, 0x80, 0x08, 0x80, 0x80, 0x80, 0x80,
    0x01, 0x86, 0x80, 0x80, 0x80, 0x08, 0x80, 0x80, 0x80, 0x80, 0x01, 0x3f, 0x86, 0x80, 0x80, 0x80, 0x08, 0x80,
    0x80, 0x80, 0x80, 0x01, 0x86, 0x80, 0x80, 0x80, 0x08, 0x80, 0x80, 0x80, 0x80, 0x01, 0x86, 0x80, 0x80, 0x80,
    0x08, 0x80, 0x80, 0x80, 0x80, 0x01, 0x86, 0x80, 0x80, 0x80, 0x08, 0x80, 0x80, 0x80, 0x80, 0x01, 0x86, 0x80,
    0x80, 0x80, 0x08, 0x80, 0x80, 0x80, 0x80, 0x01, 0x86, 0x80, 0x80, 0x80, 0x08, 0x80, 0x80, 0x80, 0x80, 0x01};
/* tests/vectors/edge-worst-count.hex */
static const uint8_t v_worst_count[] = {0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff,
                                        0xff, 0xff, 0x0f, 0x37, 0xba, 0xa5, 0x16, 0xb3, 0xf7, 0x1b, 0x86, 0x80, 0x80,
                                        0x80, 0x08, 0xff, 0xff, 0xff, 0xff, 0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x23};
/* tests/vectors/edge-worst-source.hex: SWAPWIRE_SOURCE_MAX_SIZE + 1 bytes, via included */
static const uint8_t v_worst_source[] = {
    0x02, 0xfe, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x1d, 0x40, 0xd0, 0x9e, 0xd0, 0xbc, 0xd0,
    0xb1, 0xd1, 0x83, 0xd0, 0xb4, 0xd1, 0x81, 0xd0, 0xbc, 0xd0, 0xb0, 0xd0, 0xbd, 0x20, 0xd0, 0xa3, 0xd0, 0xba,
    0xd1, 0x80, 0xd0, 0xb0, 0xd1, 0x97, 0xd0, 0xbd, 0xd0, 0xb8, 0x2c, 0x20, 0xd0, 0x9a, 0xd0, 0xb8, 0xd1, 0x97,
    0xd0, 0xb2, 0x20, 0x32, 0x30, 0x32, 0x35, 0x20, 0xc2, 0xb7, 0x20, 0x4f, 0x6d, 0x62, 0x75, 0x64, 0x73, 0x6d,
    0x61, 0x6e, 0x20, 0x55, 0x41, 0xff, 0xff, 0xff, 0xff, 0x0f};

static const struct vector {
    const uint8_t *bytes;
    size_t len;
} vectors[] = {
    {golden, sizeof golden},
    {v_seed_exchange, sizeof v_seed_exchange},
    {v_seed_source, sizeof v_seed_source},
    {v_worst_exchange, sizeof v_worst_exchange},
    {v_worst_count, sizeof v_worst_count},
    {v_worst_source, sizeof v_worst_source},
};

/* Lines of tests/vectors/bad.txt: the status each must give, and the field for an invalid one. */
static const struct bad_input {
    uint8_t len;
    uint8_t bytes[20];
    swapwire_status want;
    uint8_t field;
} bad_inputs[] = {
    /* seed exchange without its last byte */
    {15,
     {0x00, 0x01, 0x01, 0x00, 0x0e, 0xcf, 0x47, 0xee, 0xbd, 0x15, 0x00, 0xb2, 0x09, 0x00, 0x01},
     SWAPWIRE_TRUNCATED,
     0},
    /* seed exchange cut inside the party varint */
    {8, {0x00, 0x01, 0x01, 0x00, 0x0e, 0xcf, 0x47, 0xee}, SWAPWIRE_TRUNCATED, 0},
    /* record kind 3 */
    {16,
     {0x03, 0x01, 0x01, 0x00, 0x0e, 0xcf, 0x47, 0xee, 0xbd, 0x15, 0x00, 0xb2, 0x09, 0x00, 0x01, 0x07},
     SWAPWIRE_UNKNOWN_KIND,
     0},
    /* origin varint longer than five bytes */
    {7, {0x00, 0x81, 0x80, 0x80, 0x80, 0x80, 0x01}, SWAPWIRE_BAD_VARINT, 0},
    /* origin 1 padded to two bytes */
    {17,
     {0x00, 0x81, 0x00, 0x01, 0x00, 0x0e, 0xcf, 0x47, 0xee, 0xbd, 0x15, 0x00, 0xb2, 0x09, 0x00, 0x01, 0x07},
     SWAPWIRE_NON_CANONICAL,
     0},
    /* day number past 2999-12-31 */
    {17,
     {0x00, 0x01, 0x01, 0x00, 0x0e, 0xbb, 0xa5, 0x16, 0xee, 0xbd, 0x15, 0x00, 0xb2, 0x09, 0x00, 0x01, 0x07},
     SWAPWIRE_INVALID_VALUE,
     SWAPWIRE_FIELD_DATE},
    /* exact value past u32 */
    {20,
     {0x00, 0x01, 0x01, 0x00, 0x0e, 0xcf, 0x47, 0xee, 0xbd, 0x15, 0x00, 0x82, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00, 0x01,
      0x07},
     SWAPWIRE_INVALID_VALUE,
     SWAPWIRE_FIELD_TO_A},
    /* grade byte past F6 */
    {16,
     {0x00, 0x01, 0x01, 0x00, 0x0e, 0xcf, 0x47, 0xee, 0xbd, 0x15, 0x00, 0xb2, 0x09, 0x00, 0x01, 0x24},
     SWAPWIRE_INVALID_VALUE,
     SWAPWIRE_FIELD_GRADE},
};

static int same_bytes(const uint8_t *a, const uint8_t *b, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}

/* The per-kind calls on body[0..len], a record without its kind byte: decode, validate,
 * encoded length, encode back byte-exact, a prefix read with one byte after it, which the exact
 * decode must refuse. */
static void kind_calls(uint8_t kind, const uint8_t *body, size_t len) {
    uint8_t buf[SWAPWIRE_RECORD_MAX_SIZE + 1];
    size_t n = 0, used = 0;
    swapwire_error_detail detail;
    if (kind == SWAPWIRE_KIND_EXCHANGE) {
        swapwire_exchange x, y;
        EXPECT(MEASURED(exchange_decode)(body, len, &x, &detail) == SWAPWIRE_OK);
        EXPECT(MEASURED(exchange_validate)(&x, &detail) == SWAPWIRE_OK);
        EXPECT(MEASURED(exchange_encoded_len)(&x, &n, &detail) == SWAPWIRE_OK && n == len);
        EXPECT(MEASURED(exchange_encode)(&x, buf, sizeof buf, &n, &detail) == SWAPWIRE_OK && n == len &&
               same_bytes(buf, body, len));
        buf[len] = 0x00;
        EXPECT(MEASURED(exchange_decode_prefix)(buf, len + 1, &y, &used, &detail) == SWAPWIRE_OK && used == len &&
               y.origin == x.origin && y.seq == x.seq && y.to_a.value == x.to_a.value);
        EXPECT(MEASURED(exchange_decode)(buf, len + 1, &y, &detail) == SWAPWIRE_TRAILING_BYTES);
    } else if (kind == SWAPWIRE_KIND_COUNT) {
        swapwire_count x, y;
        EXPECT(MEASURED(count_decode)(body, len, &x, &detail) == SWAPWIRE_OK);
        EXPECT(MEASURED(count_validate)(&x, &detail) == SWAPWIRE_OK);
        EXPECT(MEASURED(count_encoded_len)(&x, &n, &detail) == SWAPWIRE_OK && n == len);
        EXPECT(MEASURED(count_encode)(&x, buf, sizeof buf, &n, &detail) == SWAPWIRE_OK && n == len &&
               same_bytes(buf, body, len));
        buf[len] = 0x00;
        EXPECT(MEASURED(count_decode_prefix)(buf, len + 1, &y, &used, &detail) == SWAPWIRE_OK && used == len &&
               y.origin == x.origin && y.seq == x.seq && y.quantity.value == x.quantity.value);
        EXPECT(MEASURED(count_decode)(buf, len + 1, &y, &detail) == SWAPWIRE_TRAILING_BYTES);
    } else {
        swapwire_source x, y;
        EXPECT(kind == SWAPWIRE_KIND_SOURCE);
        EXPECT(MEASURED(source_decode)(body, len, &x, &detail) == SWAPWIRE_OK);
        EXPECT(MEASURED(source_validate)(&x, &detail) == SWAPWIRE_OK);
        EXPECT(MEASURED(source_encoded_len)(&x, &n, &detail) == SWAPWIRE_OK && n == len);
        EXPECT(MEASURED(source_encode)(&x, buf, sizeof buf, &n, &detail) == SWAPWIRE_OK && n == len &&
               same_bytes(buf, body, len));
        buf[len] = 0x00;
        EXPECT(MEASURED(source_decode_prefix)(buf, len + 1, &y, &used, &detail) == SWAPWIRE_OK && used == len &&
               y.key == x.key && y.name_len == x.name_len && same_bytes((const uint8_t *)y.name,
                                                                          (const uint8_t *)x.name, x.name_len));
        EXPECT(MEASURED(source_decode)(buf, len + 1, &y, &detail) == SWAPWIRE_TRAILING_BYTES);
    }
}

/* The record calls on one vector, as kind_calls, then kind_calls on its body. */
static void record_calls(const uint8_t *bytes, size_t len) {
    uint8_t buf[SWAPWIRE_RECORD_MAX_SIZE + 1];
    size_t n = 0, used = 0;
    swapwire_record r, p;
    swapwire_error_detail detail;
    EXPECT(MEASURED(record_decode)(bytes, len, &r, &detail) == SWAPWIRE_OK && r.kind == bytes[0]);
    EXPECT(MEASURED(record_validate)(&r, &detail) == SWAPWIRE_OK);
    EXPECT(MEASURED(record_encoded_len)(&r, &n, &detail) == SWAPWIRE_OK && n == len);
    EXPECT(MEASURED(record_encode)(&r, buf, sizeof buf, &n, &detail) == SWAPWIRE_OK && n == len &&
           same_bytes(buf, bytes, len));
    EXPECT(MEASURED(record_encode)(&r, buf, len - 1, &n, &detail) == SWAPWIRE_BUFFER_TOO_SMALL);
    buf[len] = 0x00;
    EXPECT(MEASURED(record_decode_prefix)(buf, len + 1, &p, &used, &detail) == SWAPWIRE_OK && used == len &&
           p.kind == r.kind);
    EXPECT(MEASURED(record_decode)(buf, len + 1, &p, &detail) == SWAPWIRE_TRAILING_BYTES);
    kind_calls(bytes[0], bytes + 1, len - 1);
}

/* Records that break a rule: validate, encoded_len and encode refuse them and name the field. */
static void invalid_calls(void) {
    uint8_t buf[SWAPWIRE_RECORD_MAX_SIZE];
    size_t n = 0;
    swapwire_record r;
    swapwire_error_detail detail;
    r.kind = SWAPWIRE_KIND_COUNT;
    r.body.count = seed_count();
    r.body.count.date.month = 13;
    detail.field = 0;
    EXPECT(MEASURED(record_validate)(&r, &detail) == SWAPWIRE_INVALID_VALUE && detail.field == SWAPWIRE_FIELD_DATE);
    EXPECT(MEASURED(record_encoded_len)(&r, &n, &detail) == SWAPWIRE_INVALID_VALUE);
    EXPECT(MEASURED(record_encode)(&r, buf, sizeof buf, &n, &detail) == SWAPWIRE_INVALID_VALUE);
    detail.field = 0;
    EXPECT(MEASURED(count_validate)(&r.body.count, &detail) == SWAPWIRE_INVALID_VALUE &&
           detail.field == SWAPWIRE_FIELD_DATE);
    EXPECT(MEASURED(count_encoded_len)(&r.body.count, &n, &detail) == SWAPWIRE_INVALID_VALUE);
    EXPECT(MEASURED(count_encode)(&r.body.count, buf, sizeof buf, &n, &detail) == SWAPWIRE_INVALID_VALUE);
    r.kind = 3;
    EXPECT(MEASURED(record_validate)(&r, &detail) == SWAPWIRE_UNKNOWN_KIND);
}

/* Every vector and bad input through the record entry points; 0 if every check held. */
static int every_record_call(void) {
    swapwire_record r;
    swapwire_error_detail detail;
    size_t i, used = 0;
    for (i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        record_calls(vectors[i].bytes, vectors[i].len);
    }
    for (i = 0; i < sizeof bad_inputs / sizeof bad_inputs[0]; i++) {
        detail.field = 0;
        EXPECT(MEASURED(record_decode)(bad_inputs[i].bytes, bad_inputs[i].len, &r, &detail) == bad_inputs[i].want);
        EXPECT(bad_inputs[i].want != SWAPWIRE_INVALID_VALUE || detail.field == bad_inputs[i].field);
        EXPECT(MEASURED(record_decode_prefix)(bad_inputs[i].bytes, bad_inputs[i].len, &r, &used, &detail) ==
               bad_inputs[i].want);
    }
    invalid_calls();
    return expect_failed;
}
#endif

int main(void) {
    /* Seed count 1/2 as a field device would report it: encode into a radio buffer, then
     * decode what came back. */
    swapwire_record record, got;
    swapwire_error_detail detail;
    uint8_t frame[SWAPWIRE_RECORD_MAX_SIZE];
    size_t written = 0, used = 0, i;

    record.kind = SWAPWIRE_KIND_COUNT;
    record.body.count = seed_count();
    if (MEASURED(record_encode)(&record, frame, sizeof frame, &written, &detail) != SWAPWIRE_OK ||
        written != sizeof golden) {
        say("firmware: encode failed\n");
        return 1;
    }
    for (i = 0; i < written; i++) {
        if (frame[i] != golden[i]) {
            say("firmware: bytes differ from tests/vectors/seed-count-1-2.hex\n");
            return 1;
        }
    }
    if (MEASURED(record_decode_prefix)(frame, written, &got, &used, &detail) != SWAPWIRE_OK || used != written ||
        got.kind != SWAPWIRE_KIND_COUNT || got.body.count.quantity.value != 16000 || got.body.count.date.day != 6 ||
        got.body.count.holder[0] != 'R' || got.body.count.grade[1] != '2') {
        say("firmware: decode failed\n");
        return 1;
    }
    /* A truncated frame must be refused, not read past. */
    if (MEASURED(record_decode)(frame, written - 1, &got, &detail) != SWAPWIRE_TRUNCATED) {
        say("firmware: truncated input accepted\n");
        return 1;
    }
    say("firmware: seed count 1/2 encoded to its 15 golden bytes and decoded back on a Cortex-M4F\n");
#ifdef SWAPWIRE_STACK
    if (every_record_call() != 0) {
        say("firmware: a record entry point gave the wrong result\n");
        return 1;
    }
    say("firmware: 6 golden vectors and 8 bad inputs gave the host tests' results through every record entry "
        "point\n");
    if (stack_report() != 0) {
        return 1;
    }
#endif
    return 0;
}
