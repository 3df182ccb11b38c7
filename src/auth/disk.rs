//! The optional on-disk token cache, for short-lived processes (CLIs, jobs)
//! that would otherwise fetch a new token on every start.
//!
//! One file per cache key, named by the hex SHA-256 of the key, holding the
//! token (never the client secret), mode 0600, in a 0700 directory. Files are
//! written to a temporary name in the same directory and renamed, so readers
//! never see half a file. Each key also has a lock file: a process holds an
//! advisory lock on it around "read the file, fetch, write the file", so that
//! processes starting together on a cold cache make one token request.
//!
//! Anything wrong with the directory turns the disk cache off with one
//! warning; anything wrong with one file is treated as a miss.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::key::CacheKey;
use super::token::AccessToken;
use crate::Secret;

/// How long a process waits for another one holding a key's lock (that one
/// is fetching the token) before fetching without the lock.
const LOCK_WAIT: Duration = Duration::from_secs(30);
const LOCK_POLL: Duration = Duration::from_millis(20);

/// A prepared token cache directory.
#[derive(Debug)]
pub(crate) struct DiskCache {
    dir: PathBuf,
    warned: AtomicBool,
}

/// What a cache file holds.
#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    token_url: String,
    client_id: String,
    audience: String,
    scope: Option<String>,
    access_token: String,
    /// Unix milliseconds.
    fetched_at_ms: u64,
    /// Unix milliseconds.
    expires_at_ms: u64,
}

/// A token read from disk with the time it was fetched.
pub(crate) struct DiskToken {
    pub(crate) token: AccessToken,
    pub(crate) fetched_at: SystemTime,
}

impl DiskCache {
    /// Prepares `dir` (creating it 0700 if missing). On any problem — it
    /// cannot be created, is not writable, belongs to another user — logs one
    /// warning and returns `None`: the cache then works in memory only.
    pub(crate) fn open(dir: PathBuf) -> Option<Self> {
        match prepare(&dir) {
            Ok(()) => Some(Self {
                dir,
                warned: AtomicBool::new(false),
            }),
            Err(reason) => {
                tracing::warn!(
                    dir = %dir.display(),
                    %reason,
                    "token cache directory unusable; caching tokens in memory only"
                );
                None
            }
        }
    }

    /// Logs a warning about a failed file operation, once per cache.
    pub(crate) fn warn_once(&self, what: &str, error: &io::Error) {
        if !self.warned.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                dir = %self.dir.display(),
                %error,
                "token cache file could not be {what}; continuing in memory (further errors are not logged)"
            );
        }
    }

    /// Takes the key's lock, waiting (polling) while another process holds
    /// it, at most [`LOCK_WAIT`].
    pub(crate) async fn lock(&self, key: &CacheKey) -> io::Result<EntryLock> {
        let name = key.digest();
        let lock_path = self.dir.join(format!("{name}.lock"));
        let file = open_private(&lock_path, false)?;
        let started = tokio::time::Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                    tokio::time::sleep(LOCK_POLL).await;
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "another process held the token cache lock too long",
                    ));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
            }
        }
        Ok(EntryLock {
            _file: file,
            path: self.dir.join(format!("{name}.json")),
            dir: self.dir.clone(),
            name,
        })
    }
}

/// A held lock on one key's file; released on drop.
pub(crate) struct EntryLock {
    _file: File,
    path: PathBuf,
    dir: PathBuf,
    name: String,
}

impl EntryLock {
    /// The stored token if there is a well-formed one for `key` that has not
    /// expired at `now`. Corrupt, foreign or expired files count as missing.
    pub(crate) fn read(&self, key: &CacheKey, now: SystemTime) -> Option<DiskToken> {
        let meta = fs::symlink_metadata(&self.path).ok()?;
        if !meta.is_file() || meta.len() > 64 * 1024 {
            return None;
        }
        let bytes = fs::read(&self.path).ok()?;
        let stored: Stored = serde_json::from_slice(&bytes).ok()?;
        if stored.version != 1
            || stored.token_url != key.token_url
            || stored.client_id != key.client_id
            || stored.audience != key.audience
            || stored.scope != key.scope
        {
            return None;
        }
        let expires_at = UNIX_EPOCH.checked_add(Duration::from_millis(stored.expires_at_ms))?;
        let fetched_at = UNIX_EPOCH.checked_add(Duration::from_millis(stored.fetched_at_ms))?;
        if now >= expires_at {
            return None;
        }
        let token = AccessToken::new(Secret::new(stored.access_token), expires_at).ok()?;
        Some(DiskToken { token, fetched_at })
    }

    /// Writes `token` atomically (temporary file in the same directory, then
    /// rename), mode 0600.
    pub(crate) fn write(
        &self,
        key: &CacheKey,
        token: &AccessToken,
        fetched_at: SystemTime,
    ) -> io::Result<()> {
        let stored = Stored {
            version: 1,
            token_url: key.token_url.clone(),
            client_id: key.client_id.clone(),
            audience: key.audience.clone(),
            scope: key.scope.clone(),
            access_token: token.secret().expose().to_owned(),
            fetched_at_ms: unix_ms(fetched_at),
            expires_at_ms: unix_ms(token.expires_at()),
        };
        let bytes = serde_json::to_vec(&stored).map_err(io::Error::other)?;
        let tmp = self.dir.join(format!(
            ".{}.{}.{}.tmp",
            self.name,
            std::process::id(),
            crate::random::next_u64()
        ));
        let result = (|| {
            let mut file = open_private(&tmp, true)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            fs::rename(&tmp, &self.path)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    /// Deletes the stored token (after an API rejected it).
    pub(crate) fn remove(&self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn unix_ms(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Opens (or with `create_new`, creates exclusively) a file readable and
/// writable by the owner only. Only this user can create entries in the
/// (owner-only) directory, so no one else can plant a symlink here.
fn open_private(path: &Path, create_new: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true);
    if create_new {
        options.create_new(true);
    } else {
        options.create(true).truncate(false);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path)
}

/// Creates or checks the directory: ours, writable, 0700.
fn prepare(dir: &Path) -> Result<(), String> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| format!("cannot create it: {e}"))?;
    let meta = fs::metadata(dir).map_err(|e| format!("cannot read it: {e}"))?;
    if !meta.is_dir() {
        return Err("not a directory".into());
    }
    // A file we create is owned by our effective user: compare owners.
    let probe = dir.join(format!(
        ".probe.{}.{}",
        std::process::id(),
        crate::random::next_u64()
    ));
    let probe_file = open_private(&probe, true).map_err(|e| format!("not writable: {e}"))?;
    let probe_meta = probe_file.metadata();
    drop(probe_file);
    let _ = fs::remove_file(&probe);
    let probe_meta = probe_meta.map_err(|e| format!("cannot read it: {e}"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
        if meta.uid() != probe_meta.uid() {
            return Err(format!(
                "owned by uid {}, not by this process's user (uid {})",
                meta.uid(),
                probe_meta.uid()
            ));
        }
        if meta.mode() & 0o077 != 0 {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
                .map_err(|e| format!("cannot restrict it to mode 0700: {e}"))?;
        }
    }
    #[cfg(not(unix))]
    let _ = probe_meta;
    Ok(())
}
