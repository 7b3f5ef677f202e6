/* A minimal Cortex-M4F "firmware" that encodes and decodes a record through the bare-metal
 * staticlib. It is linked with -nostdlib and only libgcc, so the link fails if the library
 * needs anything a bare-metal target lacks; arm-none-eabi-size then shows what it costs.
 * No heap, no libc: the vector table and reset handler are in startup.h.
 *
 * Run under QEMU (`qemu-system-arm -M mps2-an386 -semihosting-config enable=on,target=native
 * -nographic -kernel firmware.elf`) it reports through semihosting and exits 0 only if the
 * record encodes to its golden bytes and decodes back unchanged. On a board without a
 * debugger attached the semihosting breakpoint would fault: this is a test fixture. */
#include "../seed_count.h"
#include "startup.h"
#include "swapwire.h"

/* tests/vectors/seed-count-1-2.hex: the same record as the host tests encode. */
static const uint8_t golden[] = {0x01, 0x01, 0x02, 0x00, 0x0b, 0xec, 0x47, 0xa4,
                                 0x91, 0x13, 0x83, 0xe8, 0x07, 0x02, 0x07};

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
