//! Running work on a thread with a stack of a chosen size.
//!
//! The loader and the model recurse through nested schemas (bounded in depth, but a level of
//! a debug build can take tens of kilobytes), so they run on threads whose stack this crate
//! sizes, rather than on whatever stack the caller happens to have.

use std::panic::AssertUnwindSafe;
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
