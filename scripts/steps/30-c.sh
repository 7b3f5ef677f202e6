#!/usr/bin/env bash
# The C API: the host and Cortex-M libraries, the header freshness check, the C tests (C99,
# C++, AddressSanitizer + UndefinedBehaviorSanitizer, valgrind), the C example, cffi's parse of
# the header maturin generates, and the Cortex-M link with its flash and RAM footprint.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

# --- what the step needs, installed only when missing
source scripts/need-debs.sh
need_debs gcc g++ valgrind gcc-arm-none-eabi binutils-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm python3-venv
rustup target add thumbv7em-none-eabihf >/dev/null 2>&1

target=${CARGO_TARGET_DIR:-$root/target}
out=$target/c
mkdir -p "$out"

# --- the libraries: staticlib and cdylib for the host, staticlib for Cortex-M4F
cargo build -p swapwire-capi --release
# Sized for flash (the shared release profile is left alone): one LTO'd object, opt-level s.
CARGO_PROFILE_RELEASE_OPT_LEVEL=s CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
  cargo rustc -p swapwire-capi --release --target thumbv7em-none-eabihf --crate-type staticlib
host_lib=$target/release
arm_lib=$target/thumbv7em-none-eabihf/release/libswapwire_capi.a

# --- the committed header is what the code generates (same flags as 10-rust.sh, so no rebuild)
cargo test --workspace --all-features --test header

# --- cffi (the Python package's loader) parses the header as maturin's cbindgen mode writes it
venv=$root/.venv-c
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import cffi' 2>/dev/null || "$venv/bin/pip" install -q 'cffi==2.0.0'
"$venv/bin/python" - "$target/tmp/swapwire-cffi.h" <<'EOF'
import sys, cffi
ffi = cffi.FFI()
ffi.cdef(open(sys.argv[1]).read())
print(f"cffi parsed the maturin-mode header: swapwire_record is {ffi.sizeof('swapwire_record')} bytes")
EOF

# --- the C tests, five ways
cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -g -Iinclude)
cxxflags=(-x c++ -std=c++11 -Wall -Wextra -Werror -pedantic -g -Iinclude)
syslibs=(-lpthread -ldl -lm)
for t in test_vectors test_inputs test_sync; do
  gcc "${cflags[@]}" -O1 "tests/c/$t.c" "$host_lib/libswapwire_capi.a" "${syslibs[@]}" -o "$out/$t"
  gcc "${cflags[@]}" -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
    "tests/c/$t.c" "$host_lib/libswapwire_capi.a" "${syslibs[@]}" -o "$out/$t-asan"
  # C++ against the shared library, to prove both the header's C++ side and the cdylib.
  g++ "${cxxflags[@]}" "tests/c/$t.c" -x none -L"$host_lib" -lswapwire_capi "${syslibs[@]}" -o "$out/$t-cpp"
done
run() { echo "--- $*"; "$@"; }
for t in test_vectors test_inputs test_sync; do
  args=()
  [[ $t == test_vectors ]] && args=(tests/vectors)
  run "$out/$t" "${args[@]}"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 run "$out/$t-asan" "${args[@]}"
  LD_LIBRARY_PATH=$host_lib run "$out/$t-cpp" "${args[@]}"
  run valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    "$out/$t" "${args[@]}"
done

# --- the example a C user would copy
make -s -C examples/c LIBDIR="$host_lib" OUT="$out" run

# --- README's C example ("Using it from C", its first ```c block) compiles cleanly as C99 and
# as C++ and runs
awk '/^## Using it from C/ {in_section = 1} in_section && /^```c$/ {grab = 1; next}
     grab && /^```$/ {exit} grab {print}' README.md > "$out/readme_example.c"
grep -q 'int main' "$out/readme_example.c"
gcc "${cflags[@]}" "$out/readme_example.c" "$host_lib/libswapwire_capi.a" "${syslibs[@]}" -o "$out/readme_example"
g++ "${cxxflags[@]}" "$out/readme_example.c" -x none "$host_lib/libswapwire_capi.a" "${syslibs[@]}" \
  -o "$out/readme_example-cpp"
run "$out/readme_example"
run "$out/readme_example-cpp"

# --- Cortex-M4F: link the firmwares against the bare-metal staticlib — firmware.c encodes and
# decodes a record, firmware_sync.c runs a store, frames, the stream decoder and summaries.
# -nostdlib with only libgcc: the link fails if the library needs anything a bare-metal target
# lacks (an allocator, libc, unwinding, std). Each is built twice: as is, for the flash and RAM
# figures README quotes, and with -DSWAPWIRE_STACK (tests/c/embedded/measured.h), which runs
# every C API call through stack painting, adds the entry points the plain build leaves out, and
# prints each one's worst stack depth ("stack (bytes, worst case): <name> <N>"). The depths are
# reported, not checked against a limit; the build fails only if a check fails or painting
# overflowed its span.
for fw in firmware firmware_sync; do
  for variant in "" -stack; do
    defines=()
    [[ $variant == -stack ]] && defines=(-DSWAPWIRE_STACK)
    elf=$fw$variant.elf
    arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os -std=c99 -Wall -Wextra -Werror \
      -ffunction-sections -fdata-sections -nostdlib -Iinclude -T tests/c/embedded/cortex-m4.ld "${defines[@]}" \
      -Wl,--gc-sections -Wl,-z,noexecstack -Wl,-Map="$out/$fw$variant.map" \
      "tests/c/embedded/$fw.c" "$arm_lib" -lgcc -o "$out/$elf"
    echo "--- arm-none-eabi-size $elf (flash = text + data, RAM = data + bss)"
    arm-none-eabi-size "$out/$elf"
    # ...and run it on an emulated Cortex-M4F: it exits 0 only if every step gives the bytes and
    # results the host tests expect.
    run timeout 60 qemu-system-arm -M mps2-an386 -nographic -monitor none -serial none \
      -semihosting-config enable=on,target=native -kernel "$out/$elf"
  done
done
