#!/usr/bin/env bash
# Runs one fuzz target of the codegen crate for a while, on stable Rust.
#
#   fuzz/run.sh [TARGET] [SECONDS] [extra libFuzzer flags...]
#
# TARGET is `structured` (default) or `text`; SECONDS defaults to 600. The seed corpus is laid
# out afresh each run from spec/walletkit.yaml, codegen/tests/fixtures/*.yaml and the documents
# of ../shared/corpus (or $CODEGEN_FUZZ_SEEDS) no larger than $CODEGEN_FUZZ_MAX_SEED_KB (64).
# What libFuzzer finds goes to fuzz/corpus/TARGET (kept between runs) and crashes to
# fuzz/artifacts/TARGET. Needs `cargo install cargo-fuzz`; RUSTC_BOOTSTRAP=1 lets cargo-fuzz's
# `-Z` flags through on a stable toolchain. Set CODEGEN_FUZZ_SANITIZER=none to build without
# AddressSanitizer (several times faster; Rust's own checks still catch panics and overflows).
# `generate` runs on a 2 MiB thread; CODEGEN_FUZZ_STACK_KB=256 makes this optimised build
# overflow where a debug build (`cargo test`) overflows its 2 MiB test thread.
set -euo pipefail

fuzz_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$fuzz_dir")
target=${1:-structured}
seconds=${2:-600}
shift $(($# < 2 ? $# : 2))
seeds_from=${CODEGEN_FUZZ_SEEDS:-$root/../shared/corpus}
max_seed_kb=${CODEGEN_FUZZ_MAX_SEED_KB:-64}
sanitizer=${CODEGEN_FUZZ_SANITIZER:-address}

cd "$fuzz_dir"
# Reuse the dependency versions the workspace already uses (and has in the registry cache).
[ -f Cargo.lock ] || cp "$root/Cargo.lock" Cargo.lock

seeds=corpus/_seeds
rm -rf "$seeds"
mkdir -p "$seeds" "corpus/$target" "artifacts/$target"
cp "$root/spec/walletkit.yaml" "$seeds/walletkit.yaml"
for f in "$root"/codegen/tests/fixtures/*.yaml; do
    cp "$f" "$seeds/fixture-$(basename "$f")"
done
if [ -d "$seeds_from" ]; then
    find "$seeds_from" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) \
        -size -"$((max_seed_kb + 1))"k -exec cp {} "$seeds/" \;
fi
echo "fuzz/run.sh: $target for ${seconds}s, $(ls "$seeds" | wc -l) seed documents" >&2

# Fork mode (one child at a time) so that a slow input on a busy machine is recorded as a
# timeout artifact without ending the run; a crash still ends it.
flags=(-max_total_time="$seconds" -max_len=131072 -timeout=60 -rss_limit_mb=4096
       -fork=1 -ignore_timeouts=1 -ignore_ooms=1 -print_final_stats=1)
if [ "$target" = text ]; then
    flags+=(-dict="$fuzz_dir/dict/openapi.dict")
fi

RUSTC_BOOTSTRAP=1 exec cargo fuzz run --sanitizer "$sanitizer" "$target" \
    "corpus/$target" "$seeds" -- "${flags[@]}" "$@"
