/* A minimal Cortex-M4F "firmware" that encodes and decodes a record through the bare-metal
 * staticlib. It is linked with -nostdlib and only libgcc, so the link fails if the library
 * needs anything a bare-metal target lacks; arm-none-eabi-size then shows what it costs.
 * No heap, no libc: the vector table and reset handler are here.
 *
 * Run under QEMU (`qemu-system-arm -M mps2-an386 -semihosting-config enable=on,target=native
 * -nographic -kernel firmware.elf`) it reports through semihosting and exits 0 only if the
 * record encodes to its golden bytes and decodes back unchanged. On a board without a
 * debugger attached the semihosting breakpoint would fault: this is a test fixture. */
#include <stddef.h>
#include <stdint.h>

#include "../seed_count.h"
#include "swapwire.h"

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;

void Reset_Handler(void);
void Fault_Handler(void);
int main(void);

/* tests/vectors/seed-count-1-2.hex: the same record as the host tests encode. */
static const uint8_t golden[] = {0x01, 0x01, 0x02, 0x00, 0x0b, 0xec, 0x47, 0xa4,
                                 0x91, 0x13, 0x83, 0xe8, 0x07, 0x02, 0x07};

enum { SYS_WRITE0 = 0x04, SYS_EXIT = 0x18 };
enum { EXIT_SUCCESS_REASON = 0x20026, EXIT_FAILURE_REASON = 0x20023 };

static uint32_t semihost(uint32_t op, uintptr_t arg) {
    register uint32_t r0 __asm__("r0") = op;
    register uintptr_t r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static void say(const char *text) {
    (void)semihost(SYS_WRITE0, (uintptr_t)text);
}

static void finish(int ok) {
    (void)semihost(SYS_EXIT, ok ? EXIT_SUCCESS_REASON : EXIT_FAILURE_REASON);
    for (;;) {
    }
}

void Fault_Handler(void) {
    say("firmware: fault\n");
    finish(0);
}

__attribute__((section(".isr_vector"), used)) const uintptr_t vector_table[16] = {
    (uintptr_t)&_estack,       (uintptr_t)Reset_Handler, (uintptr_t)Fault_Handler, (uintptr_t)Fault_Handler,
    (uintptr_t)Fault_Handler,  (uintptr_t)Fault_Handler, (uintptr_t)Fault_Handler, 0,
    0,                         0,                        0,                        (uintptr_t)Fault_Handler,
    (uintptr_t)Fault_Handler,  0,                        (uintptr_t)Fault_Handler, (uintptr_t)Fault_Handler,
};

void Reset_Handler(void) {
    uint32_t *src = &_sidata, *dst = &_sdata;
    volatile uint32_t *cpacr = (volatile uint32_t *)0xE000ED88u;
    *cpacr |= 0xFu << 20; /* the FPU, which hard-float code may touch */
    while (dst < &_edata) {
        *dst++ = *src++;
    }
    for (dst = &_sbss; dst < &_ebss; dst++) {
        *dst = 0;
    }
    finish(main() == 0);
}

int main(void) {
    /* Seed count 1/2 as a field device would report it: encode into a radio buffer, then
     * decode what came back. */
    swapwire_record record, got;
    swapwire_error_detail detail;
    uint8_t frame[SWAPWIRE_RECORD_MAX_SIZE];
    size_t written = 0, used = 0, i;

    record.kind = SWAPWIRE_KIND_COUNT;
    record.body.count = seed_count();
    if (swapwire_record_encode(&record, frame, sizeof frame, &written, &detail) != SWAPWIRE_OK ||
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
    if (swapwire_record_decode_prefix(frame, written, &got, &used, &detail) != SWAPWIRE_OK || used != written ||
        got.kind != SWAPWIRE_KIND_COUNT || got.body.count.quantity.value != 16000 || got.body.count.date.day != 6 ||
        got.body.count.holder[0] != 'R' || got.body.count.grade[1] != '2') {
        say("firmware: decode failed\n");
        return 1;
    }
    /* A truncated frame must be refused, not read past. */
    if (swapwire_record_decode(frame, written - 1, &got, &detail) != SWAPWIRE_TRUNCATED) {
        say("firmware: truncated input accepted\n");
        return 1;
    }
    say("firmware: seed count 1/2 encoded to its 15 golden bytes and decoded back on a Cortex-M4F\n");
    return 0;
}
