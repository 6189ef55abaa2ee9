//! Tests of the loader.

use super::*;

fn corpus_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

#[test]
fn corpus_probe() {
    let mut names: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .collect();
    names.sort();
    for path in names {
        let text = std::fs::read_to_string(&path).expect("read");
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let t0 = std::time::Instant::now();
        let r = load(Source {
            name: &name,
            text: &text,
        });
        let el = t0.elapsed();
        match r {
            Ok(l) => {
                println!(
                    "{name}: OK {el:?} {:?}",
                    l.repairs
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                );
                for w in l.warnings.iter().take(400) {
                    println!("    {w}");
                }
            }
            Err(f) => println!("{name}: FAIL {el:?}\n{f}"),
        }
    }
}
