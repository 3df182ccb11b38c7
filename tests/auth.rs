//! The token layer: OAuth2 client credentials fetched, cached in memory and
//! on disk, renewed, bounded, and the Operate cookie login.
//!
//! One test binary for the area (a link step per binary is most of the
//! suite's build time); each module below is the file of one concern, in
//! tests/auth/. Secrets staying out of output are tested in `secrets`.

mod support;

mod auth {
    mod cookie;
    mod token_disk;
    mod token_expiry;
    mod token_faults;
    mod token_limits;
    mod token_oauth2_server;
    mod token_refresh;
}
