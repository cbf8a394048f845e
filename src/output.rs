//! Writing results: atomically, so a failed or interrupted run never leaves a half-written
//! file and never replaces what the user had.

use std::fs;
use std::io::{self, BufWriter, Write};
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

/// A file written beside its target and renamed over it only on `commit`: until then
/// the target is untouched, and dropping it uncommitted (an error, an interrupt) removes
/// the temporary file.
pub struct AtomicFile {
    tmp: PathBuf,
    target: PathBuf,
    writer: Option<BufWriter<fs::File>>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let tmp = temp_path(target);
        let file = fs::File::create(&tmp)?;
        Ok(AtomicFile {
            tmp,
            target: target.to_path_buf(),
            writer: Some(BufWriter::with_capacity(1 << 16, file)),
        })
    }

    pub fn writer(&mut self) -> &mut BufWriter<fs::File> {
        self.writer.as_mut().expect("not yet committed")
    }

    /// Flushes the data to disk and renames the file over the target.
    pub fn commit(mut self) -> io::Result<()> {
        let writer = self.writer.take().expect("committed once");
        let result = writer
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|file| file.sync_all())
            .and_then(|()| fs::rename(&self.tmp, &self.target));
        if result.is_err() {
            let _ = fs::remove_file(&self.tmp);
        }
        result
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.is_some() {
            self.writer = None;
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk, then renames it
/// over `path`. On any failure the temporary file is removed and `path` is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.writer().write_all(bytes)?;
    f.commit()
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
