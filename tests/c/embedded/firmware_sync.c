/* A Cortex-M4F "firmware" that runs field sync through the bare-metal staticlib: reports into
 * a store in static slots, a 51-byte LoRaWAN frame of them, the rest as a serial stream frame
 * after line noise through a stream decoder into a second store, and that store's summary
 * saying nothing is missing. Linked with -nostdlib and only libgcc like firmware.c, so the
 * link proves the store, frames, stream decoder and summaries need nothing bare metal lacks;
 * under QEMU it exits 0 only if every step gives what the host tests do. */
#include "../seed_exchange.h"
#include "startup.h"
#include "swapwire.h"

/* Static, as a device would keep them: 8 slots each (SWAPWIRE_SLOT_SIZE bytes a slot). */
static swapwire_slot device_slots[8], gateway_slots[8];
static swapwire_store device, gateway;
static swapwire_stream_decoder decoder;

static const swapwire_link lora = {SWAPWIRE_FRAMING_MESSAGE, SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR0};
static const swapwire_link serial = {SWAPWIRE_FRAMING_STREAM, SWAPWIRE_PAYLOAD_SERIAL};

/* Feeds stream[0..len] to the decoder, applying each frame to the gateway's store. */
static int receive_stream(const uint8_t *stream, size_t len) {
    size_t at = 0;
    swapwire_stream_event ev;
    while (at < len) {
        if (swapwire_stream_feed(&decoder, stream + at, len - at, &ev) != SWAPWIRE_OK) {
            return 1;
        }
        if (ev.frame != NULL &&
            swapwire_store_apply_frame(&gateway, ev.frame, ev.frame_len, NULL, NULL, NULL) != SWAPWIRE_OK) {
            return 1;
        }
        at += ev.consumed;
    }
    return 0;
}

int main(void) {
    uint8_t frame[SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR0], stream[SWAPWIRE_PAYLOAD_SERIAL];
    swapwire_record r;
    size_t written = 0, taken = 0, len = 0;
    uint32_t i, origin = 1;
    if (swapwire_store_init(&device, device_slots, 8) != SWAPWIRE_OK ||
        swapwire_store_init(&gateway, gateway_slots, 8) != SWAPWIRE_OK ||
        swapwire_stream_decoder_init(&decoder) != SWAPWIRE_OK) {
        say("firmware-sync: init failed\n");
        return 1;
    }
    for (i = 0; i < 8; i++) {
        r = report_like_seed(origin, i);
        if (swapwire_store_merge(&device, &r, NULL, NULL) != SWAPWIRE_OK) {
            say("firmware-sync: merge failed\n");
            return 1;
        }
    }
    r = report_like_seed(origin, 8);
    if (swapwire_store_merge(&device, &r, NULL, NULL) != SWAPWIRE_STORE_FULL) {
        say("firmware-sync: a full store took a ninth record\n");
        return 1;
    }
    /* The gateway holds nothing yet: 7 seed-like reports fill one 51-byte frame. */
    if (swapwire_summary_missing_frame(&device, NULL, 0, NULL, 0, lora, origin, frame, sizeof frame, &written,
                                       &taken) != SWAPWIRE_OK ||
        taken != 7 || swapwire_store_apply_frame(&gateway, frame, written, &origin, NULL, NULL) != SWAPWIRE_OK) {
        say("firmware-sync: the LoRaWAN frame failed\n");
        return 1;
    }
    /* The gateway's summary; what it lacks goes over a serial line after some noise. */
    stream[0] = 0x42;
    stream[1] = 0x00;
    if (swapwire_summary_write(&gateway, lora, 0, frame, sizeof frame, &len, &taken) != SWAPWIRE_OK ||
        swapwire_summary_missing_frame(&device, frame, len, &origin, 0, serial, origin, stream + 2, sizeof stream - 2,
                                       &written, &taken) != SWAPWIRE_OK ||
        taken != 1 || receive_stream(stream, 2 + written) != 0) {
        say("firmware-sync: the serial stream failed\n");
        return 1;
    }
    /* Converged: the gateway holds all 8, and its summary leaves nothing to send. */
    if (swapwire_store_len(&gateway, &len) != SWAPWIRE_OK || len != 8 ||
        swapwire_summary_write(&gateway, lora, 0, frame, sizeof frame, &len, &taken) != SWAPWIRE_OK ||
        swapwire_summary_missing_frame(&device, frame, len, &origin, 0, lora, origin, stream, sizeof stream, &written,
                                       &taken) != SWAPWIRE_OK ||
        taken != 0) {
        say("firmware-sync: the stores did not converge\n");
        return 1;
    }
    say("firmware-sync: 8 reports synced between two stores over a 51-byte frame and a serial stream on a "
        "Cortex-M4F\n");
    return 0;
}
