//! Searches as streams: every item of a search, page after page, following
//! the API's own cursor.
//!
//! Every search operation's request builder has a `paginate()` method that
//! turns it into a [`Paginator`]; the paginator sends one request per page
//! and gives the items as a [`Stream`](futures::Stream) ([`Paginator::items`]),
//! the pages with their cursors ([`Paginator::pages`]), or all items in a
//! `Vec` with a cap ([`Paginator::collect_all`]).
//!
//! ```no_run
//! # async fn run(camunda: camunda8::Camunda) -> camunda8::Result<()> {
//! use camunda8::operate::types::{IncidentFilter, IncidentState, QueryIncident};
//! use futures::TryStreamExt as _;
//!
//! let query = QueryIncident {
//!     filter: Some(IncidentFilter { state: Some(IncidentState::Active), ..Default::default() }),
//!     ..Default::default()
//! };
//! let mut incidents = camunda
//!     .operate()?
//!     .search_incidents()
//!     .body(query)
//!     .paginate()
//!     .page_size(200)
//!     .items();
//! while let Some(incident) = incidents.try_next().await? {
//!     println!("{:?}: {:?}", incident.key, incident.message);
//! }
//! # Ok(()) }
//! ```
//!
//! # Which operations, which cursor
//!
//! | API | operations | cursor |
//! |---|---|---|
//! | Operate (`/v1`) | the 8 `POST /v1/<resource>/search` | the last page's `sortValues`, sent as `searchAfter` |
//! | Orchestration Cluster (`/v2`) | all 48 `search_*` (`POST …/search`) | the last page's `page.endCursor`, sent as `page.after` (`search_user_task_effective_variables` has offset pages only: `page.from` advances by the items received) |
//! | Zeebe (`/v1`) | none: topology and user-task commands only | — |
//! | Administration | none: its lists (`get_clusters`, `get_members`, `get_clients`, …) return everything in one answer | — |
//!
//! The paginator sets the page part of the request (Operate: `size` and
//! `searchAfter`; Orchestration: `page`) on every request and leaves
//! everything else (filter, sort, path and query parameters) as the builder
//! has it. A `size`/`page` given in the body is replaced: use
//! [`Paginator::page_size`] and [`Paginator::start_after`] instead.
//!
//! # When the stream ends
//!
//! The stream ends after the last item when
//! - a page has no items (the empty page is not yielded),
//! - a page has no cursor to continue from (Operate: no `sortValues`;
//!   Orchestration: `endCursor` null),
//! - the items received reach the server's exact total (Orchestration:
//!   `totalItems` when `hasMoreTotalItems` is false; Operate's `total` is
//!   not used, the contract does not say it is exact),
//! - the [`limit`](Paginator::limit) is reached (the last request asks for
//!   no more than the items still wanted).
//!
//! A page shorter than the page size does not end the stream by itself:
//! neither contract defines it as the last page (a server may cap the page
//! size), so the next request tells.
//!
//! It ends **with an error item**, after which nothing more is yielded, when
//! - a request fails: [`SearchError::Api`] with the call's [`ApiError`]
//!   (after the client's own retries of backpressure answers);
//! - the server answers with a cursor it already sent during this search
//!   (it would otherwise be asked for the same pages forever):
//!   [`SearchError::RepeatedCursor`]. The page that carried the repeated
//!   cursor is not yielded (its items are most likely a repeat).
//!
//! A [`SearchError`] converts into [`crate::Error`] with `?`.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;

use futures::stream::{self, BoxStream, StreamExt as _};

use crate::ApiError;

/// The page size used when none is set: 100 items per request.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// A search operation's request that can be sent page by page: implemented
/// for the request builder of every search operation (see the
/// [module documentation](self) for the list), and implementable for
/// anything else that pages with a cursor.
pub trait Search: Send + Sync + Sized {
    /// One item of the result.
    type Item: Send;
    /// The operation's typed problem body (see [`ApiError`]).
    type Problem: Send;
    /// What the server answers to continue after a page.
    type Cursor: Clone + PartialEq + fmt::Debug + serde::Serialize + Send + Sync;

    /// The operation's name, as errors show it.
    const OPERATION: &'static str;

    /// The largest page size the operation accepts (page sizes above it are
    /// lowered to it).
    const MAX_PAGE_SIZE: u32;

    /// Sends the request for one page of at most `size` items, starting
    /// after `after` (from the start when `None`), leaving the rest of the
    /// request as it is.
    fn fetch_page(
        &self,
        size: u32,
        after: Option<&Self::Cursor>,
    ) -> impl Future<Output = PageResult<Self>> + Send;

    /// A [`Paginator`] for this search, with the default page size and no
    /// limit.
    fn paginate(self) -> Paginator<Self> {
        Paginator::new(self)
    }
}

/// What one page request of a search `S` gives: [`Search::fetch_page`].
pub type PageResult<S> =
    Result<Page<<S as Search>::Item, <S as Search>::Cursor>, ApiError<<S as Search>::Problem>>;

/// The stream of [`Paginator::pages`].
pub type Pages<'a, S> = BoxStream<
    'a,
    Result<Page<<S as Search>::Item, <S as Search>::Cursor>, SearchError<<S as Search>::Problem>>,
>;

/// The stream of [`Paginator::items`].
pub type Items<'a, S> =
    BoxStream<'a, Result<<S as Search>::Item, SearchError<<S as Search>::Problem>>>;

/// One page of a search's result.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T, C> {
    /// The items, in the server's order.
    pub items: Vec<T>,
    /// Where the next page starts ([`Paginator::start_after`] resumes a
    /// search there); `None`: the server gave no cursor, this is the last
    /// page.
    pub next: Option<C>,
    /// The number of items the search matches, when the server reported an
    /// exact count (Orchestration: `totalItems` when `hasMoreTotalItems` is
    /// false; Operate: never, its `total` is not documented as exact).
    pub total: Option<u64>,
}

impl<T, C> Page<T, C> {
    /// A page of `items`, continuing at `next`, of a search that matches
    /// `total` items (when known exactly).
    pub fn new(items: Vec<T>, next: Option<C>, total: Option<u64>) -> Self {
        Self { items, next, total }
    }
}

/// Why a search stream ended early or a collection failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError<E = ()> {
    /// A page's request failed.
    #[error(transparent)]
    Api(ApiError<E>),

    /// The server answered a page with a cursor it had already sent in this
    /// search; following it would request the same pages forever.
    #[error(
        "{operation}: page {page} repeats a cursor the server already sent in this search; stopped to avoid an endless loop"
    )]
    RepeatedCursor {
        /// The search operation.
        operation: &'static str,
        /// The number of the page (from 1) whose cursor was a repeat.
        page: u32,
    },

    /// [`Paginator::collect_all`]: more items match than the cap allows.
    #[error("{operation}: more than {max} items match{}", total.map(|t| format!(" ({t} reported)")).unwrap_or_default())]
    TooMany {
        /// The search operation.
        operation: &'static str,
        /// The cap.
        max: usize,
        /// The number of matching items, when the server reported an exact
        /// count.
        total: Option<u64>,
    },
}

impl<E> From<ApiError<E>> for SearchError<E> {
    fn from(error: ApiError<E>) -> Self {
        SearchError::Api(error)
    }
}

impl<E> SearchError<E> {
    /// The failed call's error, for [`SearchError::Api`].
    pub fn api_error(&self) -> Option<&ApiError<E>> {
        match self {
            SearchError::Api(error) => Some(error),
            _ => None,
        }
    }

    /// Whether the same search may succeed later (a transient
    /// [`ApiError`], see [`ApiError::is_transient`]).
    pub fn is_transient(&self) -> bool {
        match self {
            SearchError::Api(error) => error.is_transient(),
            _ => false,
        }
    }

    /// The same error without the typed problem body.
    pub fn into_untyped(self) -> SearchError<()> {
        match self {
            SearchError::Api(error) => SearchError::Api(error.into_untyped()),
            SearchError::RepeatedCursor { operation, page } => {
                SearchError::RepeatedCursor { operation, page }
            }
            SearchError::TooMany {
                operation,
                max,
                total,
            } => SearchError::TooMany {
                operation,
                max,
                total,
            },
        }
    }
}

impl<E: Clone> Clone for SearchError<E> {
    fn clone(&self) -> Self {
        match self {
            SearchError::Api(error) => SearchError::Api(error.clone()),
            SearchError::RepeatedCursor { operation, page } => SearchError::RepeatedCursor {
                operation,
                page: *page,
            },
            SearchError::TooMany {
                operation,
                max,
                total,
            } => SearchError::TooMany {
                operation,
                max: *max,
                total: *total,
            },
        }
    }
}

impl<E> From<SearchError<E>> for crate::Error {
    /// A failed call converts as [`ApiError`] does (an authentication
    /// failure into its own variant, anything else into
    /// [`crate::Error::Api`]); the search's own failures into
    /// [`crate::Error::Search`].
    fn from(error: SearchError<E>) -> Self {
        match error {
            SearchError::Api(error) => error.into(),
            other => crate::Error::Search(Box::new(other.into_untyped())),
        }
    }
}

/// Sends a search page by page: built by the `paginate()` method of every
/// search request builder (or [`Paginator::new`]), configured with
/// [`page_size`](Self::page_size), [`limit`](Self::limit) and
/// [`start_after`](Self::start_after), consumed by [`items`](Self::items),
/// [`pages`](Self::pages) or [`collect_all`](Self::collect_all).
///
/// Nothing is sent until the stream is polled (or `collect_all` awaited).
/// See the [module documentation](self) for when the stream ends.
#[must_use = "a paginator sends nothing until its stream is polled"]
pub struct Paginator<S: Search> {
    request: S,
    page_size: u32,
    limit: Option<u64>,
    start: Option<S::Cursor>,
}

impl<S: Search> fmt::Debug for Paginator<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &S::OPERATION)
            .field("page_size", &self.page_size)
            .field("limit", &self.limit)
            .field("start", &self.start)
            .finish_non_exhaustive()
    }
}

impl<S: Search> Paginator<S> {
    /// A paginator for `request`: pages of [`DEFAULT_PAGE_SIZE`] items, no
    /// limit, from the start.
    pub fn new(request: S) -> Self {
        Self {
            request,
            page_size: DEFAULT_PAGE_SIZE.min(S::MAX_PAGE_SIZE),
            limit: None,
            start: None,
        }
    }

    /// Items per request: at least 1 and at most the operation's maximum
    /// (10 000 for the Orchestration Cluster API); values outside are
    /// brought into that range.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size.clamp(1, S::MAX_PAGE_SIZE.max(1));
        self
    }

    /// Yield at most `items` items in total, then end (no error: this is a
    /// `take`, which also asks the server for no more than needed). For "all
    /// of them, but fail if there are more than N", use
    /// [`collect_all`](Self::collect_all).
    pub fn limit(mut self, items: usize) -> Self {
        self.limit = Some(u64::try_from(items).unwrap_or(u64::MAX));
        self
    }

    /// Start after `cursor` (the [`Page::next`] of an earlier page) instead
    /// of from the start, e.g. to resume a search.
    pub fn start_after(mut self, cursor: S::Cursor) -> Self {
        self.start = Some(cursor);
        self
    }

    /// The pages, one request each, as a stream; empty pages are not
    /// yielded. An error is the last item.
    pub fn pages<'a>(self) -> Pages<'a, S>
    where
        S: 'a,
    {
        let mut seen = HashSet::new();
        if let Some(start) = &self.start {
            seen.extend(fingerprint(start));
        }
        let state = State {
            cursor: self.start,
            request: self.request,
            page_size: self.page_size,
            remaining: self.limit,
            received: 0,
            page: 0,
            seen,
            done: false,
        };
        stream::unfold(state, State::next_page).boxed()
    }

    /// The items, one by one, as a stream (one request per page, sent when
    /// the previous page's items have been taken). An error is the last
    /// item.
    pub fn items<'a>(self) -> Items<'a, S>
    where
        S: 'a,
    {
        self.pages()
            .flat_map(|page| {
                let items: Vec<_> = match page {
                    Ok(page) => page.items.into_iter().map(Ok).collect(),
                    Err(error) => vec![Err(error)],
                };
                stream::iter(items)
            })
            .boxed()
    }

    /// All items in a `Vec`, or [`SearchError::TooMany`] when more than
    /// `max` match: a truncated result is never returned as if it were
    /// complete. Fails as soon as the server reports an exact total above
    /// `max` (Orchestration), otherwise when item `max + 1` arrives. With a
    /// [`limit`](Self::limit) of at most `max`, collects up to the limit and
    /// never fails with `TooMany`.
    pub async fn collect_all(
        mut self,
        max: usize,
    ) -> Result<Vec<S::Item>, SearchError<S::Problem>> {
        let cap = u64::try_from(max).unwrap_or(u64::MAX);
        let checked = self.limit.is_none_or(|limit| limit > cap);
        if checked {
            self.limit = Some(cap.saturating_add(1));
        }
        let mut pages = self.pages();
        let mut items = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page?;
            let too_many = |total| SearchError::TooMany {
                operation: S::OPERATION,
                max,
                total,
            };
            if checked && page.total.is_some_and(|total| total > cap) {
                return Err(too_many(page.total));
            }
            items.extend(page.items);
            if checked && items.len() > max {
                return Err(too_many(page.total));
            }
        }
        Ok(items)
    }
}

/// What a page stream remembers between requests.
struct State<S: Search> {
    request: S,
    page_size: u32,
    /// Items still wanted (`None`: no limit).
    remaining: Option<u64>,
    /// Where the next page starts.
    cursor: Option<S::Cursor>,
    /// Items received so far.
    received: u64,
    /// Pages requested so far.
    page: u32,
    /// Every cursor of this search, serialized.
    seen: HashSet<String>,
    done: bool,
}

/// A cursor as a comparable text (`None` if it cannot be serialized, which
/// no cursor of this crate's APIs does).
fn fingerprint<C: serde::Serialize>(cursor: &C) -> Option<String> {
    serde_json::to_string(cursor).ok()
}

type Step<S> = (
    Result<Page<<S as Search>::Item, <S as Search>::Cursor>, SearchError<<S as Search>::Problem>>,
    State<S>,
);

impl<S: Search> State<S> {
    async fn next_page(mut self) -> Option<Step<S>> {
        if self.done {
            return None;
        }
        let size = match self.remaining {
            Some(0) => return None,
            Some(remaining) => u64::from(self.page_size).min(remaining) as u32,
            None => self.page_size,
        };
        self.page = self.page.saturating_add(1);
        let result = self.request.fetch_page(size, self.cursor.as_ref()).await;
        let mut page = match result {
            Ok(page) => page,
            Err(error) => {
                self.done = true;
                return Some((Err(SearchError::Api(error)), self));
            }
        };
        if page.items.is_empty() {
            return None;
        }
        if let Some(remaining) = self.remaining {
            // A server may send more than asked for: keep to the limit.
            let keep = usize::try_from(remaining).unwrap_or(usize::MAX);
            page.items.truncate(keep);
            self.remaining = Some(remaining - page.items.len() as u64);
        }
        self.received = self.received.saturating_add(page.items.len() as u64);
        match &page.next {
            None => self.done = true,
            Some(next) => {
                if let Some(key) = fingerprint(next)
                    && !self.seen.insert(key)
                {
                    self.done = true;
                    let error = SearchError::RepeatedCursor {
                        operation: S::OPERATION,
                        page: self.page,
                    };
                    return Some((Err(error), self));
                }
                self.cursor = Some(next.clone());
            }
        }
        if page.total.is_some_and(|total| self.received >= total) {
            self.done = true;
        }
        Some((Ok(page), self))
    }
}

/// Adds `paginate()` to a request builder that implements [`Search`]
/// (`builder::SearchFoo<'_>`), so that no import is needed to call it: used
/// by the API modules (`src/operate/search.rs`,
/// `src/orchestration/search.rs`).
#[cfg(any(feature = "operate", feature = "orchestration"))]
macro_rules! paginate_method {
    ($builder:ty) => {
        impl $builder {
            /// Every page of this search as a stream of items (or pages, or
            /// a capped `Vec`): see [`crate::search`] for page size, limits
            /// and when the stream ends.
            pub fn paginate(self) -> $crate::search::Paginator<Self> {
                $crate::search::Paginator::new(self)
            }
        }
    };
}
#[cfg(any(feature = "operate", feature = "orchestration"))]
pub(crate) use paginate_method;
