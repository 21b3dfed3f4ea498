//! Which files a `check` run reads: the paths given, with directories walked.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A file to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The path as it will be shown.
    pub path: PathBuf,
    /// Found by walking a directory (rather than named on the command line). An inventory file
    /// found so is read only when a description names it.
    pub walked: bool,
}

/// A path that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing(pub String);

/// Expands `paths` into the files to check, in a deterministic order: the given order, each
/// directory's files sorted. Directories are walked for `*.yaml`, `*.yml` and `*.json`,
/// respecting `.gitignore`, `.ignore` and git's exclude files, and skipping hidden entries (as
/// ripgrep does); a file named explicitly is always checked. A file reached twice is checked
/// once.
pub fn targets(paths: &[PathBuf]) -> (Vec<Target>, Vec<Missing>) {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    let mut seen = HashSet::new();
    // One directory's walk never yields a file twice; only several paths can overlap, so only
    // then is each file's canonical path (a system call per component) worth computing.
    let overlapping = paths.len() > 1;
    let mut add = |path: PathBuf, walked: bool, out: &mut Vec<Target>| {
        let key = if overlapping {
            path.canonicalize().unwrap_or_else(|_| path.clone())
        } else {
            path.clone()
        };
        if seen.insert(key) {
            out.push(Target {
                path: clean(&path),
                walked,
            });
        }
    };
    for path in paths {
        if path.is_dir() {
            let mut found = walk(path);
            found.sort();
            for p in found {
                add(p, true, &mut out);
            }
        } else if path.exists() {
            add(path.clone(), false, &mut out);
        } else {
            missing.push(Missing(format!(
                "`{}`: no such file or directory",
                path.display()
            )));
        }
    }
    (out, missing)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    ignore::WalkBuilder::new(dir)
        // Respect .gitignore even outside a git checkout (a CI job on an exported tree).
        .require_git(false)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|p| is_description_name(p))
        .collect()
}

/// Whether a file name is one `check` reads when walking: `*.yaml`, `*.yml`, `*.json`.
pub fn is_description_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
}

/// Removes `.` and `name/..` pairs without touching the file system, so messages show
/// `fixtures/tenant.yaml` rather than `fixtures/rules/EG301/../../tenant.yaml`.
pub fn clean(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_dot_segments() {
        assert_eq!(
            clean(Path::new("fixtures/rules/EG301/../../tenant.yaml")),
            PathBuf::from("fixtures/tenant.yaml")
        );
        assert_eq!(clean(Path::new("./a/./b.yaml")), PathBuf::from("a/b.yaml"));
        assert_eq!(clean(Path::new("../a.yaml")), PathBuf::from("../a.yaml"));
    }

    #[test]
    fn walking_respects_gitignore_and_names() {
        let dir = std::env::temp_dir().join(format!("embedguard-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).expect("dir");
        std::fs::create_dir_all(dir.join("generated")).expect("dir");
        for f in [
            "b.yaml",
            "a.json",
            "sub/c.yml",
            "generated/x.yaml",
            "notes.txt",
        ] {
            std::fs::write(dir.join(f), "x: 1\n").expect("write");
        }
        std::fs::write(dir.join(".gitignore"), "generated/\n").expect("write");
        let (found, missing) = targets(std::slice::from_ref(&dir));
        assert!(missing.is_empty());
        let names: Vec<_> = found
            .iter()
            .map(|t| t.path.strip_prefix(&dir).expect("below").to_path_buf())
            .collect();
        assert_eq!(
            names,
            vec![
                PathBuf::from("a.json"),
                PathBuf::from("b.yaml"),
                PathBuf::from("sub/c.yml")
            ]
        );
        // Named explicitly, an ignored file is checked; named twice, once.
        let ignored = dir.join("generated/x.yaml");
        let (found, _) = targets(&[ignored.clone(), ignored]);
        assert_eq!(found.len(), 1);
        assert!(!found[0].walked);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
