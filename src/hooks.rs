//! Transport hooks of the generated clients (minimal placeholder).
//!
//! The generated clients are built with progenitor's `HooksMode::Expected`
//! and the inner type [`Inner`]: every `Client` carries an `Inner` and must
//! implement [`progenitor_client::ClientHooks`]. This version uses the
//! default hook behaviour (send the request unchanged).

/// Per-client state available to the hooks.
#[derive(Clone, Debug, Default)]
pub struct Inner {}

macro_rules! default_hooks {
    ($($feature:literal => $api:ident),* $(,)?) => {$(
        #[cfg(feature = $feature)]
        impl progenitor_client::ClientHooks<Inner> for crate::$api::Client {}
    )*};
}

default_hooks!("admin" => admin, "zeebe" => zeebe, "operate" => operate);
