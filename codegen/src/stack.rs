//! Running work on threads with a stack of a chosen size: one thread, or one per core.
//!
//! The loader and the model recurse through nested schemas (bounded in depth, but a level of
//! a debug build can take tens of kilobytes), so they run on threads whose stack this crate
//! sizes, rather than on whatever stack the caller happens to have.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Runs `work` on a scoped thread named `name` with `stack` bytes of stack (reserved address
/// space: only what is used is committed), or on the caller's thread if no thread can be
/// started. A panic is returned as `Err`, wherever the work ran.
pub(crate) fn on_stack<T: Send>(
    stack: usize,
    name: &str,
    work: impl FnOnce() -> T + Send,
) -> std::thread::Result<T> {
    // The work moves into the thread only if the thread starts; otherwise it is still here.
    let slot = Mutex::new(Some(work));
    let take = || slot.lock().ok().and_then(|mut work| work.take());
    let on_thread = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name(name.to_owned())
            .stack_size(stack)
            .spawn_scoped(scope, || take().map(|work| work()))
            .ok()
            .map(|handle| handle.join())
    });
    match on_thread {
        Some(Ok(Some(done))) => Ok(done),
        Some(Err(panic)) => Err(panic),
        _ => std::panic::catch_unwind(AssertUnwindSafe(|| take().map(|work| work())))
            .and_then(|done| done.ok_or_else(|| Box::new("the work was lost") as _)),
    }
}

/// Runs `work` on every job on all cores (at most 8, at most one per job): on the calling
/// thread and on scoped threads named `name` with `stack` bytes of stack. The caller must
/// itself run on a stack of that size. Workers take the jobs in order from a shared counter,
/// so a few large jobs listed first and many small ones after keep every core busy to the
/// end. The results are in the jobs' order, whichever thread produced them.
///
/// The calling thread works too, rather than waiting: besides sparing a thread, it then frees
/// some of what it allocated itself (the loader's parsed document), which the allocator can
/// reuse at once, where memory freed from another thread goes back to its owner first.
///
/// With one core, or if no thread can be started, the caller does every job. A panic in any job is returned
/// as `Err` once every worker has stopped.
pub(crate) fn on_workers<J: Send, R: Send>(
    stack: usize,
    name: &str,
    jobs: Vec<J>,
    work: impl Fn(J) -> R + Sync,
) -> std::thread::Result<Vec<R>> {
    let count = jobs.len();
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8)
        .min(count);
    let slots: Vec<Mutex<Option<J>>> = jobs.into_iter().map(|job| Mutex::new(Some(job))).collect();
    let next = AtomicUsize::new(0);
    let take = |index: usize| slots.get(index)?.lock().ok()?.take();
    let worker = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            if index >= count {
                return done;
            }
            if let Some(job) = take(index) {
                done.push((index, work(job)));
            }
        }
    };
    let finished: Vec<std::thread::Result<Vec<(usize, R)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..workers)
            .map_while(|_| {
                std::thread::Builder::new()
                    .name(name.to_owned())
                    .stack_size(stack)
                    .spawn_scoped(scope, worker)
                    .ok()
            })
            .collect();
        // Whichever threads started, this one works until the jobs run out.
        let mut finished = vec![std::panic::catch_unwind(AssertUnwindSafe(worker))];
        finished.extend(handles.into_iter().map(|handle| handle.join()));
        finished
    });
    let mut results: Vec<Option<R>> = (0..count).map(|_| None).collect();
    for finished in finished {
        for (index, result) in finished? {
            if let Some(slot) = results.get_mut(index) {
                *slot = Some(result);
            }
        }
    }
    // Every job was taken by exactly one worker, and every worker finished.
    results
        .into_iter()
        .map(|result| result.ok_or_else(|| Box::new("a job was lost") as _))
        .collect()
}
