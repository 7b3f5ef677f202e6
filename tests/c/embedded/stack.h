/* Stack painting for the bare-metal C firmwares: how deep the stack of each C API entry point
 * goes on a Cortex-M4F, measured as firmware/src/lib.rs `stack_used` measures the Rust ones.
 * Include it after startup.h (it reports with say() and checks the span against _ebss).
 *
 * stack_measure() paints STACK_PAINT bytes below its own stack pointer, calls a trampoline
 * through a pointer, then scans up from the bottom of the span for the first word that no
 * longer holds the paint. It and the trampolines (measured.h) are noipa, so the compiler can
 * neither inline nor clone the call nor hoist any of the API call out of it. The trampoline,
 * which only unpacks its context struct into arguments, records the stack pointer
 * just before it calls the API (STACK_AT_CALL), and the depth is taken from there: the figure
 * is the API function's own stack and everything it calls, not the trampoline's frame and not
 * the arguments the caller passes on the stack (AAPCS puts those in the caller's frame). GCC
 * for ARM allocates outgoing arguments in the prologue, so SP does not move between the mark
 * and the call (arm-none-eabi-objdump -d of every stack_call_* shows it). A word the callee leaves holding the paint value reads as untouched; that
 * lowers the figure only if it is the deepest word written, which the odd pattern makes
 * unlikely.
 *
 * No interrupt is enabled and semihosting runs in QEMU, not on the target stack, so nothing
 * else writes into the span. No libc: say() and a small decimal writer print the table. */
#ifndef SWAPWIRE_TEST_STACK_H
#define SWAPWIRE_TEST_STACK_H

#include <stddef.h>
#include <stdint.h>

/* 4 KiB: well past the deepest entry point measured (2.5 KiB), and far from .bss: main runs
 * at the top of 128 KiB of RAM (cortex-m4.ld) and the firmwares keep under 10 KiB of statics;
 * stack_measure() checks the span against _ebss all the same. -DSTACK_PAINT=512 shows the
 * overflow check failing the firmware. */
#ifndef STACK_PAINT
#define STACK_PAINT 4096u
#endif
enum { STACK_NAMES = 40 };
#define STACK_PATTERN 0xA5A5A5A5u

#define STACK_POINTER(var) __asm__ volatile("mov %0, sp" : "=r"(var))

struct stack_worst {
    const char *name;
    uint32_t bytes;
};

static struct stack_worst stack_table[STACK_NAMES];
static size_t stack_names;
static int stack_failed;
/* The stack pointer at the API call, written by the trampoline (STACK_AT_CALL). */
static volatile uintptr_t stack_at_call;

/* In each trampoline, right before the API call. */
#define STACK_AT_CALL()                                                                                          \
    do {                                                                                                         \
        uintptr_t stack_sp_;                                                                                     \
        STACK_POINTER(stack_sp_);                                                                                \
        stack_at_call = stack_sp_;                                                                               \
    } while (0)

/* Writes n in decimal just before `end`, returns where it starts. */
static char *stack_decimal(uint32_t n, char *end) {
    do {
        *--end = (char)('0' + n % 10);
        n /= 10;
    } while (n != 0);
    return end;
}

static char *stack_append(char *at, const char *text) {
    while (*text != '\0') {
        *at++ = *text++;
    }
    return at;
}

/* Keeps the worst depth per name, in the order names are first seen. Names are the string
 * literals of measured.h, one per entry point, so the pointer identifies the name. */
static void stack_keep(const char *name, uint32_t bytes) {
    size_t i;
    for (i = 0; i < stack_names; i++) {
        if (stack_table[i].name == name) {
            if (bytes > stack_table[i].bytes) {
                stack_table[i].bytes = bytes;
            }
            return;
        }
    }
    if (stack_names == STACK_NAMES) {
        say("stack: more entry points than STACK_NAMES\n");
        stack_failed = 1;
        return;
    }
    stack_table[stack_names].name = name;
    stack_table[stack_names].bytes = bytes;
    stack_names++;
}

/* Runs call(ctx) on a painted stack and keeps how deep the API call inside it went. */
static __attribute__((noipa)) void stack_measure(const char *name, void (*call)(void *), void *ctx) {
    uintptr_t sp, at;
    volatile uint32_t *bottom, *top, *word;
    STACK_POINTER(sp);
    bottom = (volatile uint32_t *)(sp - STACK_PAINT);
    top = (volatile uint32_t *)sp;
    if ((uintptr_t)bottom < (uintptr_t)&_ebss) {
        say("stack: the painted span would reach .bss\n");
        stack_failed = 1;
        return;
    }
    for (word = bottom; word < top; word++) {
        *word = STACK_PATTERN;
    }
    stack_at_call = 0;
    call(ctx);
    for (word = bottom; word < top && *word == STACK_PATTERN; word++) {
    }
    at = stack_at_call;
    if (at <= (uintptr_t)bottom || at > sp) {
        say("stack: the trampoline did not mark the call\n");
        stack_failed = 1;
        return;
    }
    if (word == bottom) {
        /* The deepest painted word was overwritten: the call may have gone further. */
        say("stack: painting overflowed its span, raise STACK_PAINT: ");
        say(name);
        say("\n");
        stack_failed = 1;
    }
    stack_keep(name, (uintptr_t)word < at ? (uint32_t)(at - (uintptr_t)word) : 0u);
}

/* Prints one line per entry point, in the order first called; 0 unless painting failed. */
static int stack_report(void) {
    static char line[128];
    char digits[12], *at; /* 10 digits at most, and the NUL */
    size_t i;
    digits[sizeof digits - 1] = '\0';
    say("stack: bytes below the stack pointer at each C API call, painted ");
    say(stack_decimal(STACK_PAINT, digits + sizeof digits - 1));
    say(" bytes deep, worst case over every call this firmware makes\n");
    for (i = 0; i < stack_names; i++) {
        at = stack_append(line, "stack (bytes, worst case): ");
        at = stack_append(at, stack_table[i].name);
        *at++ = ' ';
        at = stack_append(at, stack_decimal(stack_table[i].bytes, digits + sizeof digits - 1));
        *at++ = '\n';
        *at = '\0';
        say(line);
    }
    return stack_failed;
}

#endif
