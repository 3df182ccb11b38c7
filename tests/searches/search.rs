//! The paginator itself ([`camunda8::search`]), against a scripted search
//! that needs no server: when the stream ends, what it asks for, the error
//! items, the limit, the cap of `collect_all`, and `?` into
//! `camunda8::Error`. The HTTP side of each API is in `search_operate.rs`
//! and `search_orchestration.rs`.

use std::future::Future;
use std::sync::{Arc, Mutex};

use camunda8::ApiError;
use camunda8::search::{DEFAULT_PAGE_SIZE, Page, Paginator, Search, SearchError};
use futures::StreamExt as _;

/// One scripted answer.
#[derive(Clone)]
enum Answer {
    Page {
        items: Vec<u32>,
        next: Option<String>,
        total: Option<u64>,
    },
    Fail,
}

fn page(items: std::ops::Range<u32>, next: Option<&str>) -> Answer {
    Answer::Page {
        items: items.collect(),
        next: next.map(str::to_string),
        total: None,
    }
}

/// A page request as recorded: `(size, after)`.
type Asked = (u32, Option<String>);

/// Answers page requests from a script and records them.
#[derive(Clone)]
struct Scripted {
    answers: Arc<Vec<Answer>>,
    asked: Arc<Mutex<Vec<Asked>>>,
}

impl Scripted {
    fn new(answers: Vec<Answer>) -> Self {
        Self {
            answers: Arc::new(answers),
            asked: Arc::default(),
        }
    }

    fn asked(&self) -> Vec<Asked> {
        self.asked.lock().unwrap().clone()
    }
}

impl Search for Scripted {
    type Item = u32;
    type Problem = ();
    type Cursor = String;
    const OPERATION: &'static str = "scripted";
    const MAX_PAGE_SIZE: u32 = 50;

    fn fetch_page(
        &self,
        size: u32,
        after: Option<&String>,
    ) -> impl Future<Output = Result<Page<u32, String>, ApiError>> + Send {
        let answer = {
            let mut asked = self.asked.lock().unwrap();
            asked.push((size, after.cloned()));
            // Past the script: empty pages.
            self.answers.get(asked.len() - 1).cloned()
        };
        async move {
            match answer {
                Some(Answer::Page { items, next, total }) => Ok(Page::new(items, next, total)),
                Some(Answer::Fail) => Err(ApiError::InvalidRequest {
                    message: "scripted failure".into(),
                }),
                None => Ok(Page::new(Vec::new(), None, None)),
            }
        }
    }
}

async fn all(paginator: Paginator<Scripted>) -> Vec<Result<u32, SearchError>> {
    paginator.items().collect().await
}

fn oks(items: &[Result<u32, SearchError>]) -> Vec<u32> {
    items
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect()
}

#[tokio::test]
async fn follows_the_cursor_until_an_empty_page() {
    let search = Scripted::new(vec![
        page(0..3, Some("a")),
        page(3..6, Some("b")),
        page(6..7, Some("c")),
        page(0..0, Some("d")),
    ]);
    let items = all(search.clone().paginate().page_size(3)).await;
    assert_eq!(oks(&items), (0..7).collect::<Vec<_>>());
    assert!(items.iter().all(Result::is_ok));
    // A short page (1 of 3) does not end the search: the next request tells.
    assert_eq!(
        search.asked(),
        vec![
            (3, None),
            (3, Some("a".into())),
            (3, Some("b".into())),
            (3, Some("c".into())),
        ]
    );
}

#[tokio::test]
async fn a_page_without_cursor_is_the_last() {
    let search = Scripted::new(vec![page(0..2, Some("a")), page(2..4, None)]);
    let items = all(search.clone().paginate()).await;
    assert_eq!(oks(&items), vec![0, 1, 2, 3]);
    assert_eq!(search.asked().len(), 2);
    assert_eq!(search.asked()[0].0, DEFAULT_PAGE_SIZE.min(50));
}

#[tokio::test]
async fn an_exact_total_ends_without_another_request() {
    let total = |items: std::ops::Range<u32>, next: &str| Answer::Page {
        items: items.collect(),
        next: Some(next.into()),
        total: Some(4),
    };
    let search = Scripted::new(vec![total(0..2, "a"), total(2..4, "b")]);
    let items = all(search.clone().paginate().page_size(2)).await;
    assert_eq!(oks(&items), vec![0, 1, 2, 3]);
    assert_eq!(search.asked().len(), 2);
}

#[tokio::test]
async fn a_repeated_cursor_ends_with_a_typed_error() {
    // The server ignores the cursor: the same page with the same cursor.
    let search = Scripted::new(vec![page(0..2, Some("a")); 100]);
    let items = all(search.clone().paginate().page_size(2)).await;
    assert_eq!(oks(&items), vec![0, 1]);
    assert!(matches!(
        items.last(),
        Some(Err(SearchError::RepeatedCursor {
            operation: "scripted",
            page: 2
        }))
    ));
    assert_eq!(search.asked().len(), 2);

    // A cycle of two cursors is caught as well.
    let search = Scripted::new(vec![
        page(0..1, Some("a")),
        page(1..2, Some("b")),
        page(2..3, Some("a")),
        page(3..4, Some("b")),
    ]);
    let items = all(search.clone().paginate()).await;
    assert_eq!(oks(&items), vec![0, 1]);
    assert!(matches!(
        items.last(),
        Some(Err(SearchError::RepeatedCursor { page: 3, .. }))
    ));

    // So is a server answering the start cursor with itself.
    let search = Scripted::new(vec![page(0..1, Some("s"))]);
    let items = all(search.clone().paginate().start_after("s".into())).await;
    assert!(matches!(
        items.as_slice(),
        [Err(SearchError::RepeatedCursor { page: 1, .. })]
    ));
    assert_eq!(search.asked(), vec![(50, Some("s".into()))]);
}

#[tokio::test]
async fn an_error_is_an_item_and_the_last_one() {
    let search = Scripted::new(vec![
        page(0..2, Some("a")),
        Answer::Fail,
        page(2..4, Some("b")),
    ]);
    let mut stream = search.clone().paginate().items();
    assert_eq!(stream.next().await.unwrap().unwrap(), 0);
    assert_eq!(stream.next().await.unwrap().unwrap(), 1);
    match stream.next().await {
        Some(Err(SearchError::Api(ApiError::InvalidRequest { message }))) => {
            assert_eq!(message, "scripted failure")
        }
        other => panic!("expected the failure, got {other:?}"),
    }
    assert!(stream.next().await.is_none());
    assert_eq!(search.asked().len(), 2);
}

#[tokio::test]
async fn items_are_requested_lazily() {
    let search = Scripted::new(vec![page(0..2, Some("a")), page(2..4, Some("b"))]);
    let mut stream = search.clone().paginate().page_size(2).items();
    assert!(search.asked().is_empty(), "nothing before the first poll");
    stream.next().await;
    stream.next().await;
    assert_eq!(search.asked().len(), 1, "one page while its items last");
    stream.next().await;
    assert_eq!(search.asked().len(), 2);
}

#[tokio::test]
async fn the_limit_takes_and_asks_for_no_more_than_needed() {
    let search = Scripted::new(vec![
        page(0..10, Some("a")),
        page(10..20, Some("b")),
        page(20..30, Some("c")),
    ]);
    let items = all(search.clone().paginate().page_size(10).limit(15)).await;
    assert_eq!(oks(&items), (0..15).collect::<Vec<_>>());
    assert_eq!(search.asked(), vec![(10, None), (5, Some("a".into()))]);

    // A server that sends more than asked is cut to the limit.
    let search = Scripted::new(vec![page(0..10, Some("a"))]);
    let items = all(search.clone().paginate().limit(3)).await;
    assert_eq!(oks(&items), vec![0, 1, 2]);
    assert_eq!(search.asked().len(), 1);
}

#[tokio::test]
async fn page_sizes_are_kept_within_the_operations_range() {
    let search = Scripted::new(vec![]);
    let _ = all(search.clone().paginate().page_size(0)).await;
    let _ = all(search.clone().paginate().page_size(10_000)).await;
    let sizes: Vec<u32> = search.asked().iter().map(|(size, _)| *size).collect();
    assert_eq!(sizes, vec![1, 50]);
}

#[tokio::test]
async fn pages_carry_their_cursor_for_resuming() {
    let search = Scripted::new(vec![page(0..2, Some("a")), page(2..3, None)]);
    let pages: Vec<_> = search.clone().paginate().pages().collect().await;
    let pages: Vec<_> = pages.into_iter().map(Result::unwrap).collect();
    assert_eq!(pages[0].items, vec![0, 1]);
    assert_eq!(pages[0].next.as_deref(), Some("a"));
    assert_eq!(pages[1].next, None);
}

#[tokio::test]
async fn collect_all_fails_rather_than_truncate() {
    let script = || {
        Scripted::new(vec![
            page(0..10, Some("a")),
            page(10..20, Some("b")),
            page(20..25, Some("c")),
        ])
    };
    assert_eq!(
        script()
            .paginate()
            .page_size(10)
            .collect_all(25)
            .await
            .unwrap(),
        (0..25).collect::<Vec<_>>()
    );
    assert_eq!(
        script().paginate().collect_all(1000).await.unwrap().len(),
        25
    );

    let search = script();
    match search
        .clone()
        .paginate()
        .page_size(10)
        .collect_all(12)
        .await
    {
        Err(SearchError::TooMany {
            operation: "scripted",
            max: 12,
            total: None,
        }) => {}
        other => panic!("expected TooMany, got {other:?}"),
    }
    // Stopped at item 13: the second request asked for 3 more.
    assert_eq!(search.asked(), vec![(10, None), (3, Some("a".into()))]);

    // An exact total above the cap fails at the first page.
    let search = Scripted::new(vec![Answer::Page {
        items: (0..10).collect(),
        next: Some("a".into()),
        total: Some(500),
    }]);
    let error = search
        .clone()
        .paginate()
        .collect_all(100)
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        SearchError::TooMany {
            max: 100,
            total: Some(500),
            ..
        }
    ));
    assert_eq!(search.asked().len(), 1);
    assert_eq!(
        error.to_string(),
        "scripted: more than 100 items match (500 reported)"
    );

    // With a limit under the cap, collect_all takes up to the limit.
    assert_eq!(
        script().paginate().limit(5).collect_all(10).await.unwrap(),
        vec![0, 1, 2, 3, 4]
    );
}

#[tokio::test]
async fn search_errors_convert_into_the_crate_error() {
    async fn count() -> camunda8::Result<usize> {
        let search = Scripted::new(vec![page(0..2, Some("a")); 3]);
        let items = search.paginate().collect_all(100).await?;
        Ok(items.len())
    }
    match count().await {
        Err(camunda8::Error::Search(error)) => {
            assert!(matches!(*error, SearchError::RepeatedCursor { .. }));
            assert!(!camunda8::Error::Search(error).is_transient());
        }
        other => panic!("expected a search error, got {other:?}"),
    }

    async fn failing() -> camunda8::Result<()> {
        let search = Scripted::new(vec![Answer::Fail]);
        search.paginate().collect_all(1).await?;
        Ok(())
    }
    assert!(matches!(failing().await, Err(camunda8::Error::Api(_))));
}
