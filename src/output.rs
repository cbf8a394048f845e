//! Writing results: atomically, so a failed or interrupted run never leaves a half-written
//! file and never replaces what the user had.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Checks, before any work, that `path` can be written: its folder exists and it is not a
/// folder itself. Returns a message for the user if not.
pub fn check_writable(path: &Path) -> Result<(), String> {
    let dir = parent(path);
    match fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(format!(
                "{}: {} is not a folder",
                path.display(),
                dir.display()
            ))
        }
        Err(_) => {
            return Err(format!(
                "{}: the folder {} does not exist",
                path.display(),
                dir.display()
            ))
        }
    }
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(format!("{}: is a folder; give a file name", path.display())),
        // Replacing a device or pipe by renaming over it would be wrong (and, as root,
        // would remove the device): only regular files are replaced.
        Ok(m) if !m.is_file() => Err(format!(
            "{}: is not a regular file; to write to standard output, leave out --out",
            path.display()
        )),
        _ => Ok(()),
    }
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The temporary file `write_atomic` writes first, beside the target.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent(path).join(format!(".{name}.{}.attrition-tmp", std::process::id()))
}

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk, then renames it
/// over `path`. On any failure the temporary file is removed and `path` is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temp_path(path);
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("attrition-out-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let target = dir.join("result.json");
        fs::write(&target, b"old").unwrap();
        write_atomic(&target, b"new contents").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new contents");
        assert!(!temp_path(&target).exists());
        assert!(check_writable(&dir.join("missing/x.json")).is_err());
        assert!(check_writable(&dir).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }
}
