//! Walking paginated list operations as a stream of items.

// Shared by every API; one paged only by number never builds `Paging::Offset`, and one paged
// only by cursor never calls `items`.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::future::Future;

use crate::Error;

/// How the next page is addressed.
pub(crate) enum Paging {
    /// `page=1, 2, 3, …`
    Number,
    /// `offset=0, n, 2n, …`, advancing by the number of items received.
    Offset,
}

struct State<T, F> {
    next: Option<i64>,
    buffer: VecDeque<T>,
    fetch: F,
}

/// Requests page after page with `fetch`, yielding every item once, and stops after an empty
/// page, a page shorter than `page_size` (when known), or an error (which is yielded).
pub(crate) fn items<T, E, F, Fut>(
    paging: Paging,
    first: i64,
    page_size: Option<usize>,
    fetch: F,
) -> impl futures_util::Stream<Item = Result<T, Error<E>>>
where
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<Vec<T>, Error<E>>>,
{
    let state = State {
        next: Some(first),
        buffer: VecDeque::new(),
        fetch,
    };
    futures_util::stream::unfold(state, move |mut state| {
        let page_size = page_size.filter(|size| *size > 0);
        let paging_offset = matches!(paging, Paging::Offset);
        async move {
            loop {
                if let Some(item) = state.buffer.pop_front() {
                    return Some((Ok(item), state));
                }
                let page = state.next?;
                match (state.fetch)(page).await {
                    Ok(items) => {
                        let received = items.len();
                        let last = received == 0 || page_size.is_some_and(|size| received < size);
                        state.next = if last {
                            None
                        } else if paging_offset {
                            Some(page.saturating_add(i64::try_from(received).unwrap_or(i64::MAX)))
                        } else {
                            Some(page.saturating_add(1))
                        };
                        state.buffer.extend(items);
                    }
                    Err(error) => {
                        state.next = None;
                        return Some((Err(error), state));
                    }
                }
            }
        }
    })
}

struct CursorState<T, C, F> {
    /// The cursor of the next request (`None`: the first page, or no cursor).
    cursor: Option<C>,
    more: bool,
    buffer: VecDeque<T>,
    fetch: F,
}

/// Requests page after page with `fetch`, each with the cursor the page before returned
/// (`first` for the first page), yielding every item once. Stops when a page returns no next
/// cursor or the very cursor it was requested with (which would repeat it forever), or after an
/// error (which is yielded). An empty page with a new cursor is not the end: some APIs return
/// those while they filter.
pub(crate) fn cursor_items<T, C, E, F, Fut>(
    first: Option<C>,
    fetch: F,
) -> impl futures_util::Stream<Item = Result<T, Error<E>>>
where
    C: Clone + PartialEq,
    F: FnMut(Option<C>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<C>), Error<E>>>,
{
    let state = CursorState {
        cursor: first,
        more: true,
        buffer: VecDeque::new(),
        fetch,
    };
    futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffer.pop_front() {
                return Some((Ok(item), state));
            }
            if !state.more {
                return None;
            }
            let cursor = state.cursor.take();
            match (state.fetch)(cursor.clone()).await {
                Ok((items, next)) => {
                    state.more = next.is_some() && next != cursor;
                    state.cursor = next;
                    state.buffer.extend(items);
                }
                Err(error) => {
                    state.more = false;
                    return Some((Err(error), state));
                }
            }
        }
    })
}
