/* A Cortex-M4F "firmware" that runs field sync through the bare-metal staticlib: reports into
 * a store in static slots, a 51-byte LoRaWAN frame of them, the rest as a serial stream frame
 * after line noise through a stream decoder into a second store, and that store's summary
 * saying nothing is missing. Linked with -nostdlib and only libgcc like firmware.c, so the
 * link proves the store, frames, stream decoder and summaries need nothing bare metal lacks;
 * under QEMU it exits 0 only if every step gives what the host tests do. Built with
 * -DSWAPWIRE_STACK (measured.h) it also writes and reads frames, applies one through a scratch
 * slot, merges a correction and runs summaries both ways, and ends with each call's worst stack
 * depth, measured by painting (stack.h). */
#include "../seed_exchange.h"
#include "startup.h"
#include "swapwire.h"
#include "measured.h"

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
        if (MEASURED(stream_feed)(&decoder, stream + at, len - at, &ev) != SWAPWIRE_OK) {
            return 1;
        }
        if (ev.frame != NULL &&
            MEASURED(store_apply_frame)(&gateway, ev.frame, ev.frame_len, NULL, NULL, NULL) != SWAPWIRE_OK) {
            return 1;
        }
        at += ev.consumed;
    }
    return 0;
}

#ifdef SWAPWIRE_STACK
/* The measured build (-DSWAPWIRE_STACK, see measured.h) also runs the sync entry points a
 * firmware would call that the flow above leaves out, on the converged stores, with checks the
 * host tests make, then prints each entry point's worst stack depth. */
static swapwire_record held[8], got[8];
static swapwire_slot scratch; /* outside the stores, as swapwire_store_apply_frame_with wants */
static swapwire_record source; /* zero-initialised without a memset, which -nostdlib lacks */
static const char suspilne[] = "Suspilne";

static int same_bytes(const uint8_t *a, const uint8_t *b, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}

static int every_sync_call(void) {
    uint8_t frame[SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR0], again[SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR0];
    uint8_t summary[SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR0], stream[SWAPWIRE_PAYLOAD_SERIAL];
    uint8_t unwrapped[SWAPWIRE_FRAME_MAX_SIZE];
    swapwire_record r;
    swapwire_frame_info info;
    swapwire_applied applied;
    swapwire_error_detail detail;
    size_t i, n = 0, written = 0, again_len = 0, taken = 0, count = 0, total = 0, failed = 0, summary_len = 0,
              spaces = 0;
    uint32_t origin = 1, gw = 0;
    uint8_t merged = 0;

    /* The device's 8 reports, in key order. */
    EXPECT(MEASURED(store_capacity)(&device, &n) == SWAPWIRE_OK && n == 8);
    for (i = 0; i < 8; i++) {
        EXPECT(MEASURED(store_get)(&device, i, &held[i]) == SWAPWIRE_OK && held[i].kind == SWAPWIRE_KIND_EXCHANGE &&
               held[i].body.exchange.seq == i + 1 && held[i].body.exchange.to_a.value == 150 + 7 * i);
    }
    EXPECT(MEASURED(store_get)(&device, 8, &r) == SWAPWIRE_NOT_FOUND);
    EXPECT(MEASURED(store_find_report)(&device, origin, 5, &r) == SWAPWIRE_OK &&
           r.body.exchange.to_a.value == held[4].body.exchange.to_a.value);
    EXPECT(MEASURED(store_find_report)(&device, origin, 9, &r) == SWAPWIRE_NOT_FOUND);

    /* frame_write packs the first 7 into 51 bytes, the very frame missing_frame makes for a peer
     * that holds nothing; it reads back as those 7. */
    EXPECT(MEASURED(frame_write)(lora, origin, held, 8, frame, sizeof frame, &written, &taken, &failed, &detail) ==
               SWAPWIRE_OK &&
           taken == 7);
    EXPECT(MEASURED(summary_missing_frame)(&device, NULL, 0, NULL, 0, lora, origin, again, sizeof again, &again_len,
                                           &taken) == SWAPWIRE_OK &&
           taken == 7 && again_len == written && same_bytes(again, frame, written));
    /* The same frame through the static scratch slot instead of the call's stack. */
    EXPECT(MEASURED(frame_write_with)(lora, origin, &scratch, held, 8, again, sizeof again, &again_len, &taken, &failed,
                                      &detail) == SWAPWIRE_OK &&
           taken == 7 && again_len == written && same_bytes(again, frame, written));
    EXPECT(MEASURED(frame_info_read)(frame, written, &origin, &info) == SWAPWIRE_OK &&
           info.kind == SWAPWIRE_FRAME_RECORDS && info.has_sender == 1 && info.sender == origin && info.count == 7);
    EXPECT(MEASURED(frame_read)(frame, written, &origin, got, 8, &n, &info, &detail) == SWAPWIRE_OK && n == 7);
    for (i = 0; i < 7; i++) {
        EXPECT(got[i].body.exchange.seq == held[i].body.exchange.seq &&
               got[i].body.exchange.to_a.value == held[i].body.exchange.to_a.value &&
               got[i].body.exchange.date.day == held[i].body.exchange.date.day);
    }
    /* The same records through the static scratch slot instead of the call's stack. */
    for (i = 0; i < 8; i++) {
        got[i].kind = 0xFF;
    }
    n = 0;
    EXPECT(MEASURED(frame_read_with)(frame, written, &origin, &scratch, got, 8, &n, &info, &detail) == SWAPWIRE_OK &&
           n == 7);
    for (i = 0; i < 7; i++) {
        EXPECT(got[i].body.exchange.seq == held[i].body.exchange.seq &&
               got[i].body.exchange.to_a.value == held[i].body.exchange.to_a.value);
    }
    EXPECT(MEASURED(frame_read_with)(frame, written, &origin, (swapwire_slot *)(void *)&got[1], got, 8, &n, &info,
                                     &detail) == SWAPWIRE_INVALID_ARGUMENT);
    /* An invalid record fails the whole frame, and is named. */
    r = held[3];
    held[3].body.exchange.date.month = 13;
    detail.field = 0;
    EXPECT(MEASURED(frame_write)(lora, origin, held, 8, again, sizeof again, &again_len, &taken, &failed, &detail) ==
               SWAPWIRE_INVALID_VALUE &&
           failed == 3 && detail.field == SWAPWIRE_FIELD_DATE);
    failed = 0;
    EXPECT(MEASURED(frame_write_with)(lora, origin, &scratch, held, 8, again, sizeof again, &again_len, &taken, &failed,
                                      &detail) == SWAPWIRE_INVALID_VALUE &&
           failed == 3);
    held[3] = r;

    /* What a peer lacks: from an empty peer's, all 8 (3 after skipping 5); from the converged
     * gateway's summary, nothing. */
    EXPECT(MEASURED(summary_missing_records)(&device, NULL, 0, NULL, 5, got, 8, &count, &total) == SWAPWIRE_OK &&
           count == 3 && total == 8 && got[0].body.exchange.seq == 6);
    EXPECT(MEASURED(summary_write)(&gateway, lora, 0, summary, sizeof summary, &summary_len, &spaces) ==
               SWAPWIRE_OK &&
           spaces == 1);
    EXPECT(MEASURED(summary_missing_records)(&device, summary, summary_len, &gw, 0, got, 8, &count, &total) ==
               SWAPWIRE_OK &&
           count == 0 && total == 0);

    /* The device starts over and takes the 7 through a scratch slot: 7 new, then 7 kept; a
     * scratch inside the store is refused. */
    EXPECT(MEASURED(store_init)(&device, device_slots, 8) == SWAPWIRE_OK);
    EXPECT(MEASURED(store_apply_frame_with)(&device, frame, written, &origin, &scratch, &applied, &detail) ==
               SWAPWIRE_OK &&
           applied.inserted == 7 && applied.replaced == 0 && applied.kept == 0);
    EXPECT(MEASURED(store_apply_frame_with)(&device, frame, written, &origin, &scratch, &applied, &detail) ==
               SWAPWIRE_OK &&
           applied.inserted == 0 && applied.replaced == 0 && applied.kept == 7);
    EXPECT(MEASURED(store_apply_frame_with)(&device, frame, written, &origin, &device_slots[0], &applied, &detail) ==
           SWAPWIRE_INVALID_ARGUMENT);
    EXPECT(MEASURED(store_len)(&device, &n) == SWAPWIRE_OK && n == 7);

    /* A correction: revision 1 of seq 1 replaces revision 0, which then stays out, alone or in
     * the frame. */
    r = held[0];
    r.body.exchange.revision = 1;
    r.body.exchange.to_a.value = 151;
    EXPECT(MEASURED(store_merge)(&device, &r, &merged, &detail) == SWAPWIRE_OK && merged == SWAPWIRE_MERGED_REPLACED);
    EXPECT(MEASURED(store_merge)(&device, &held[0], &merged, &detail) == SWAPWIRE_OK && merged == SWAPWIRE_MERGED_KEPT);
    EXPECT(MEASURED(store_apply_frame_with)(&device, frame, written, &origin, &scratch, &applied, &detail) ==
               SWAPWIRE_OK &&
           applied.kept == 7);

    /* The gateway holds revision 0 of seq 1: the device sends it the correction alone, and the
     * gateway's reply is that the device lacks seq 8. */
    EXPECT(MEASURED(summary_write)(&gateway, lora, 0, summary, sizeof summary, &summary_len, &spaces) ==
           SWAPWIRE_OK);
    EXPECT(MEASURED(summary_missing_records)(&device, summary, summary_len, &gw, 0, got, 8, &count, &total) ==
               SWAPWIRE_OK &&
           count == 1 && total == 1 && got[0].body.exchange.seq == 1 && got[0].body.exchange.revision == 1);
    EXPECT(MEASURED(summary_missing_frame)(&device, summary, summary_len, &gw, 0, lora, origin, again, sizeof again,
                                           &again_len, &taken) == SWAPWIRE_OK &&
           taken == 1);
    EXPECT(MEASURED(store_apply_frame)(&gateway, again, again_len, &origin, &applied, &detail) == SWAPWIRE_OK &&
           applied.inserted == 0 && applied.replaced == 1 && applied.kept == 0);
    EXPECT(MEASURED(summary_write)(&device, lora, origin, summary, sizeof summary, &summary_len, &spaces) ==
           SWAPWIRE_OK);
    EXPECT(MEASURED(summary_missing_records)(&gateway, summary, summary_len, &origin, 0, got, 8, &count, &total) ==
               SWAPWIRE_OK &&
           count == 1 && got[0].body.exchange.seq == 8);

    /* All 8 over a serial line: one stream frame, unwrapped it names its sender and reads back;
     * the gateway holds them all (seq 1 newer), and so does the decoder's path to it. */
    EXPECT(MEASURED(frame_write)(serial, origin, held, 8, stream, sizeof stream, &written, &taken, &failed, &detail) ==
               SWAPWIRE_OK &&
           taken == 8 && stream[written - 1] == 0x00);
    EXPECT(MEASURED(frame_write_with)(serial, origin, &scratch, held, 8, unwrapped, sizeof unwrapped, &n, &taken,
                                      &failed, &detail) == SWAPWIRE_OK &&
           taken == 8 && n == written && same_bytes(unwrapped, stream, written));
    EXPECT(MEASURED(stream_unwrap)(stream, written, unwrapped, sizeof unwrapped, &n) == SWAPWIRE_OK);
    EXPECT(MEASURED(frame_read)(unwrapped, n, NULL, got, 8, &count, &info, &detail) == SWAPWIRE_OK && count == 8 &&
           info.has_sender == 1 && info.sender == origin && got[7].body.exchange.seq == 8);
    EXPECT(MEASURED(store_apply_frame)(&gateway, unwrapped, n, NULL, &applied, &detail) == SWAPWIRE_OK &&
           applied.kept == 8);
    EXPECT(receive_stream(stream, written) == 0);
    EXPECT(MEASURED(store_find_report)(&gateway, origin, 1, &r) == SWAPWIRE_OK && r.body.exchange.revision == 1);

    /* A source, found by its key (the device starts over with it and the 8 reports). */
    source.kind = SWAPWIRE_KIND_SOURCE;
    source.body.source.key = 3;
    source.body.source.kind = SWAPWIRE_SOURCE_MEDIA;
    for (i = 0; suspilne[i] != '\0'; i++) {
        source.body.source.name[i] = suspilne[i];
    }
    source.body.source.name_len = (uint8_t)i;
    EXPECT(MEASURED(store_init)(&device, device_slots, 8) == SWAPWIRE_OK);
    EXPECT(MEASURED(store_merge)(&device, &source, &merged, &detail) == SWAPWIRE_OK &&
           merged == SWAPWIRE_MERGED_INSERTED);
    for (i = 0; i < 7; i++) {
        EXPECT(MEASURED(store_merge)(&device, &held[i], &merged, &detail) == SWAPWIRE_OK);
    }
    EXPECT(MEASURED(store_find_source)(&device, 3, &r) == SWAPWIRE_OK && r.kind == SWAPWIRE_KIND_SOURCE &&
           r.body.source.name_len == sizeof suspilne - 1 && same_bytes((const uint8_t *)r.body.source.name,
                                                         (const uint8_t *)suspilne, sizeof suspilne));
    EXPECT(MEASURED(store_find_source)(&device, 4, &r) == SWAPWIRE_NOT_FOUND);
    return expect_failed;
}
#endif

int main(void) {
    uint8_t frame[SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR0], stream[SWAPWIRE_PAYLOAD_SERIAL];
    swapwire_record r;
    size_t written = 0, taken = 0, len = 0;
    uint32_t i, origin = 1;
    if (MEASURED(store_init)(&device, device_slots, 8) != SWAPWIRE_OK ||
        MEASURED(store_init)(&gateway, gateway_slots, 8) != SWAPWIRE_OK ||
        MEASURED(stream_decoder_init)(&decoder) != SWAPWIRE_OK) {
        say("firmware-sync: init failed\n");
        return 1;
    }
    for (i = 0; i < 8; i++) {
        r = report_like_seed(origin, i);
        if (MEASURED(store_merge)(&device, &r, NULL, NULL) != SWAPWIRE_OK) {
            say("firmware-sync: merge failed\n");
            return 1;
        }
    }
    r = report_like_seed(origin, 8);
    if (MEASURED(store_merge)(&device, &r, NULL, NULL) != SWAPWIRE_STORE_FULL) {
        say("firmware-sync: a full store took a ninth record\n");
        return 1;
    }
    /* The gateway holds nothing yet: 7 seed-like reports fill one 51-byte frame. */
    if (MEASURED(summary_missing_frame)(&device, NULL, 0, NULL, 0, lora, origin, frame, sizeof frame, &written,
                                       &taken) != SWAPWIRE_OK ||
        taken != 7 || MEASURED(store_apply_frame)(&gateway, frame, written, &origin, NULL, NULL) != SWAPWIRE_OK) {
        say("firmware-sync: the LoRaWAN frame failed\n");
        return 1;
    }
    /* The gateway's summary; what it lacks goes over a serial line after some noise. */
    stream[0] = 0x42;
    stream[1] = 0x00;
    if (MEASURED(summary_write)(&gateway, lora, 0, frame, sizeof frame, &len, &taken) != SWAPWIRE_OK ||
        MEASURED(summary_missing_frame)(&device, frame, len, &origin, 0, serial, origin, stream + 2, sizeof stream - 2,
                                       &written, &taken) != SWAPWIRE_OK ||
        taken != 1 || receive_stream(stream, 2 + written) != 0) {
        say("firmware-sync: the serial stream failed\n");
        return 1;
    }
    /* Converged: the gateway holds all 8, and its summary leaves nothing to send. */
    if (MEASURED(store_len)(&gateway, &len) != SWAPWIRE_OK || len != 8 ||
        MEASURED(summary_write)(&gateway, lora, 0, frame, sizeof frame, &len, &taken) != SWAPWIRE_OK ||
        MEASURED(summary_missing_frame)(&device, frame, len, &origin, 0, lora, origin, stream, sizeof stream, &written,
                                       &taken) != SWAPWIRE_OK ||
        taken != 0) {
        say("firmware-sync: the stores did not converge\n");
        return 1;
    }
    say("firmware-sync: 8 reports synced between two stores over a 51-byte frame and a serial stream on a "
        "Cortex-M4F\n");
#ifdef SWAPWIRE_STACK
    if (every_sync_call() != 0) {
        say("firmware-sync: a sync entry point gave the wrong result\n");
        return 1;
    }
    say("firmware-sync: frames written and read, a scratch-slot apply, a correction and both summary directions "
        "gave the host tests' results\n");
    if (stack_report() != 0) {
        return 1;
    }
#endif
    return 0;
}
