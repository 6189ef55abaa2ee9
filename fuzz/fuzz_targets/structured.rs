//! Structure-aware: each corpus entry is a whole OpenAPI document (YAML or JSON), and the
//! mutator edits it as a JSON value (see `codegen_fuzz::mutate`) so that what libFuzzer tries
//! stays parseable and reaches the model and the renderer. The target itself is the same as
//! `text`: the bytes → `codegen::generate`.
#![no_main]

use libfuzzer_sys::{fuzz_crossover, fuzz_mutator, fuzz_target, fuzzer_mutate};

use codegen_fuzz::{crossover, mutate, parse, serialize, Rng};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    codegen_fuzz::generate(&text);
});

/// Writes `bytes` into libFuzzer's buffer if they fit; returns the new size, or `None`.
fn write_back(data: &mut [u8], bytes: &[u8], max_size: usize) -> Option<usize> {
    if bytes.len() > max_size || bytes.len() > data.len() {
        return None;
    }
    data[..bytes.len()].copy_from_slice(bytes);
    Some(bytes.len())
}

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    let mut rng = Rng::new(u64::from(seed));
    // Now and then a plain byte-level mutation, for what breaks the syntax a little.
    if rng.chance(8) {
        return fuzzer_mutate(data, size, max_size);
    }
    let Some(mut doc) = parse(&data[..size]) else {
        return fuzzer_mutate(data, size, max_size);
    };
    let budget = max_size.saturating_sub(size).max(64);
    for _ in 0..4 {
        let mut candidate = doc.clone();
        mutate(&mut candidate, &mut rng, budget);
        if let Some(bytes) = serialize(&candidate, &mut rng) {
            if let Some(new_size) = write_back(data, &bytes, max_size) {
                return new_size;
            }
        }
        // Too big: shrink the document before trying again.
        doc = candidate;
        if let serde_json::Value::Object(map) = &mut doc {
            if let Some(key) = map.keys().nth(rng.below(map.len())).cloned() {
                map.shift_remove(&key);
            }
        }
    }
    fuzzer_mutate(data, size, max_size)
});

fuzz_crossover!(|data1: &[u8], data2: &[u8], out: &mut [u8], seed: u32| {
    let mut rng = Rng::new(u64::from(seed));
    let (Some(mut doc), Some(other)) = (parse(data1), parse(data2)) else {
        let n = data1.len().min(out.len());
        out[..n].copy_from_slice(&data1[..n]);
        return n;
    };
    crossover(&mut doc, &other, &mut rng);
    match serialize(&doc, &mut rng) {
        Some(bytes) if bytes.len() <= out.len() => {
            out[..bytes.len()].copy_from_slice(&bytes);
            bytes.len()
        }
        _ => {
            let n = data1.len().min(out.len());
            out[..n].copy_from_slice(&data1[..n]);
            n
        }
    }
});
