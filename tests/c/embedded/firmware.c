/* A minimal Cortex-M4F "firmware" that encodes and decodes records through the bare-metal
 * staticlib. It is linked with -nostdlib and only libgcc, so the link fails if the library
 * needs anything a bare-metal target lacks; arm-none-eabi-size then shows what it costs.
 * No heap, no libc: the vector table and reset handler are here. */
#include <stddef.h>
#include <stdint.h>

#include "../seed_count.h"
#include "swapwire.h"

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;

void Reset_Handler(void);
void Default_Handler(void);
int main(void);

/* Inspected by a debugger: 1 once a record has gone through encode and decode unchanged. */
volatile int swapwire_selftest_passed;
volatile size_t swapwire_selftest_bytes;

void Default_Handler(void) {
    for (;;) {
    }
}

__attribute__((section(".isr_vector"), used)) const uintptr_t vector_table[16] = {
    (uintptr_t)&_estack,         (uintptr_t)Reset_Handler,   (uintptr_t)Default_Handler,
    (uintptr_t)Default_Handler,  (uintptr_t)Default_Handler, (uintptr_t)Default_Handler,
    (uintptr_t)Default_Handler,  0, 0, 0, 0,                 (uintptr_t)Default_Handler,
    (uintptr_t)Default_Handler,  0,                          (uintptr_t)Default_Handler,
    (uintptr_t)Default_Handler,
};

void Reset_Handler(void) {
    uint32_t *src = &_sidata, *dst = &_sdata;
    while (dst < &_edata) {
        *dst++ = *src++;
    }
    for (dst = &_sbss; dst < &_ebss; dst++) {
        *dst = 0;
    }
    (void)main();
    Default_Handler();
}

int main(void) {
    /* Seed count 1/2 as a field device would report it: encode into a radio buffer, then
     * decode what came back. */
    swapwire_record record, got;
    swapwire_error_detail detail;
    uint8_t frame[SWAPWIRE_RECORD_MAX_SIZE];
    size_t written = 0, used = 0;

    record.kind = SWAPWIRE_KIND_COUNT;
    record.body.count = seed_count();
    if (swapwire_record_encode(&record, frame, sizeof frame, &written, &detail) != SWAPWIRE_OK) {
        return 1;
    }
    if (swapwire_record_decode_prefix(frame, written, &got, &used, &detail) != SWAPWIRE_OK) {
        return 2;
    }
    swapwire_selftest_bytes = written;
    swapwire_selftest_passed = used == written && got.kind == SWAPWIRE_KIND_COUNT &&
                               got.body.count.quantity.value == 16000 && got.body.count.date.day == 6;
    return 0;
}
