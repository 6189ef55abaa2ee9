//! Arbitrary bytes as the document text (lossily decoded as UTF-8) → `codegen::generate`.
//!
//! Seeded with real specs (see `fuzz/run.sh`), so libFuzzer's byte-level mutations start from
//! documents that parse. `Err(Failure)` is fine; a panic, abort or stack overflow is a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    codegen_fuzz::generate(&text);
});
