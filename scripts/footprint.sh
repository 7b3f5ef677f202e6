#!/usr/bin/env bash
# Flash and RAM footprint of swapwire on a Cortex-M4F (thumbv7em-none-eabihf), built as firmware
# with opt-level "z", fat LTO, one codegen unit and panic = "abort" (firmware/Cargo.toml).
#
# Each fp-* binary in firmware/src/bin/ calls one more layer of the library; fp-base is the bare
# runtime (vector table, reset handler, panic handler). "swapwire .text" is a binary's .text
# minus fp-base's, minus the compiler's memcpy/memmove/memset, which are listed on their own.
# Needs: rustup target thumbv7em-none-eabihf, binutils-arm-none-eabi (arm-none-eabi-size, -nm).
#
# Usage: scripts/footprint.sh            (prints a markdown table)
set -euo pipefail
cd "$(dirname "$0")/../firmware"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
cargo build -q --release --bins
bin=$CARGO_TARGET_DIR/thumbv7em-none-eabihf/release

# section SIZE of BINARY (0 if absent)
section() { arm-none-eabi-size -A "$2" | awk -v s="$1" '$1 == s { print $2; found = 1 } END { if (!found) print 0 }'; }
# The compiler's memory routines in BINARY: their total size or, with "names", "name (size), ...".
memfns() {
  local total=0 list="" size name
  while read -r _ size _ name; do
    case $name in *memcpy* | *memmove* | *memset* | *memclr* | *aeabi_mem*) ;; *) continue ;; esac
    total=$((total + 16#$size))
    list+="${list:+, }${name##*::} ($((16#$size)))"
  done < <(arm-none-eabi-nm -S -C --size-sort "$1")
  if [[ ${2:-} == names ]]; then echo "$list"; else echo "$total"; fi
}

base_text=$(section .text "$bin/fp-base")
base_mem=$(memfns "$bin/fp-base")
printf '| build (`firmware/src/bin/`) | swapwire .text | memcpy/memset & co. | .rodata | .data | .bss |\n'
printf '|---|---:|---:|---:|---:|---:|\n'
for b in fp-codec:"encode + decode, all record kinds" fp-frames:"+ frames, CRC-32, COBS stream decoder" \
         fp-store:"+ store and anti-entropy summaries"; do
  name=${b%%:*} what=${b#*:}
  text=$(section .text "$bin/$name")
  mem=$(memfns "$bin/$name")
  own=$((text - base_text - (mem - base_mem)))
  printf '| `%s`: %s | %d | %d | %d | %d | %d |\n' "$name" "$what" "$own" "$((mem - base_mem))" \
    "$(section .rodata "$bin/$name")" "$(section .data "$bin/$name")" "$(section .bss "$bin/$name")"
done
echo
echo "fp-base (runtime only): .text $base_text, .vector_table $(section .vector_table "$bin/fp-base")"
echo "compiler memory routines in fp-store, bytes: $(memfns "$bin/fp-store" names)"
echo "heap: none (no allocator is linked; the crate is no_std without alloc)"
