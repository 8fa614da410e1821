//! The explorer's request starts at the click. Following a link first changes the URL, then the
//! router matches it, the toolbar and side panel follow, and only then would the page's resource
//! ask for the new drawing; started here, the request is already on its way while all of that
//! happens, and the resource picks it up. The answer is shared, not copied: every taker gets the
//! same `Arc` (a deep copy of a thousand-node picture cost milliseconds per expand).

use std::sync::Arc;

use views::LineageGraphView;

use crate::api::lineage::ExploreArgs;
#[cfg(not(feature = "hydrate"))]
use crate::api::lineage::explore_lineage;
use crate::error::UiError;

#[cfg(feature = "hydrate")]
mod pending {
    use std::cell::RefCell;
    use std::sync::Arc;

    use futures::future::{FutureExt, LocalBoxFuture, Shared};
    use views::LineageGraphView;

    use crate::api::lineage::ExploreArgs;
    use crate::error::UiError;

    pub type Reply = Shared<LocalBoxFuture<'static, Result<Arc<LineageGraphView>, UiError>>>;

    /// A request older than this is not used: the page asks again.
    const FRESH_MS: f64 = 5_000.0;

    struct Started {
        args: ExploreArgs,
        at: f64,
        reply: Reply,
        /// The page took it: a later ask for the same drawing asks again.
        taken: bool,
    }

    thread_local! {
        static STARTED: RefCell<Option<Started>> = const { RefCell::new(None) };
    }

    fn put(args: ExploreArgs, reply: Reply, taken: bool) {
        let at = js_sys::Date::now();
        STARTED.with(|s| {
            *s.borrow_mut() = Some(Started {
                args,
                at,
                reply,
                taken,
            })
        });
    }

    /// The latest request, if it is for exactly `args` and recent.
    fn latest(args: &ExploreArgs) -> Option<Reply> {
        STARTED.with(|s| {
            s.borrow()
                .as_ref()
                .filter(|s| s.args == *args && js_sys::Date::now() - s.at < FRESH_MS)
                .map(|s| s.reply.clone())
        })
    }

    /// The request started for exactly `args`, if it is recent and was not taken yet; taken, so
    /// that it is used once. Otherwise a new request, remembered as taken, so that a link's
    /// start for the same drawing that comes after the page asked (the router may hear Back
    /// before the explorer does) does not send it twice.
    pub fn take_or_ask(args: ExploreArgs) -> Reply {
        let untaken = STARTED.with(|s| {
            let mut s = s.borrow_mut();
            let started = s
                .as_mut()
                .filter(|s| s.args == args && !s.taken && js_sys::Date::now() - s.at < FRESH_MS)?;
            started.taken = true;
            Some(started.reply.clone())
        });
        untaken.unwrap_or_else(|| {
            let reply = send(args.clone());
            put(args, reply.clone(), true);
            reply
        })
    }

    /// The request, sent at once: polled once right here, so it leaves before the router
    /// reacts to the click (a spawned task would first run after the click's handlers and the
    /// router's work); then driven to the end by a task, whether or not the page takes it.
    fn send(args: ExploreArgs) -> Reply {
        let reply: Reply = crate::api::lineage::explore_lineage(args)
            .map(|r| r.map(Arc::new))
            .boxed_local()
            .shared();
        let mut now = reply.clone();
        let _ = now.poll_unpin(&mut std::task::Context::from_waker(
            futures::task::noop_waker_ref(),
        ));
        drop(now);
        leptos::task::spawn_local(reply.clone().map(|_| ()));
        reply
    }

    /// Starts the request for `args`, unless the latest one is for the same drawing.
    pub fn start(args: ExploreArgs) {
        if latest(&args).is_none() {
            let reply = send(args.clone());
            put(args, reply, false);
        }
    }
}

/// Starts the request for what an explorer link (`/lineage?…`) will show; any other link is
/// ignored.
pub fn start(href: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(url) = super::url::ExplorerUrl::from_href(href)
        && !url.args.focus.is_empty()
    {
        pending::start(url.args);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = href;
}

/// The drawing for `args`: the request started at the click when it was for these, otherwise a
/// new one.
pub async fn explore(args: ExploreArgs) -> Result<Arc<LineageGraphView>, UiError> {
    // The browser has one thread; the resource still asks for a future it may send.
    #[cfg(feature = "hydrate")]
    {
        send_wrapper::SendWrapper::new(pending::take_or_ask(args)).await
    }
    #[cfg(not(feature = "hydrate"))]
    explore_lineage(args).await.map(Arc::new)
}
