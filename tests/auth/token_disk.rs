//! The on-disk token cache: file modes, atomic writes, expiry on read,
//! corrupt files, unusable directories, and several processes sharing it.

use std::fs;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::support::log_capture::LogBuffer;
use crate::support::token_fixtures::{ManualClock, SECRET, credentials, fast_builder, token_body};
use camunda8::auth::TokenCache;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_issuing(tokens: &[&str], expires_in: u64) -> (MockServer, String) {
    let server = MockServer::start().await;
    for (i, token) in tokens.iter().enumerate() {
        let mock = Mock::given(method("POST")).respond_with(
            ResponseTemplate::new(200).set_body_json(token_body(token, Some(expires_in))),
        );
        let mock = if i + 1 < tokens.len() {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(&server).await;
    }
    let url = format!("{}/oauth/token", server.uri());
    (server, url)
}

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn disk_cache(clock: Arc<ManualClock>, dir: &Path) -> TokenCache {
    fast_builder(clock)
        .disk_cache_dir(Some(dir.to_path_buf()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn stores_the_token_privately_and_another_process_reuses_it() {
    let (server, url) = server_issuing(&["disk-token"], 300).await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nested").join("tokens");
    let clock = ManualClock::new();

    let first = disk_cache(clock.clone(), &dir);
    assert!(first.disk_cache_enabled());
    let token = first
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap();
    assert_eq!(fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
    let files = cache_files(&dir);
    assert_eq!(files.len(), 1);
    let name = files[0].file_stem().unwrap().to_str().unwrap();
    assert_eq!(name.len(), 64);
    assert!(name.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(fs::metadata(&files[0]).unwrap().mode() & 0o777, 0o600);
    let content = fs::read_to_string(&files[0]).unwrap();
    assert!(content.contains("disk-token"));
    assert!(
        !content.contains(SECRET),
        "the client secret is never written"
    );
    // no temporary files left behind
    let leftovers: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp") || n.starts_with(".probe"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // a second cache (as in a new process) takes it from disk
    let second = disk_cache(clock.clone(), &dir);
    let again = second
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap();
    assert_eq!(again, token);
    assert_eq!(again.expires_at(), token.expires_at());
    assert_eq!(second.stats().token_requests, 0);
    assert_eq!(second.stats().disk_hits, 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // another key gets its own file
    second
        .source(credentials(&url, "operate"))
        .token()
        .await
        .unwrap();
    assert_eq!(cache_files(&dir).len(), 2);
}

#[tokio::test]
async fn expired_file_is_not_used() {
    let (server, url) = server_issuing(&["old", "new"], 60).await;
    let tmp = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    disk_cache(clock.clone(), tmp.path())
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap();
    clock.advance(Duration::from_secs(61));
    let later = disk_cache(clock.clone(), tmp.path());
    let token = later
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap();
    assert_eq!(token.secret().expose(), "new");
    assert_eq!(later.stats().disk_hits, 0);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(
        fs::read_to_string(&cache_files(tmp.path())[0])
            .unwrap()
            .contains("new")
    );
}

#[tokio::test]
async fn corrupt_file_is_ignored_and_replaced() {
    let (_server, url) = server_issuing(&["first", "second"], 300).await;
    let tmp = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    disk_cache(clock.clone(), tmp.path())
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap();
    let file = cache_files(tmp.path()).remove(0);
    fs::write(&file, b"{\"version\":1,\"access_token\":").unwrap();
    let later = disk_cache(clock.clone(), tmp.path());
    let token = later
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap();
    assert_eq!(token.secret().expose(), "second");
    let content = fs::read_to_string(&file).unwrap();
    assert!(content.contains("second"), "{content}");
    assert_eq!(fs::metadata(&file).unwrap().mode() & 0o777, 0o600);
}

#[tokio::test]
async fn rejected_token_on_disk_is_replaced_atomically() {
    let (server, url) = server_issuing(&["rejected", "replacement"], 300).await;
    let tmp = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    disk_cache(clock.clone(), tmp.path())
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap();
    let file = cache_files(tmp.path()).remove(0);
    // an open handle keeps the old inode alive (and its number unused)
    let mut old = fs::File::open(&file).unwrap();
    let inode_before = old.metadata().unwrap().ino();

    let other = disk_cache(clock.clone(), tmp.path());
    let source = other.source(credentials(&url, "zeebe"));
    let rejected = source.token().await.unwrap();
    assert_eq!(rejected.secret().expose(), "rejected");
    let new = source
        .refresh_after_rejection(&rejected)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(new.secret().expose(), "replacement");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    // written to a new file and renamed over the old one
    assert_ne!(fs::metadata(&file).unwrap().ino(), inode_before);
    let mut old_content = String::new();
    std::io::Read::read_to_string(&mut old, &mut old_content).unwrap();
    assert!(old_content.contains("\"rejected\""), "old file untouched");
    assert!(fs::read_to_string(&file).unwrap().contains("replacement"));
}

#[tokio::test]
async fn loose_existing_directory_is_tightened() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("loose");
    fs::create_dir(&dir).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    let cache = disk_cache(ManualClock::new(), &dir);
    assert!(cache.disk_cache_enabled());
    assert_eq!(fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
}

/// Builds a cache for `dir` and makes several calls, capturing the logs.
async fn degraded(dir: PathBuf) -> String {
    let (server, url) = server_issuing(&["memory-only"], 300).await;
    let logs = LogBuffer::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());
    let clock = ManualClock::new();
    let cache = disk_cache(clock.clone(), &dir);
    assert!(!cache.disk_cache_enabled());
    let source = cache.source(credentials(&url, "zeebe"));
    for _ in 0..5 {
        assert_eq!(
            source.token().await.unwrap().secret().expose(),
            "memory-only"
        );
    }
    // after expiry it fetches again, still without complaining again
    clock.advance(Duration::from_secs(301));
    source.token().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    logs.contents()
}

fn assert_one_warning(logs: &str) {
    let warnings: Vec<_> = logs.lines().filter(|l| l.contains("WARN")).collect();
    assert_eq!(warnings.len(), 1, "{logs}");
    assert!(warnings[0].contains("memory only"), "{logs}");
}

#[tokio::test]
async fn uncreatable_directory_degrades_to_memory_with_one_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    fs::write(&file, b"x").unwrap();
    let logs = degraded(file.join("tokens")).await;
    assert_one_warning(&logs);
    assert!(logs.contains("cannot create"), "{logs}");
}

#[tokio::test]
async fn unwritable_or_foreign_directory_degrades_to_memory_with_one_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tokens");
    fs::create_dir(&dir).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).unwrap();
    let probe = tmp.path().join("probe");
    fs::write(&probe, b"").unwrap();
    let running_as_root = fs::metadata(&probe).unwrap().uid() == 0;
    if running_as_root {
        // root may write anywhere: test the other half, a foreign owner
        std::os::unix::fs::chown(&dir, Some(65534), Some(65534)).unwrap();
    } else {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o500)).unwrap();
    }
    let logs = degraded(dir.clone()).await;
    assert_one_warning(&logs);
    let expected = if running_as_root {
        "owned by uid 65534"
    } else {
        "not writable"
    };
    assert!(logs.contains(expected), "{logs}");
    assert!(
        fs::read_dir(&dir).unwrap().next().is_none(),
        "nothing written"
    );
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).unwrap();
}

#[tokio::test]
async fn read_only_directory_degrades_to_memory_with_one_warning() {
    // an existing directory that refuses new files even to root
    let logs = degraded(PathBuf::from("/proc/sys")).await;
    assert_one_warning(&logs);
    assert!(logs.contains("not writable"), "{logs}");
}

const CHILD_DIR: &str = "CAMUNDA8_TEST_DISK_CHILD_DIR";
const CHILD_URL: &str = "CAMUNDA8_TEST_DISK_CHILD_URL";
const CHILDREN: usize = 6;

/// Several processes start together on a cold cache: one token request.
/// The test binary runs itself again as the child processes; with the
/// variables set, this test acts as a child.
#[tokio::test]
async fn processes_starting_together_make_one_request() {
    if let (Ok(dir), Ok(url)) = (std::env::var(CHILD_DIR), std::env::var(CHILD_URL)) {
        let cache = TokenCache::builder()
            .disk_cache_dir(Some(PathBuf::from(dir)))
            .build()
            .unwrap();
        let token = cache
            .source(credentials(&url, "zeebe"))
            .token()
            .await
            .unwrap();
        println!("CHILD-TOKEN {}", token.secret().expose());
        return;
    }
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(token_body("from-the-only-request", Some(300)))
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    let url = format!("{}/oauth/token", server.uri());
    let tmp = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    // this test's name in the binary: its module path without the crate
    let (_crate, module) = module_path!().split_once("::").unwrap();
    let own_name = format!("{module}::processes_starting_together_make_one_request");
    let children: Vec<_> = (0..CHILDREN)
        .map(|_| {
            tokio::process::Command::new(&exe)
                .args([
                    own_name.as_str(),
                    "--exact",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(CHILD_DIR, tmp.path())
                .env(CHILD_URL, &url)
                .kill_on_drop(true)
                .output()
        })
        .collect();
    let outputs =
        tokio::time::timeout(Duration::from_secs(60), futures::future::join_all(children))
            .await
            .expect("children finish");
    for output in outputs {
        let output = output.unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.contains("CHILD-TOKEN from-the-only-request"),
            "{stdout}"
        );
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_eq!(cache_files(tmp.path()).len(), 1);
}

#[tokio::test]
async fn valid_file_is_used_when_its_refresh_fails() {
    let (server, url) = server_issuing(&["still-valid"], 300).await;
    let tmp = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    disk_cache(clock.clone(), tmp.path())
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap();
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    // due for refresh but valid; the auth server is down
    clock.advance(Duration::from_secs(290));
    let later = disk_cache(clock.clone(), tmp.path());
    let source = later.source(credentials(&url, "zeebe"));
    assert_eq!(
        source.token().await.unwrap().secret().expose(),
        "still-valid"
    );
    assert_eq!(later.stats().token_requests, 3);
    // expired: the failure surfaces
    clock.advance(Duration::from_secs(11));
    assert!(source.token().await.is_err());
}
