//! One key's slot and the [`TokenSource`] handle that reads it.
//!
//! The hot path reads this thread's view of the slot (`src/auth/view.rs`):
//! one load of the slot's version, two time comparisons and a clone of a
//! token no other thread touches. When the view is stale it takes the read
//! lock and refreshes the view.
//! Everything that sends a request holds the slot's async `fetch` lock, so
//! there is one request in flight per key; callers that queued behind a
//! fetch take its result (token or error) instead of sending their own.

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, SystemTime};

use super::cache::Shared;
use super::credentials::ClientCredentials;
use super::key::CacheKey;
use super::retry::fetch_with_retry;
use super::schedule::{refresh_at, retry_refresh_at};
use super::stats::{AudienceStats, Counters};
use super::token::AccessToken;
use super::view::{self, View};
use crate::Error;

/// Hands out the token for one key of a [`TokenCache`](super::TokenCache).
/// Cheap to clone; clones share the slot.
#[derive(Clone, Debug)]
pub struct TokenSource {
    shared: Arc<Shared>,
    slot: Arc<Slot>,
}

/// One key's state.
#[derive(Debug)]
pub(crate) struct Slot {
    key: CacheKey,
    credentials: RwLock<ClientCredentials>,
    state: RwLock<State>,
    fetch: tokio::sync::Mutex<()>,
    /// This key's share of the cache's counts.
    counters: Counters,
    /// Whether the too-short-lifetime warning was logged for this key.
    short_lifetime_warned: AtomicBool,
    /// A process-wide unique number, new with every change of `state`
    /// (taken before the change's lock is released): threads' views of
    /// the slot are current while they have it (`src/auth/view.rs`).
    version: AtomicU64,
}

/// The slot's state, locked for a change: a new version when released.
struct StateWrite<'a> {
    guard: RwLockWriteGuard<'a, State>,
    version: &'a AtomicU64,
}

impl Deref for StateWrite<'_> {
    type Target = State;

    fn deref(&self) -> &State {
        &self.guard
    }
}

impl DerefMut for StateWrite<'_> {
    fn deref_mut(&mut self) -> &mut State {
        &mut self.guard
    }
}

impl Drop for StateWrite<'_> {
    fn drop(&mut self) {
        // Before the guard (a field, dropped after this) releases the lock.
        self.version.store(view::next_version(), Ordering::Release);
    }
}

#[derive(Debug, Default)]
struct State {
    current: Option<Current>,
    /// A failure callers get without a request until `until`.
    remembered: Option<(Error, SystemTime)>,
    /// The error of the last completed fetch, for callers that waited on it.
    last_error: Option<Error>,
    /// Completed fetches, to tell whether one finished while a caller waited.
    completed: u64,
    refreshing: bool,
    /// No background refresh before this (after one failed).
    next_refresh_try: Option<SystemTime>,
    /// A 401 dropped the current token: the next token stored replaces it
    /// and becomes `renewal` (set with it, under the same lock, so that no
    /// call can carry it before it is known as the renewal).
    renewing: bool,
    /// The token that replaced the last one an API refused.
    renewal: Option<Renewal>,
    /// The API refused a renewal it had never accepted: until then, a 401
    /// does not fetch another token.
    rejecting_until: Option<SystemTime>,
}

/// The token that replaced one an API answered 401 to, on probation until
/// the API accepts it: a 401 on it before that means the API refuses
/// fresh tokens (wrong audience, missing permissions); a 401 after that
/// means it expired (on the server's clock, which may count its lifetime
/// from another moment than ours).
#[derive(Debug)]
struct Renewal {
    token: AccessToken,
    fetched_at: SystemTime,
    /// Whether a call carrying it was accepted. Set under the read lock
    /// (hence atomic): it is no part of what threads' views of the slot
    /// hold, and a write would make all of them stale.
    accepted: AtomicBool,
}

impl Renewal {
    fn new(token: AccessToken, fetched_at: SystemTime) -> Self {
        Self {
            token,
            fetched_at,
            accepted: AtomicBool::new(false),
        }
    }

    /// Whether a 401 on `rejected` at `now` says that the API refuses
    /// fresh tokens: it is this renewal, never accepted, fetched less than
    /// `memory` ago.
    fn refused(&self, rejected: &AccessToken, now: SystemTime, memory: Duration) -> bool {
        self.token == *rejected
            && !self.accepted.load(Ordering::Relaxed)
            && now
                .duration_since(self.fetched_at)
                .unwrap_or(Duration::ZERO)
                < memory
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Current {
    token: AccessToken,
    refresh_at: SystemTime,
}

/// A slot's answer without waiting.
pub(crate) enum Peek {
    /// A valid token.
    Fresh(AccessToken),
    /// A valid token due for a refresh (none running or waited for).
    Due(AccessToken),
    Remembered(Error),
    Missing(u64),
}

impl Slot {
    pub(crate) fn new(key: CacheKey, credentials: ClientCredentials) -> Self {
        Self {
            key,
            credentials: RwLock::new(credentials),
            state: RwLock::new(State::default()),
            fetch: tokio::sync::Mutex::new(()),
            counters: Counters::default(),
            short_lifetime_warned: AtomicBool::new(false),
            version: AtomicU64::new(view::next_version()),
        }
    }

    /// The audience and this key's counts.
    pub(crate) fn audience_stats(&self) -> (&str, AudienceStats) {
        (&self.key.audience, self.counters.audience())
    }

    pub(crate) fn update_credentials(&self, credentials: ClientCredentials) {
        let mut current = self
            .credentials
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if *current != credentials {
            *current = credentials;
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> StateWrite<'_> {
        StateWrite {
            guard: self.state.write().unwrap_or_else(PoisonError::into_inner),
            version: &self.version,
        }
    }
}

impl TokenSource {
    pub(crate) fn new(shared: Arc<Shared>, slot: Arc<Slot>) -> Self {
        Self { shared, slot }
    }

    /// A valid token: from memory if there is one (starting a background
    /// refresh when it nears expiry), otherwise fetched — one request however
    /// many callers wait. Errors: [`Error::TokenRejected`] (also remembered
    /// for a while), [`Error::TokenResponseInvalid`],
    /// [`Error::TokenUnavailable`] once retries are exhausted.
    pub async fn token(&self) -> Result<AccessToken, Error> {
        match self.token_from_memory() {
            Ok(result) => result,
            // boxed: the fetch's large future would otherwise be part of
            // every caller's future
            Err(seen) => Box::pin(self.fetch_in_foreground(seen, None)).await,
        }
    }

    /// The answer that needs no waiting (a token or a remembered failure),
    /// or `Err(seen)`: a fetch is needed.
    fn token_from_memory(&self) -> Result<Result<AccessToken, Error>, u64> {
        let now = self.shared.clock.now();
        let version = self.slot.version.load(Ordering::Acquire);
        let seen = view::with(self.slot_id(), version, |view| view.peek(now)).flatten();
        match seen.unwrap_or_else(|| self.peek(now)) {
            Peek::Fresh(token) => {
                self.count_hit();
                Ok(Ok(token))
            }
            Peek::Due(token) => {
                self.count_hit();
                self.spawn_refresh();
                Ok(Ok(token))
            }
            Peek::Remembered(error) => {
                self.count(|c| &c.remembered_failures);
                Ok(Err(error))
            }
            Peek::Missing(seen) => Err(seen),
        }
    }

    /// Call after an API answered 401 to a request that carried `rejected`:
    /// drops that token and fetches another (one request for all callers
    /// reporting the same token). `Some(new)` if the new token differs, so a
    /// retry of the API call makes sense; `None` if the server handed out
    /// the same token again.
    ///
    /// The token that replaces the rejected one is on probation until
    /// [`accepted`](Self::accepted) reports a call that carried it
    /// accepted. A 401 on it after that is its expiry, renewed like the
    /// first. A 401 on it before that (within the failure memory of
    /// fetching it) means the API refuses even a fresh token, and that is
    /// remembered: for the failure memory, further 401s return `None`
    /// without a request, so that an API that refuses every token (wrong
    /// audience, missing permissions) does not turn each call into a token
    /// request.
    pub async fn refresh_after_rejection(
        &self,
        rejected: &AccessToken,
    ) -> Result<Option<AccessToken>, Error> {
        let now = self.shared.clock.now();
        let memory = self.shared.failure_memory;
        let seen = {
            let mut state = self.slot.write();
            match state.rejecting_until {
                Some(until) if now < until => {
                    self.count(|c| &c.renewals_suppressed);
                    return Ok(None);
                }
                Some(_) => state.rejecting_until = None,
                None => {
                    let fresh_one_refused = state
                        .renewal
                        .as_ref()
                        .is_some_and(|renewal| renewal.refused(rejected, now, memory));
                    if fresh_one_refused && !memory.is_zero() {
                        state.rejecting_until = Some(now + memory);
                        tracing::warn!(
                            url = %self.slot.key.shown_url,
                            audience = %self.slot.key.audience,
                            memory_ms = u64::try_from(memory.as_millis()).unwrap_or(u64::MAX),
                            "the API refused a freshly fetched token before accepting any request \
                             with it (wrong audience or missing permissions?); no new token is \
                             fetched after a 401 for a while"
                        );
                        self.count(|c| &c.renewals_suppressed);
                        return Ok(None);
                    }
                }
            }
            if state.current.as_ref().is_some_and(|c| c.token == *rejected) {
                state.current = None;
                state.renewing = true;
            }
            state.completed
        };
        let token = self.fetch_in_foreground(seen, Some(rejected)).await?;
        if token == *rejected {
            return Ok(None);
        }
        // Usually recorded with the token already; not when another fetch
        // had replaced the rejected token before this 401 came.
        let recorded = |state: &State| state.renewal.as_ref().is_some_and(|r| r.token == token);
        if !recorded(&self.slot.read()) {
            let mut state = self.slot.write();
            if !recorded(&state) {
                state.renewal = Some(Renewal::new(token.clone(), self.shared.clock.now()));
            }
        }
        Ok(Some(token))
    }

    /// Call when an API accepted a request that carried `token` (answered
    /// it with anything but 401, 403, 429 or a 5xx): if `token` is the one
    /// that replaced a rejected token, it is out of probation, and a later
    /// 401 on it is taken for its expiry and renewed (see
    /// [`refresh_after_rejection`](Self::refresh_after_rejection)). Other
    /// tokens are not affected. API calls of a [`Camunda`](crate::Camunda)
    /// report the retry that follows a renewal this way.
    pub fn accepted(&self, token: &AccessToken) {
        self.accepted_if(|renewal| renewal == token);
    }

    /// [`accepted`](Self::accepted) for the token sent as `header`.
    pub(crate) fn accepted_header(&self, header: &http::HeaderValue) {
        self.accepted_if(|renewal| renewal.is_sent_as(header));
    }

    fn accepted_if(&self, is_renewal: impl FnOnce(&AccessToken) -> bool) {
        let state = self.slot.read();
        if let Some(renewal) = &state.renewal
            && !renewal.accepted.load(Ordering::Relaxed)
            && is_renewal(&renewal.token)
        {
            renewal.accepted.store(true, Ordering::Relaxed);
        }
    }

    /// Counts a call answered from memory.
    fn count_hit(&self) {
        self.shared.counters.cache_hits.bump();
        self.slot.counters.cache_hits.bump();
    }

    /// The slot's address, which with its version keys threads' views.
    fn slot_id(&self) -> usize {
        Arc::as_ptr(&self.slot) as usize
    }

    /// Bumps one counter of the cache and the same one of this key.
    fn count(&self, counter: impl Fn(&Counters) -> &AtomicU64) {
        Counters::bump(counter(&self.shared.counters));
        Counters::bump(counter(&self.slot.counters));
    }

    /// [`token`](Self::token), waiting at most `limit` in all (for a fetch
    /// in progress, retries and back-off included). When the limit passes,
    /// the result is [`Error::TokenUnavailable`] (transient) and the fetch
    /// this call was running, if any, is abandoned; the next call starts
    /// afresh. API calls of a [`Camunda`](crate::Camunda) wait this way,
    /// with the request timeout as the limit.
    pub async fn token_within(&self, limit: Duration) -> Result<AccessToken, Error> {
        // no timer when nothing has to be waited for (the common case)
        let seen = match self.token_from_memory() {
            Ok(result) => return result,
            Err(seen) => seen,
        };
        let before = self.slot.counters.token_requests.load(Ordering::Relaxed);
        let fetch = self.boxed_fetch(seen);
        match tokio::time::timeout(limit, fetch).await {
            Ok(result) => result,
            Err(_) => Err(self.gave_up(limit, before)),
        }
    }

    /// [`refresh_after_rejection`](Self::refresh_after_rejection) within
    /// `limit`, like [`token_within`](Self::token_within).
    pub(crate) async fn refresh_after_rejection_within(
        &self,
        rejected: &AccessToken,
        limit: Duration,
    ) -> Result<Option<AccessToken>, Error> {
        let before = self.slot.counters.token_requests.load(Ordering::Relaxed);
        match tokio::time::timeout(limit, self.refresh_after_rejection(rejected)).await {
            Ok(result) => result,
            Err(_) => Err(self.gave_up(limit, before)),
        }
    }

    /// The error of a wait that outlasted `limit`.
    fn gave_up(&self, limit: Duration, requests_before: u64) -> Error {
        let sent = self
            .slot
            .counters
            .token_requests
            .load(Ordering::Relaxed)
            .saturating_sub(requests_before);
        tracing::warn!(
            url = %self.slot.key.shown_url,
            audience = %self.slot.key.audience,
            limit_ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX),
            "no token within the time limit of the call"
        );
        Error::TokenUnavailable {
            url: self.slot.key.shown_url.clone(),
            attempts: u32::try_from(sent).unwrap_or(u32::MAX),
            reason: format!("no token within {limit:?}, the time limit of the call"),
            retry_after: None,
        }
    }

    /// The slot's answer at `now`, read under its lock; a valid token also
    /// becomes this thread's view of the slot.
    fn peek(&self, now: SystemTime) -> Peek {
        let state = self.slot.read();
        if let Some(current) = state.current.as_ref().filter(|c| c.token.is_valid_at(now)) {
            let seen = View {
                slot: self.slot_id(),
                // Stable while the read lock is held (a change takes its new
                // version before releasing the write lock).
                version: self.slot.version.load(Ordering::Acquire),
                token: current.token.clone(),
                refresh_at: current.refresh_at,
                refreshing: state.refreshing,
                next_refresh_try: state.next_refresh_try,
                remembered_until: state.remembered.as_ref().map(|(_, until)| *until),
            };
            drop(state);
            let token = seen.token.clone();
            let due = seen.due(now);
            view::keep(seen);
            return if due {
                Peek::Due(token)
            } else {
                Peek::Fresh(token)
            };
        }
        match &state.remembered {
            Some((error, until)) if now < *until => Peek::Remembered(error.clone()),
            _ => Peek::Missing(state.completed),
        }
    }

    /// [`fetch_in_foreground`](Self::fetch_in_foreground), boxed. Never
    /// inlined: its future is large (1.6 KB), and building it inline gave
    /// every API call's poll a stack frame that size, cached token or not.
    #[cold]
    #[inline(never)]
    fn boxed_fetch(
        &self,
        seen: u64,
    ) -> Pin<Box<impl Future<Output = Result<AccessToken, Error>> + Send + '_>> {
        Box::pin(self.fetch_in_foreground(seen, None))
    }

    async fn fetch_in_foreground(
        &self,
        seen: u64,
        rejected: Option<&AccessToken>,
    ) -> Result<AccessToken, Error> {
        let _fetching = self.slot.fetch.lock().await;
        let now = self.shared.clock.now();
        {
            let state = self.slot.read();
            if let Some(current) = &state.current {
                let usable = current.token.is_valid_at(now) && rejected != Some(&current.token);
                if usable {
                    self.count_hit();
                    return Ok(current.token.clone());
                }
            }
            if let Some((error, until)) = &state.remembered
                && now < *until
            {
                self.count(|c| &c.remembered_failures);
                return Err(error.clone());
            }
            if state.completed != seen
                && let Some(error) = &state.last_error
            {
                return Err(error.clone());
            }
        }
        let result = self.load(rejected).await;
        self.record(&result, false);
        result.map(|c| c.token)
    }

    /// Starts a background refresh unless one is running.
    fn spawn_refresh(&self) {
        {
            let mut state = self.slot.write();
            if state.refreshing {
                return;
            }
            state.refreshing = true;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.slot.write().refreshing = false;
            return;
        };
        let this = self.clone();
        // created here so that it also resets the flag if the task is dropped
        // before it first runs
        let flag = RefreshingFlag(Arc::clone(&self.slot));
        runtime.spawn(async move {
            let _fetching = this.slot.fetch.lock().await;
            let now = this.shared.clock.now();
            let still_due = this
                .slot
                .read()
                .current
                .as_ref()
                .is_none_or(|c| now >= c.refresh_at);
            if still_due {
                tracing::debug!(url = %this.slot.key.shown_url, audience = %this.slot.key.audience, "refreshing token ahead of expiry");
                let result = this.load(None).await;
                this.record(&result, true);
            }
            drop(flag);
        });
    }

    /// Gets a token from the disk cache or the network. Called with the
    /// fetch lock held.
    async fn load(&self, rejected: Option<&AccessToken>) -> Result<Current, Error> {
        let credentials = self
            .slot
            .credentials
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let shared = &*self.shared;
        let key = &self.slot.key;
        if let Some(disk) = &shared.disk {
            match disk.lock(key).await {
                Ok(entry) => {
                    let now = shared.clock.now();
                    // a valid token due for refresh: kept in case the fetch fails
                    let mut fallback = None;
                    if let Some(stored) = entry.read(key, now) {
                        let refresh = refresh_at(
                            stored.fetched_at,
                            stored.token.expires_at(),
                            shared.refresh_buffer,
                        );
                        if rejected == Some(&stored.token) {
                            entry.remove();
                        } else if now < refresh {
                            self.count(|c| &c.disk_hits);
                            return Ok(Current {
                                token: stored.token,
                                refresh_at: refresh,
                            });
                        } else {
                            fallback = Some(stored.token);
                        }
                    }
                    let result = self.fetch(&credentials).await;
                    match (&result, fallback) {
                        (Ok(current), _) => {
                            let fetched_at = shared.clock.now();
                            if let Err(e) = entry.write(key, &current.token, fetched_at) {
                                disk.warn_once("written", &e);
                            }
                        }
                        (Err(error), Some(token)) => {
                            tracing::warn!(
                                %error,
                                "token refresh failed; using the cached token until it expires"
                            );
                            let now = shared.clock.now();
                            return Ok(Current {
                                refresh_at: retry_refresh_at(now, token.expires_at()),
                                token,
                            });
                        }
                        (Err(_), None) => {}
                    }
                    return result;
                }
                Err(e) => disk.warn_once("locked", &e),
            }
        }
        self.fetch(&credentials).await
    }

    async fn fetch(&self, credentials: &ClientCredentials) -> Result<Current, Error> {
        let shared = &*self.shared;
        let token = fetch_with_retry(
            &shared.http,
            &[
                &shared.counters.token_requests,
                &self.slot.counters.token_requests,
            ],
            shared.clock.as_ref(),
            &shared.retry,
            credentials,
        )
        .await?;
        let fetched_at = shared.clock.now();
        let token = self.at_least_min_lifetime(token, fetched_at);
        let refresh_at = refresh_at(fetched_at, token.expires_at(), shared.refresh_buffer);
        tracing::debug!(
            url = %self.slot.key.shown_url,
            client_id = %self.slot.key.client_id,
            audience = %self.slot.key.audience,
            "fetched a new access token"
        );
        Ok(Current { token, refresh_at })
    }

    /// The token, living at least the configured minimum lifetime from
    /// `fetched_at` (one warning per key when it had to be extended).
    fn at_least_min_lifetime(&self, token: AccessToken, fetched_at: SystemTime) -> AccessToken {
        let floor = fetched_at + self.shared.min_lifetime;
        if token.expires_at() >= floor {
            return token;
        }
        if !self
            .slot
            .short_lifetime_warned
            .swap(true, Ordering::Relaxed)
        {
            let stated = token
                .expires_at()
                .duration_since(fetched_at)
                .unwrap_or(Duration::ZERO);
            tracing::warn!(
                url = %self.slot.key.shown_url,
                audience = %self.slot.key.audience,
                stated_ms = u64::try_from(stated.as_millis()).unwrap_or(u64::MAX),
                min_ms = u64::try_from(self.shared.min_lifetime.as_millis()).unwrap_or(u64::MAX),
                "the token endpoint hands out tokens that live less than the minimum lifetime; \
                 using each for the minimum lifetime instead"
            );
        }
        token.with_expiry(floor)
    }

    /// Stores the outcome of a fetch.
    fn record(&self, result: &Result<Current, Error>, background: bool) {
        let now = self.shared.clock.now();
        let mut state = self.slot.write();
        state.completed += 1;
        match result {
            Ok(current) => {
                if std::mem::take(&mut state.renewing) {
                    state.renewal = Some(Renewal::new(current.token.clone(), now));
                }
                state.current = Some(current.clone());
                state.remembered = None;
                state.last_error = None;
                state.next_refresh_try = None;
            }
            Err(error) => {
                state.last_error = Some(error.clone());
                state.remembered = self
                    .remember_until(error, now)
                    .map(|until| (error.clone(), until));
                if background {
                    if let Some(current) = &state.current {
                        let expires_at = current.token.expires_at();
                        state.next_refresh_try = Some(retry_refresh_at(now, expires_at));
                    }
                    tracing::warn!(
                        %error,
                        "background token refresh failed; the current token is used until it expires"
                    );
                }
            }
        }
    }

    /// Until when callers get `error` without a request: refused requests
    /// for the failure memory, transient failures for their `Retry-After`
    /// or at least the transient failure memory (so that during an outage
    /// callers arriving one after another do not each start a fetch).
    fn remember_until(&self, error: &Error, now: SystemTime) -> Option<SystemTime> {
        let shared = &*self.shared;
        match error {
            Error::TokenUnavailable { retry_after, .. } => Some(
                now + retry_after
                    .unwrap_or_default()
                    .max(shared.transient_failure_memory),
            ),
            e if !e.is_transient() => Some(now + shared.failure_memory),
            _ => Some(now + shared.transient_failure_memory),
        }
        .filter(|until| *until > now)
    }
}

/// Clears the slot's `refreshing` flag when the background task ends, even
/// if it is cancelled (runtime shutdown).
struct RefreshingFlag(Arc<Slot>);

impl Drop for RefreshingFlag {
    fn drop(&mut self) {
        self.0.write().refreshing = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync<T: Send + Sync + Clone>() {}

    #[test]
    fn handles_and_futures_are_send() {
        assert_send_sync::<TokenSource>();
        assert_send_sync::<crate::auth::TokenCache>();
        assert_send_sync::<AccessToken>();
        let cache = crate::auth::TokenCache::builder().build().unwrap();
        let source = cache.source(ClientCredentials {
            token_url: "http://127.0.0.1:9/token".parse().unwrap(),
            client_id: "id".into(),
            client_secret: "secret".into(),
            audience: "aud".into(),
            scope: None,
            body_format: Default::default(),
        });
        let token = source.token();
        assert_send(&token);
        let t = AccessToken::new("x".into(), SystemTime::now()).unwrap();
        let refresh = source.refresh_after_rejection(&t);
        assert_send(&refresh);
    }
}
