//! The explorer's request starts at the click. Following a link first changes the URL, then the
//! router matches it, the toolbar and side panel follow, and only then would the page's resource
//! ask for the new drawing; started here, the request is already on its way while all of that
//! happens, and the resource picks it up.

use views::LineageGraphView;

use crate::api::lineage::{ExploreArgs, explore_lineage};
use crate::error::UiError;

#[cfg(feature = "hydrate")]
mod pending {
    use std::cell::RefCell;

    use futures::future::{FutureExt, LocalBoxFuture, Shared};
    use views::LineageGraphView;

    use crate::api::lineage::ExploreArgs;
    use crate::error::UiError;

    pub type Reply = Shared<LocalBoxFuture<'static, Result<LineageGraphView, UiError>>>;

    /// A request older than this is not used: the page asks again.
    const FRESH_MS: f64 = 5_000.0;

    struct Started {
        args: ExploreArgs,
        at: f64,
        reply: Reply,
    }

    thread_local! {
        static STARTED: RefCell<Option<Started>> = const { RefCell::new(None) };
    }

    pub fn put(args: ExploreArgs, reply: Reply) {
        let at = js_sys::Date::now();
        STARTED.with(|s| *s.borrow_mut() = Some(Started { args, at, reply }));
    }

    /// The request started for exactly `args`, if it is recent; taken, so it is used once.
    pub fn take(args: &ExploreArgs) -> Option<Reply> {
        let started = STARTED.with(|s| s.borrow_mut().take())?;
        (started.args == *args && js_sys::Date::now() - started.at < FRESH_MS)
            .then_some(started.reply)
    }

    pub fn start(args: ExploreArgs) {
        let reply: Reply = crate::api::lineage::explore_lineage(args.clone())
            .boxed_local()
            .shared();
        // Polled once right here, so the request leaves before the router reacts to the click
        // (a spawned task would first run after the click's handlers and the router's work);
        // then driven to the end by a task, whether or not the page takes the reply.
        let mut now = reply.clone();
        let _ = now.poll_unpin(&mut std::task::Context::from_waker(
            futures::task::noop_waker_ref(),
        ));
        drop(now);
        leptos::task::spawn_local(reply.clone().map(|_| ()));
        put(args, reply);
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
pub async fn explore(args: ExploreArgs) -> Result<LineageGraphView, UiError> {
    // The browser has one thread; the resource still asks for a future it may send.
    #[cfg(feature = "hydrate")]
    let started = pending::take(&args).map(send_wrapper::SendWrapper::new);
    #[cfg(feature = "hydrate")]
    if let Some(reply) = started {
        return reply.await;
    }
    explore_lineage(args).await
}
