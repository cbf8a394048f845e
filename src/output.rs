//! Writing results: atomically, so a failed or interrupted run never leaves a half-written
//! file and never replaces what the user had. Every command declares what it reads and
//! where it writes in one `Targets`, checked before any work: an output is never an input
//! (nor a symbolic or hard link to one), and no two outputs are the same file.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file as the file system knows it: device and inode, so that a symbolic or hard link
/// is the file it names.
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Where a path points once its folder is resolved: two spellings of a file that does not
/// exist yet (`a.csv`, `./a.csv`) compare equal.
fn resolved(path: &Path) -> PathBuf {
    let dir = fs::canonicalize(parent(path)).unwrap_or_else(|_| parent(path));
    match path.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    }
}

struct Named {
    /// How the user gave it: a flag (`--out`) or a role (`the scenario file`).
    label: String,
    path: PathBuf,
}

impl Named {
    fn same_as(&self, path: &Path) -> bool {
        match (identity(&self.path), identity(path)) {
            (Some(a), Some(b)) => a == b,
            _ => resolved(&self.path) == resolved(path),
        }
    }
}

/// What one command reads and writes. Inputs are declared first; each output is checked
/// as it is declared, and files written later into an output folder (figures) are checked
/// with [`Targets::check_inside`] before the first byte is written.
#[derive(Default)]
pub struct Targets {
    inputs: Vec<Named>,
    outputs: Vec<Named>,
}

impl Targets {
    pub fn new() -> Targets {
        Targets::default()
    }

    /// Declares a file the command reads (`-`, standard input, is no file).
    pub fn input(&mut self, role: &str, path: &Path) -> &mut Targets {
        if path != Path::new("-") {
            self.inputs.push(Named {
                label: role.to_string(),
                path: path.to_path_buf(),
            });
        }
        self
    }

    /// Declares a file the command writes under `flag`: writable, not an input, not
    /// another output. The message names the flag.
    pub fn output(&mut self, flag: &str, path: &Path) -> Result<(), String> {
        check_writable(path).map_err(|m| format!("{flag} {m}"))?;
        self.check_inside(flag, path)?;
        self.outputs.push(Named {
            label: flag.to_string(),
            path: path.to_path_buf(),
        });
        Ok(())
    }

    /// Declares a folder the command writes files into under `flag`: a folder or nothing
    /// yet (it is created when its files are written), in a folder that exists.
    pub fn output_dir(&mut self, flag: &str, dir: &Path) -> Result<(), String> {
        if dir.exists() && !dir.is_dir() {
            return Err(format!("{flag} {}: is not a folder", dir.display()));
        }
        if !dir.exists() && !parent(dir).is_dir() {
            return Err(format!(
                "{flag} {}: the folder {} does not exist",
                dir.display(),
                parent(dir).display()
            ));
        }
        if let Some(other) = self.outputs.iter().find(|o| o.same_as(dir)) {
            return Err(format!(
                "{flag} {} is the same path as {} {}: give the figures a folder of their own (nothing was written)",
                dir.display(),
                other.label,
                other.path.display()
            ));
        }
        self.outputs.push(Named {
            label: flag.to_string(),
            path: dir.to_path_buf(),
        });
        Ok(())
    }

    /// Checks a file about to be written (under `flag`) against the inputs and the other
    /// outputs.
    pub fn check_inside(&self, flag: &str, path: &Path) -> Result<(), String> {
        if let Some(input) = self.inputs.iter().find(|i| i.same_as(path)) {
            return Err(format!(
                "{flag} {} is {} {}: it would be overwritten (nothing was written)",
                path.display(),
                input.label,
                input.path.display()
            ));
        }
        if let Some(other) = self.outputs.iter().find(|o| o.same_as(path)) {
            return Err(format!(
                "{flag} {} is the same file as {} {} (nothing was written)",
                path.display(),
                other.label,
                other.path.display()
            ));
        }
        Ok(())
    }
}

/// Checks, before any work, that `path` can be written: its folder exists and it is not a
/// folder itself. Returns a message for the user if not.
fn check_writable(path: &Path) -> Result<(), String> {
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
        remove_stale_temps(target);
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

    /// Flushes the data to disk, keeping the file temporary.
    fn flush_to_disk(&mut self) -> io::Result<()> {
        let writer = self.writer();
        writer.flush()?;
        writer.get_ref().sync_all()
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

/// Removes the temporary files that processes no longer running left beside `target`
/// (a run killed with SIGKILL cannot clean up after itself). A temporary file of a process
/// that still runs is another run's work in progress and is left alone.
fn remove_stale_temps(target: &Path) {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let Ok(entries) = fs::read_dir(parent(target)) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".attrition-tmp"))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_runs(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether process `pid` exists. Where there is no /proc to ask, every process is taken
/// to run, so nothing is removed.
fn process_runs(pid: u32) -> bool {
    !Path::new("/proc/self").exists() || Path::new(&format!("/proc/{pid}")).exists()
}

/// Writes several files into `dir` all or nothing: each goes to a temporary file first,
/// and only when every one is on disk are they renamed into place. On a failure no file
/// is replaced, the temporary files are removed, and so is `dir` if this call created it.
pub fn write_all_atomic(dir: &Path, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    let created = !dir.exists();
    if created {
        fs::create_dir(dir)?;
    }
    let mut pending = Vec::with_capacity(files.len());
    let written = files.iter().try_for_each(|(name, bytes)| {
        let mut f = AtomicFile::create(&dir.join(name))?;
        f.writer().write_all(bytes)?;
        f.flush_to_disk()?;
        pending.push(f);
        Ok::<(), io::Error>(())
    });
    // Every file is on disk; a target that cannot be replaced (a folder, a device) is
    // found before the first rename, so that renaming cannot stop half way.
    let replaceable = || {
        files
            .iter()
            .try_for_each(|(name, _)| check_writable(&dir.join(name)).map_err(io::Error::other))
    };
    let result = written
        .and_then(|()| replaceable())
        .and_then(|()| pending.drain(..).try_for_each(AtomicFile::commit));
    if result.is_err() {
        drop(pending);
        if created {
            let _ = fs::remove_dir_all(dir);
        }
    }
    result
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

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("attrition-out-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn an_output_is_never_an_input_a_link_to_one_or_another_output() {
        let dir = scratch("targets");
        let input = dir.join("s.toml");
        fs::write(&input, b"x").unwrap();
        std::os::unix::fs::symlink(&input, dir.join("soft")).unwrap();
        fs::hard_link(&input, dir.join("hard")).unwrap();
        let mut t = Targets::new();
        t.input("the scenario file", &input);
        for name in ["s.toml", "soft", "hard"] {
            let e = t.output("--out", &dir.join(name)).unwrap_err();
            assert!(e.contains("is the scenario file"), "{name}: {e}");
        }
        t.output("--out", &dir.join("new.csv")).unwrap();
        let again = dir.join(".").join("new.csv");
        let e = t.output("--samples", &again).unwrap_err();
        assert!(e.contains("is the same file as --out"), "{e}");
        assert!(t.check_inside("--plot", &dir.join("hard")).is_err());
        assert!(t.output_dir("--plot", &input).is_err());
        assert!(t.output_dir("--plot", &dir.join("missing/figs")).is_err());
        t.output_dir("--plot", &dir.join("figs")).unwrap();
        assert!(
            !dir.join("figs").exists(),
            "declaring a folder creates nothing"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn stale_temporaries_of_dead_processes_are_removed() {
        let dir = scratch("stale");
        let target = dir.join("r.json");
        // No process has pid 4294967; pid 1 always runs.
        let dead = dir.join(".r.json.4294967.attrition-tmp");
        let alive = dir.join(".r.json.1.attrition-tmp");
        let other = dir.join(".q.json.4294967.attrition-tmp");
        for f in [&dead, &alive, &other] {
            fs::write(f, b"partial").unwrap();
        }
        write_atomic(&target, b"done").unwrap();
        assert!(!dead.exists());
        assert!(alive.exists() && other.exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn several_files_are_written_all_or_nothing() {
        let dir = scratch("all");
        let figs = dir.join("figs");
        let files = vec![
            ("a.svg".to_string(), b"a".to_vec()),
            ("b.svg".to_string(), b"b".to_vec()),
        ];
        write_all_atomic(&figs, &files).unwrap();
        assert_eq!(fs::read(figs.join("b.svg")).unwrap(), b"b");
        // The second target is a folder: the first must not be replaced either.
        fs::remove_file(figs.join("b.svg")).unwrap();
        fs::create_dir(figs.join("b.svg")).unwrap();
        let newer = vec![
            ("a.svg".to_string(), b"A".to_vec()),
            ("b.svg".to_string(), b"B".to_vec()),
        ];
        assert!(write_all_atomic(&figs, &newer).is_err());
        assert_eq!(fs::read(figs.join("a.svg")).unwrap(), b"a");
        assert_eq!(
            fs::read_dir(&figs).unwrap().count(),
            2,
            "temporary files left"
        );
        // A folder this call created goes again on failure.
        let fresh = dir.join("fresh");
        let bad = vec![("x/y.svg".to_string(), b"y".to_vec())];
        assert!(write_all_atomic(&fresh, &bad).is_err());
        assert!(!fresh.exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
