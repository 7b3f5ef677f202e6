/* The C API calls of the bare-metal firmwares, measured or not. Call sites write
 * MEASURED(record_decode)(bytes, len, &out, &detail): built with -DSWAPWIRE_STACK that is
 * stack_record_decode(), which runs swapwire_record_decode() through stack.h's painting and
 * keeps its worst depth; built without, it is swapwire_record_decode() itself, so the builds
 * whose flash size README quotes hold no measuring code. Include it after startup.h. */
#ifndef SWAPWIRE_TEST_MEASURED_H
#define SWAPWIRE_TEST_MEASURED_H

#include "swapwire.h"

#ifndef SWAPWIRE_STACK
#define MEASURED(fn) swapwire_##fn
#else
#define MEASURED(fn) stack_##fn

#include "stack.h"

/* For entry point swapwire_<fn>: a struct of its arguments and its status, a trampoline that
 * makes the call from the struct (noipa, and reached only through stack_measure's pointer),
 * and stack_<fn>() with the API's own signature, which fills the struct and measures the
 * call. The status starts as SWAPWIRE_INTERNAL, so a call that never ran fails its check. */
#define STACK_ENTRY_(fn, FIELDS, PARAMS, ARGS, ...)                                                              \
    struct stack_args_##fn {                                                                                     \
        FIELDS                                                                                                   \
        swapwire_status status;                                                                                  \
    };                                                                                                           \
    static __attribute__((noipa, unused)) void stack_call_##fn(void *p) {                                        \
        struct stack_args_##fn *c = (struct stack_args_##fn *)p;                                                 \
        STACK_AT_CALL();                                                                                         \
        c->status = swapwire_##fn ARGS;                                                                          \
    }                                                                                                            \
    static __attribute__((unused)) swapwire_status stack_##fn PARAMS {                                           \
        struct stack_args_##fn c = {__VA_ARGS__, SWAPWIRE_INTERNAL};                                             \
        stack_measure("swapwire_" #fn, stack_call_##fn, &c);                                                     \
        return c.status;                                                                                         \
    }

/* STACK_ENTRYn(fn, the types of its n parameters), as the header declares them. */
#define STACK_ENTRY1(fn, T0) STACK_ENTRY_(fn, T0 a0;, (T0 a0), (c->a0), a0)
#define STACK_ENTRY2(fn, T0, T1) STACK_ENTRY_(fn, T0 a0; T1 a1;, (T0 a0, T1 a1), (c->a0, c->a1), a0, a1)
#define STACK_ENTRY3(fn, T0, T1, T2)                                                                             \
    STACK_ENTRY_(fn, T0 a0; T1 a1; T2 a2;, (T0 a0, T1 a1, T2 a2), (c->a0, c->a1, c->a2), a0, a1, a2)
#define STACK_ENTRY4(fn, T0, T1, T2, T3)                                                                         \
    STACK_ENTRY_(fn, T0 a0; T1 a1; T2 a2; T3 a3;, (T0 a0, T1 a1, T2 a2, T3 a3), (c->a0, c->a1, c->a2, c->a3), a0, \
                 a1, a2, a3)
#define STACK_ENTRY5(fn, T0, T1, T2, T3, T4)                                                                     \
    STACK_ENTRY_(fn, T0 a0; T1 a1; T2 a2; T3 a3; T4 a4;, (T0 a0, T1 a1, T2 a2, T3 a3, T4 a4),                    \
                 (c->a0, c->a1, c->a2, c->a3, c->a4), a0, a1, a2, a3, a4)
#define STACK_ENTRY6(fn, T0, T1, T2, T3, T4, T5)                                                                 \
    STACK_ENTRY_(fn, T0 a0; T1 a1; T2 a2; T3 a3; T4 a4; T5 a5;, (T0 a0, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5),      \
                 (c->a0, c->a1, c->a2, c->a3, c->a4, c->a5), a0, a1, a2, a3, a4, a5)
#define STACK_ENTRY7(fn, T0, T1, T2, T3, T4, T5, T6)                                                             \
    STACK_ENTRY_(fn, T0 a0; T1 a1; T2 a2; T3 a3; T4 a4; T5 a5; T6 a6;,                                           \
                 (T0 a0, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6), (c->a0, c->a1, c->a2, c->a3, c->a4, c->a5, c->a6), \
                 a0, a1, a2, a3, a4, a5, a6)
#define STACK_ENTRY8(fn, T0, T1, T2, T3, T4, T5, T6, T7)                                                         \
    STACK_ENTRY_(fn, T0 a0; T1 a1; T2 a2; T3 a3; T4 a4; T5 a5; T6 a6; T7 a7;,                                    \
                 (T0 a0, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7),                                       \
                 (c->a0, c->a1, c->a2, c->a3, c->a4, c->a5, c->a6, c->a7), a0, a1, a2, a3, a4, a5, a6, a7)
#define STACK_ENTRY9(fn, T0, T1, T2, T3, T4, T5, T6, T7, T8)                                                     \
    STACK_ENTRY_(fn, T0 a0; T1 a1; T2 a2; T3 a3; T4 a4; T5 a5; T6 a6; T7 a7; T8 a8;,                             \
                 (T0 a0, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8),                                \
                 (c->a0, c->a1, c->a2, c->a3, c->a4, c->a5, c->a6, c->a7, c->a8), a0, a1, a2, a3, a4, a5, a6, a7, \
                 a8)
#define STACK_ENTRY10(fn, T0, T1, T2, T3, T4, T5, T6, T7, T8, T9)                                                \
    STACK_ENTRY_(fn, T0 a0; T1 a1; T2 a2; T3 a3; T4 a4; T5 a5; T6 a6; T7 a7; T8 a8; T9 a9;,                      \
                 (T0 a0, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9),                         \
                 (c->a0, c->a1, c->a2, c->a3, c->a4, c->a5, c->a6, c->a7, c->a8, c->a9), a0, a1, a2, a3, a4, a5, \
                 a6, a7, a8, a9)
#define STACK_ENTRY11(fn, T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10)                                           \
    STACK_ENTRY_(fn, T0 a0; T1 a1; T2 a2; T3 a3; T4 a4; T5 a5; T6 a6; T7 a7; T8 a8; T9 a9; T10 a10;,             \
                 (T0 a0, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10),                \
                 (c->a0, c->a1, c->a2, c->a3, c->a4, c->a5, c->a6, c->a7, c->a8, c->a9, c->a10), a0, a1, a2, a3, \
                 a4, a5, a6, a7, a8, a9, a10)

/* Records (firmware.c). */
STACK_ENTRY5(record_encode, const swapwire_record *, uint8_t *, size_t, size_t *, swapwire_error_detail *)
STACK_ENTRY4(record_decode, const uint8_t *, size_t, swapwire_record *, swapwire_error_detail *)
STACK_ENTRY5(record_decode_prefix, const uint8_t *, size_t, swapwire_record *, size_t *, swapwire_error_detail *)
STACK_ENTRY2(record_validate, const swapwire_record *, swapwire_error_detail *)
STACK_ENTRY3(record_encoded_len, const swapwire_record *, size_t *, swapwire_error_detail *)
STACK_ENTRY5(exchange_encode, const swapwire_exchange *, uint8_t *, size_t, size_t *, swapwire_error_detail *)
STACK_ENTRY4(exchange_decode, const uint8_t *, size_t, swapwire_exchange *, swapwire_error_detail *)
STACK_ENTRY5(exchange_decode_prefix, const uint8_t *, size_t, swapwire_exchange *, size_t *, swapwire_error_detail *)
STACK_ENTRY2(exchange_validate, const swapwire_exchange *, swapwire_error_detail *)
STACK_ENTRY3(exchange_encoded_len, const swapwire_exchange *, size_t *, swapwire_error_detail *)
STACK_ENTRY5(count_encode, const swapwire_count *, uint8_t *, size_t, size_t *, swapwire_error_detail *)
STACK_ENTRY4(count_decode, const uint8_t *, size_t, swapwire_count *, swapwire_error_detail *)
STACK_ENTRY5(count_decode_prefix, const uint8_t *, size_t, swapwire_count *, size_t *, swapwire_error_detail *)
STACK_ENTRY2(count_validate, const swapwire_count *, swapwire_error_detail *)
STACK_ENTRY3(count_encoded_len, const swapwire_count *, size_t *, swapwire_error_detail *)
STACK_ENTRY5(source_encode, const swapwire_source *, uint8_t *, size_t, size_t *, swapwire_error_detail *)
STACK_ENTRY4(source_decode, const uint8_t *, size_t, swapwire_source *, swapwire_error_detail *)
STACK_ENTRY5(source_decode_prefix, const uint8_t *, size_t, swapwire_source *, size_t *, swapwire_error_detail *)
STACK_ENTRY2(source_validate, const swapwire_source *, swapwire_error_detail *)
STACK_ENTRY3(source_encoded_len, const swapwire_source *, size_t *, swapwire_error_detail *)

/* Frames, stores, the stream decoder and summaries (firmware_sync.c). */
STACK_ENTRY10(frame_write, swapwire_link, uint32_t, const swapwire_record *, size_t, uint8_t *, size_t, size_t *,
              size_t *, size_t *, swapwire_error_detail *)
STACK_ENTRY11(frame_write_with, swapwire_link, uint32_t, swapwire_slot *, const swapwire_record *, size_t, uint8_t *,
              size_t, size_t *, size_t *, size_t *, swapwire_error_detail *)
STACK_ENTRY4(frame_info_read, const uint8_t *, size_t, const uint32_t *, swapwire_frame_info *)
STACK_ENTRY8(frame_read, const uint8_t *, size_t, const uint32_t *, swapwire_record *, size_t, size_t *,
             swapwire_frame_info *, swapwire_error_detail *)
STACK_ENTRY9(frame_read_with, const uint8_t *, size_t, const uint32_t *, swapwire_slot *, swapwire_record *, size_t,
             size_t *, swapwire_frame_info *, swapwire_error_detail *)
STACK_ENTRY3(store_init, swapwire_store *, swapwire_slot *, size_t)
STACK_ENTRY4(store_merge, swapwire_store *, const swapwire_record *, uint8_t *, swapwire_error_detail *)
STACK_ENTRY6(store_apply_frame, swapwire_store *, const uint8_t *, size_t, const uint32_t *, swapwire_applied *,
             swapwire_error_detail *)
STACK_ENTRY7(store_apply_frame_with, swapwire_store *, const uint8_t *, size_t, const uint32_t *, swapwire_slot *,
             swapwire_applied *, swapwire_error_detail *)
STACK_ENTRY2(store_len, const swapwire_store *, size_t *)
STACK_ENTRY2(store_capacity, const swapwire_store *, size_t *)
STACK_ENTRY3(store_get, const swapwire_store *, size_t, swapwire_record *)
STACK_ENTRY4(store_find_report, const swapwire_store *, uint32_t, uint32_t, swapwire_record *)
STACK_ENTRY3(store_find_source, const swapwire_store *, uint32_t, swapwire_record *)
STACK_ENTRY1(stream_decoder_init, swapwire_stream_decoder *)
STACK_ENTRY4(stream_feed, swapwire_stream_decoder *, const uint8_t *, size_t, swapwire_stream_event *)
STACK_ENTRY5(stream_unwrap, const uint8_t *, size_t, uint8_t *, size_t, size_t *)
STACK_ENTRY7(summary_write, const swapwire_store *, swapwire_link, uint32_t, uint8_t *, size_t, size_t *, size_t *)
STACK_ENTRY9(summary_missing_records, const swapwire_store *, const uint8_t *, size_t, const uint32_t *, size_t,
             swapwire_record *, size_t, size_t *, size_t *)
STACK_ENTRY11(summary_missing_frame, const swapwire_store *, const uint8_t *, size_t, const uint32_t *, size_t,
              swapwire_link, uint32_t, uint8_t *, size_t, size_t *, size_t *)

/* The checks the measured build adds: each failure names its line, and the firmware fails. */
static int expect_failed;

static void expect_at(int ok, const char *file, int line) {
    char digits[12];
    if (!ok) {
        digits[sizeof digits - 1] = '\0';
        say(file);
        say(":");
        say(stack_decimal((uint32_t)line, digits + sizeof digits - 1));
        say(": check failed\n");
        expect_failed = 1;
    }
}

#define EXPECT(cond) expect_at((cond) ? 1 : 0, __FILE__, __LINE__)

#endif
#endif
