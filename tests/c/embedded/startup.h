/* Startup for the bare-metal test firmwares: the vector table, a reset handler that sets up
 * RAM and the FPU and calls main(), and semihosting to report and exit (QEMU mps2-an386,
 * `-semihosting-config enable=on,target=native`). No heap, no libc. Include it from exactly
 * one file per firmware; on a board without a debugger the semihosting breakpoint would
 * fault: these are test fixtures. */
#ifndef SWAPWIRE_TEST_STARTUP_H
#define SWAPWIRE_TEST_STARTUP_H

#include <stddef.h>
#include <stdint.h>

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;

void Reset_Handler(void);
void Fault_Handler(void);
int main(void);

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

#endif
