//! Installing a pinned npm package into a scratch directory under `target/`, for the commands
//! that read documents shipped on npm (`bench`: GitHub's description; `sweep --external`:
//! APIs.guru's directory). Only `npm` itself is needed: no `package.json` is read or written.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

/// The npm executable.
pub fn npm() -> &'static str {
    if cfg!(windows) {
        "npm.cmd"
    } else {
        "npm"
    }
}

/// Installs `package` (`name@exact-version`) into `dir` (`npm install --no-save --prefix dir`)
/// unless `marker`, a file the package ships, is already there. `who` prefixes the progress line.
pub fn install(dir: &Path, package: &str, marker: &Path, who: &str) -> Result<(), String> {
    if marker.is_file() {
        return Ok(());
    }
    fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create directory `{}`: {e}", dir.display()))?;
    eprintln!("{who}: installing {package} into {}", dir.display());
    let status = Command::new(npm())
        .args([
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
        ])
        .arg(dir)
        .arg(package)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run `npm install {package}`: {e}"))?;
    if !status.success() {
        return Err(format!("`npm install {package}` failed ({status})"));
    }
    if !marker.is_file() {
        return Err(format!(
            "`{}` is not in the installed package",
            marker.display()
        ));
    }
    Ok(())
}
