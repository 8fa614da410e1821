//! The response cache: the answers to the reads that dominate a catalog's traffic (the catalog
//! and product pages, product JSON, search), kept in memory and served again while nothing has
//! changed.
//!
//! An answer is remembered under the caller's identity, the request's path, query and `Accept`
//! header, with the store's generation read *before* the handler ran: any write this instance
//! commits, any change to the in-memory lineage graph, and any change another instance announces
//! (PostgreSQL LISTEN/NOTIFY) advances the generation, and a remembered answer is used only while
//! the generation is the one it was computed at — so a read after a write always sees the write.
//! It is also used for at most [`workbench::READ_CACHE_MAX_AGE`], which bounds relative times
//! ("refreshed 3 hours ago") and what no write announces. Permission checks are not skipped: the
//! answer was computed by the use cases for this very identity.
//!
//! Pages carry the nonce of their Content-Security-Policy in their inline scripts; a remembered
//! page is kept cut at its nonce and joined again with the new request's nonce. JSON answers get
//! an ETag that changes with their content (the handler's own validator, such as a product's
//! revision, followed by a digest), and `If-None-Match` with it is answered 304.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use workbench::{Actor, Workbench};

use crate::csp::CspNonce;
use crate::error::HttpError;
use crate::spliced_gzip::SplicedGzip;

/// The memory the remembered answers may take.
const CAPACITY_BYTES: u64 = 64 * 1024 * 1024;
/// Larger answers are served but not remembered.
const LARGEST: usize = 2 * 1024 * 1024;
/// What a handler of a cached route may answer at most (its body is read whole).
const READ_LIMIT: usize = 64 * 1024 * 1024;

/// The remembered answers of one router.
#[derive(Debug)]
pub struct ResponseCache {
    workbench: Workbench,
    /// Off with `MESHWORK_NO_READ_CACHE`: answers are still given ETags, never remembered.
    enabled: bool,
    entries: Remembered<Entry>,
}

/// When an answer was computed: at which generation, and when.
#[derive(Clone, Copy, Debug)]
struct Stamp {
    generation: u64,
    at: Instant,
}

impl Stamp {
    fn new(generation: u64) -> Stamp {
        Stamp {
            generation,
            at: Instant::now(),
        }
    }

    /// The rule both caches follow: only at the generation it was computed at, and only for
    /// [`workbench::READ_CACHE_MAX_AGE`].
    fn current(&self, generation: u64) -> bool {
        self.generation == generation && self.at.elapsed() < workbench::READ_CACHE_MAX_AGE
    }
}

/// A remembered answer, as the store of remembered answers sees it.
trait Kept {
    fn stamp(&self) -> Stamp;
    /// The memory it takes beyond its key.
    fn weight(&self) -> u64;
}

/// Remembered answers by key, within a memory budget.
struct Remembered<T> {
    entries: quick_cache::sync::Cache<String, Arc<T>, ByWeight>,
}

#[derive(Clone)]
struct ByWeight;

impl<T: Kept> quick_cache::Weighter<String, Arc<T>> for ByWeight {
    fn weight(&self, key: &String, entry: &Arc<T>) -> u64 {
        key.len() as u64 + entry.weight()
    }
}

impl<T: Kept> Remembered<T> {
    fn new(capacity_bytes: u64) -> Remembered<T> {
        Remembered {
            entries: quick_cache::sync::Cache::with_weighter(4_096, capacity_bytes, ByWeight),
        }
    }

    /// The answer remembered under `key`, if it is still current at `generation`.
    fn current(&self, key: &str, generation: u64) -> Option<Arc<T>> {
        self.entries
            .get(key)
            .filter(|entry| entry.stamp().current(generation))
    }

    fn insert(&self, key: String, entry: Arc<T>) {
        self.entries.insert(key, entry);
    }
}

impl<T: Kept> std::fmt::Debug for Remembered<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remembered")
            .field("entries", &self.entries.len())
            .finish()
    }
}

struct Entry {
    stamp: Stamp,
    headers: HeaderMap,
    /// The body cut at every occurrence of the nonce it was rendered with.
    segments: Vec<Bytes>,
    size: usize,
    /// For JSON: the validator `If-None-Match` is compared with.
    etag: Option<HeaderValue>,
}

impl Kept for Entry {
    fn stamp(&self) -> Stamp {
        self.stamp
    }

    fn weight(&self) -> u64 {
        (self.size + 256) as u64
    }
}

impl ResponseCache {
    pub fn new(workbench: Workbench, enabled: bool) -> ResponseCache {
        ResponseCache {
            workbench,
            enabled,
            entries: Remembered::new(CAPACITY_BYTES),
        }
    }
}

/// Whether answers to `GET path` are remembered: the pages and reads that every visitor makes.
/// Anything else (the wizard, tokens, drafts, lineage exploration) is computed every time.
pub fn cached_route(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    matches!(
        segments.as_slice(),
        [] | [""]
            | ["products", _]
            | ["domains"]
            | ["domains", _]
            | ["teams"]
            | ["teams", _]
            | ["mesh"]
            | ["api", "v1", "search"]
            | ["api", "v1", "products"]
            | ["api", "v1", "products", _]
    )
}

/// The middleware (inside authentication, which resolved the caller, and inside the security
/// headers, which drew the nonce).
pub async fn serve(State(cache): State<Arc<ResponseCache>>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET || !cached_route(req.uri().path()) {
        return next.run(req).await;
    }
    let Some(actor) = req.extensions().get::<Actor>() else {
        return next.run(req).await;
    };
    let nonce = req
        .extensions()
        .get::<CspNonce>()
        .map(|n| n.0.clone())
        .unwrap_or_default();
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let key = format!("{}\n{}\n{accept}", actor.identity(), req.uri());
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    // Read before the handler runs: a change while it runs leaves its answer already stale.
    let generation = cache.workbench.generation();
    if cache.enabled
        && let Some(entry) = cache.entries.current(&key, generation)
    {
        return entry.respond(&nonce, if_none_match.as_ref());
    }

    let response = next.run(req).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, READ_LIMIT).await {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "could not read an answer to remember");
            return HttpError::new("internal", "the answer could not be read").into_response();
        }
    };
    let entry = Arc::new(Entry::new(generation, parts.headers, body, &nonce));
    if cache.enabled && entry.size <= LARGEST {
        cache.entries.insert(key, entry.clone());
    }
    entry.respond(&nonce, if_none_match.as_ref())
}

impl Entry {
    fn new(generation: u64, mut headers: HeaderMap, body: Bytes, nonce: &str) -> Entry {
        headers.remove(header::CONTENT_LENGTH);
        let json = headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
        let etag = json.then(|| {
            let mut digest = std::collections::hash_map::DefaultHasher::new();
            body.hash(&mut digest);
            let own = headers
                .get(header::ETAG)
                .and_then(|v| v.to_str().ok())
                .map(|v| format!("{}.", v.trim_matches('"')))
                .unwrap_or_default();
            HeaderValue::from_str(&format!("\"{own}{:016x}\"", digest.finish()))
                .unwrap_or(HeaderValue::from_static("\"0\""))
        });
        if let Some(etag) = &etag {
            headers.insert(header::ETAG, etag.clone());
            // Browsers may keep it, for this user only, and must ask again before using it.
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            );
            headers.insert(
                header::VARY,
                HeaderValue::from_static("Accept, Authorization, Cookie, X-Api-Key"),
            );
        }
        let size = body.len();
        Entry {
            stamp: Stamp::new(generation),
            headers,
            segments: split_at(&body, nonce),
            size,
            etag,
        }
    }

    fn respond(&self, nonce: &str, if_none_match: Option<&HeaderValue>) -> Response {
        if let (Some(etag), Some(wanted)) = (&self.etag, if_none_match)
            && matches_any(wanted, etag)
        {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
                if let Some(v) = self.headers.get(&name) {
                    response.headers_mut().insert(name, v.clone());
                }
            }
            return response;
        }
        let mut response = Response::new(Body::from(join(&self.segments, self.size, nonce)));
        *response.headers_mut() = self.headers.clone();
        if self.size <= LARGEST {
            response.extensions_mut().insert(Rememberable);
        }
        response
    }
}

/// Marks an answer [`serve`] computed for a cached route and would remember: the front may keep
/// it too.
#[derive(Clone, Copy, Debug)]
pub struct Rememberable;

/// The front of the cache, outside every other layer: a remembered answer is given again to the
/// same credentials, for the same request, without the layers' work (timeout timer, trace span,
/// authentication, the inner cache's key), which is most of what a remembered read costs.
///
/// Its key is the request's credentials as presented (token, API key or session cookie; none
/// for anonymous) with the path, query, `Accept` and `Accept-Encoding`, so an answer is only
/// given again to whoever presented the same credentials. It is used under the same rule as the
/// inner cache: only at the generation read before it was computed (every write, revoking a
/// token or ending a session included, advances it) and for at most
/// [`workbench::READ_CACHE_MAX_AGE`]. What the layers add is part of what it keeps (the
/// security headers, an ETag, a compressed body); a page's nonce is drawn afresh and written
/// into its body and policy. A page for a client that accepts gzip is asked of the layers
/// uncompressed and kept as gzip compressed once around its nonce ([`SplicedGzip`]), so giving
/// it again compresses nothing. Conditional requests, and pages for clients that accept only
/// other encodings, go through the layers.
///
/// When an answer is missing (the first request, or every [`workbench::READ_CACHE_MAX_AGE`] for
/// a popular page), one request per key goes through the layers and the others asking for the
/// same key meanwhile wait for it and are answered from what it kept: one render instead of as
/// many as there are connections waiting, which all at once would hold both cores for tens of
/// milliseconds.
#[derive(Debug)]
pub struct Front {
    workbench: Workbench,
    entries: Remembered<FrontEntry>,
    /// The keys whose answer is being computed, and how to wake those waiting for it. Held
    /// only to look up, insert or remove; never across an await.
    flights: Mutex<HashMap<String, Arc<tokio::sync::Notify>>>,
}

/// A request's part in computing a missing answer.
enum Flight {
    /// This request computes it; the others are woken when this is dropped.
    Leads(FlightGuard),
    /// Another request computes it: wait, then look again.
    Follows(tokio::sync::futures::OwnedNotified),
}

/// Ends a flight when dropped, whether the answer was computed, refused or abandoned.
struct FlightGuard {
    front: Arc<Front>,
    key: String,
}

impl Drop for FlightGuard {
    fn drop(&mut self) {
        let notify = self
            .front
            .flights
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.key);
        if let Some(notify) = notify {
            notify.notify_waiters();
        }
    }
}

struct FrontEntry {
    stamp: Stamp,
    status: StatusCode,
    /// Every header but the policy, as the layers left them.
    headers: HeaderMap,
    body: FrontBody,
    /// A page: its policy is written with the new nonce.
    page: bool,
}

enum FrontBody {
    /// The body as the layers gave it, cut at the nonce (one part when there is none).
    Plain { segments: Vec<Bytes>, size: usize },
    /// A page the layers gave uncompressed, kept as gzip around its nonce.
    Gzip(SplicedGzip),
}

impl Kept for FrontEntry {
    fn stamp(&self) -> Stamp {
        self.stamp
    }

    fn weight(&self) -> u64 {
        let size = match &self.body {
            FrontBody::Plain { size, .. } => *size,
            FrontBody::Gzip(gzip) => gzip.size(),
        };
        (size + 512) as u64
    }
}

impl FrontEntry {
    /// The answer, with a nonce drawn afresh where the body or the policy carries one.
    fn respond(&self) -> Response {
        let nonce = match &self.body {
            FrontBody::Plain { segments, .. } if !self.page && segments.len() == 1 => String::new(),
            _ => leptos::nonce::Nonce::new().to_string(),
        };
        let body = match &self.body {
            FrontBody::Plain { segments, size } => join(segments, *size, &nonce),
            FrontBody::Gzip(gzip) => gzip.join(&nonce),
        };
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        if self.page
            && let Ok(policy) = HeaderValue::from_str(&crate::csp::policy(&nonce))
        {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        response
    }
}

impl Front {
    pub fn new(workbench: Workbench) -> Front {
        Front {
            workbench,
            entries: Remembered::new(CAPACITY_BYTES / 2),
            flights: Mutex::new(HashMap::new()),
        }
    }

    /// Leads the computation of `key`'s answer, or follows the request already leading it.
    fn flight(self: &Arc<Self>, key: &str) -> Flight {
        let mut flights = self.flights.lock().unwrap_or_else(PoisonError::into_inner);
        match flights.get(key) {
            // Created under the lock: woken by the leader's `notify_waiters` even if that
            // comes before it is first polled.
            Some(notify) => Flight::Follows(notify.clone().notified_owned()),
            None => {
                flights.insert(key.to_owned(), Arc::new(tokio::sync::Notify::new()));
                Flight::Leads(FlightGuard {
                    front: self.clone(),
                    key: key.to_owned(),
                })
            }
        }
    }

    /// The key of a request the front may answer.
    fn key(req: &Request) -> Option<String> {
        if req.method() != Method::GET
            || req.headers().contains_key(header::IF_NONE_MATCH)
            || !cached_route(req.uri().path())
        {
            return None;
        }
        let headers = req.headers();
        let value = |name: &header::HeaderName| {
            headers
                .get(name)
                .map(HeaderValue::as_bytes)
                .unwrap_or_default()
        };
        let session = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == crate::auth::SESSION_COOKIE)
            .map(|(_, v)| v)
            .unwrap_or_default();
        let uri = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let parts: [&[u8]; 6] = [
            value(&header::AUTHORIZATION),
            value(&header::HeaderName::from_static("x-api-key")),
            session.as_bytes(),
            uri.as_bytes(),
            value(&header::ACCEPT),
            value(&header::ACCEPT_ENCODING),
        ];
        let mut key = Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
        for part in parts {
            key.extend_from_slice(part);
            key.push(b'\n');
        }
        // Header values are visible ASCII, so this never fails for a request that got here.
        String::from_utf8(key).ok()
    }

    fn answer(&self, key: &str) -> Option<Response> {
        let entry = self.entries.current(key, self.workbench.generation())?;
        Some(entry.respond())
    }

    /// Keeps an answer the layers gave, if it may be given again; `gzip` when the client accepts
    /// gzip and the layers were asked for the page uncompressed.
    async fn keep(&self, key: String, generation: u64, gzip: bool, response: Response) -> Response {
        let nonce = response
            .extensions()
            .get::<CspNonce>()
            .map(|n| n.0.clone())
            .unwrap_or_default();
        let compressed = response.headers().contains_key(header::CONTENT_ENCODING);
        if response.extensions().get::<Rememberable>().is_none()
            || response.status() != StatusCode::OK
            || response.headers().contains_key(header::SET_COOKIE)
            || (compressed && !nonce.is_empty())
        {
            return response;
        }
        let (parts, body) = response.into_parts();
        let body = match axum::body::to_bytes(body, LARGEST).await {
            Ok(body) => body,
            Err(e) => {
                tracing::error!(error = %e, "could not read an answer to keep");
                return HttpError::new("internal", "the answer could not be read").into_response();
            }
        };
        let mut headers = parts.headers.clone();
        headers.remove(header::CONTENT_LENGTH);
        let page = !nonce.is_empty();
        if page {
            headers.remove(header::CONTENT_SECURITY_POLICY);
        }
        let segments = split_at(&body, &nonce);
        let body = if gzip && !compressed {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            let varies = headers.get_all(header::VARY).iter().any(|v| {
                v.to_str()
                    .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
            });
            if !varies {
                headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
            FrontBody::Gzip(SplicedGzip::new(&segments, nonce.len()))
        } else {
            FrontBody::Plain {
                segments,
                size: body.len(),
            }
        };
        let entry = Arc::new(FrontEntry {
            stamp: Stamp::new(generation),
            status: parts.status,
            headers,
            body,
            page,
        });
        self.entries.insert(key, entry.clone());
        entry.respond()
    }
}

/// The front as a layer (see [`Front`]).
#[derive(Clone)]
pub struct FrontLayer(Arc<Front>);

impl FrontLayer {
    pub fn new(front: Front) -> FrontLayer {
        FrontLayer(Arc::new(front))
    }
}

impl<S> tower::Layer<S> for FrontLayer {
    type Service = FrontService<S>;

    fn layer(&self, inner: S) -> FrontService<S> {
        FrontService {
            inner,
            front: self.0.clone(),
        }
    }
}

#[derive(Clone)]
pub struct FrontService<S> {
    inner: S,
    front: Arc<Front>,
}

type Boxed =
    std::pin::Pin<Box<dyn Future<Output = Result<Response, std::convert::Infallible>> + Send>>;

/// An answer given at once, or the layers' answer on its way.
pub enum FrontFuture {
    Ready(Option<Response>),
    Layers(Boxed),
}

impl Future for FrontFuture {
    type Output = Result<Response, std::convert::Infallible>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        match self.get_mut() {
            FrontFuture::Ready(response) => std::task::Poll::Ready(Ok(response
                .take()
                .unwrap_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response()))),
            FrontFuture::Layers(future) => future.as_mut().poll(cx),
        }
    }
}

impl<S> tower::Service<Request> for FrontService<S>
where
    S: tower::Service<Request, Response = Response, Error = std::convert::Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = FrontFuture;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> FrontFuture {
        let key = Front::key(&req);
        if let Some(response) = key.as_deref().and_then(|k| self.front.answer(k)) {
            return FrontFuture::Ready(Some(response));
        }
        // A page for a client that accepts gzip is asked for uncompressed, to be kept as gzip
        // around its nonce (see `keep`).
        let mut req = req;
        let gzip = key.is_some() && !req.uri().path().starts_with("/api/") && accepts_gzip(&req);
        if gzip {
            req.headers_mut().remove(header::ACCEPT_ENCODING);
        }
        // The service that was made ready answers; a fresh clone waits for the next request.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let front = self.front.clone();
        let flight = key.as_deref().map(|k| front.flight(k));
        FrontFuture::Layers(Box::pin(async move {
            let _leads = match flight {
                Some(Flight::Follows(computed)) => {
                    computed.await;
                    if let Some(response) = key.as_deref().and_then(|k| front.answer(k)) {
                        return Ok(response);
                    }
                    // Not kept (not an answer to give again, or a change meanwhile): this
                    // request asks the layers itself.
                    None
                }
                Some(Flight::Leads(guard)) => Some(guard),
                None => None,
            };
            // Read before the layers run: a change while they run leaves their answer already
            // stale.
            let generation = front.workbench.generation();
            let response = inner.call(req).await?;
            Ok(match key {
                Some(key) => front.keep(key, generation, gzip, response).await,
                None => response,
            })
        }))
    }
}

/// Whether the request's `Accept-Encoding` lists gzip (or `*`) without `q=0`.
fn accepts_gzip(req: &Request) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut params = item.split(';').map(str::trim);
            let coding = params.next().unwrap_or_default();
            let refused = params.any(|p| {
                p.split_once('=').is_some_and(|(k, q)| {
                    k.trim().eq_ignore_ascii_case("q") && q.trim().parse::<f32>() == Ok(0.0)
                })
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

/// Parts joined with `nonce` between them.
fn join(parts: &[Bytes], size: usize, nonce: &str) -> Bytes {
    match parts {
        [one] => one.clone(),
        parts => {
            let mut joined = Vec::with_capacity(size + parts.len() * nonce.len());
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    joined.extend_from_slice(nonce.as_bytes());
                }
                joined.extend_from_slice(part);
            }
            Bytes::from(joined)
        }
    }
}

/// The body cut at every occurrence of `nonce` (whole when there is none).
fn split_at(body: &Bytes, nonce: &str) -> Vec<Bytes> {
    if nonce.is_empty() {
        return vec![body.clone()];
    }
    let needle = nonce.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while at + needle.len() <= body.len() {
        if &body[at..at + needle.len()] == needle {
            parts.push(body.slice(start..at));
            at += needle.len();
            start = at;
        } else {
            at += 1;
        }
    }
    parts.push(body.slice(start..));
    parts
}

/// `If-None-Match: "a", W/"b"` (or `*`) against an ETag, by weak comparison as RFC 9110 says.
fn matches_any(wanted: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(wanted) = wanted.to_str() else {
        return false;
    };
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let etag = bare(etag.to_str().unwrap_or_default());
    wanted
        .split(',')
        .any(|t| t.trim() == "*" || bare(t) == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_accepted_as_browsers_and_clients_say() {
        let asks = |value: &str| {
            let req = http::Request::get("/")
                .header(header::ACCEPT_ENCODING, value)
                .body(Body::empty())
                .unwrap();
            accepts_gzip(&req)
        };
        assert!(asks("gzip, deflate, br, zstd"));
        assert!(asks("br;q=1.0, GZIP;q=0.5"));
        assert!(asks("*"));
        assert!(!asks("br"));
        assert!(!asks("br, gzip;q=0"));
        assert!(!asks("gzip; q=0.0"));
        assert!(!asks("identity"));
        assert!(!accepts_gzip(
            &http::Request::get("/").body(Body::empty()).unwrap()
        ));
    }

    #[test]
    fn the_reads_every_visitor_makes_are_cached_and_nothing_else() {
        for path in [
            "/",
            "/products/sales.orders",
            "/domains/sales",
            "/teams",
            "/mesh",
            "/api/v1/search",
            "/api/v1/products",
            "/api/v1/products/sales.orders",
        ] {
            assert!(cached_route(path), "{path}");
        }
        for path in [
            "/register",
            "/products/sales.orders/edit",
            "/settings/tokens",
            "/lineage",
            "/api/v1/products/sales.orders/document",
            "/api/v1/tokens",
            "/api/v1/drafts",
            "/rpc/lineage",
        ] {
            assert!(!cached_route(path), "{path}");
        }
    }

    #[test]
    fn a_page_is_joined_again_with_the_new_nonce() {
        let body = Bytes::from_static(b"<script nonce=\"abc\">1</script><script nonce=\"abc\">");
        let parts = split_at(&body, "abc");
        assert_eq!(parts.len(), 3);
        let entry = Entry {
            stamp: Stamp::new(1),
            headers: HeaderMap::new(),
            segments: parts,
            size: body.len(),
            etag: None,
        };
        let response = entry.respond("xyz", None);
        let bytes = futures_body(response);
        assert_eq!(
            bytes,
            "<script nonce=\"xyz\">1</script><script nonce=\"xyz\">"
        );
    }

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists() {
        let etag = HeaderValue::from_static("\"3.00ff\"");
        for wanted in ["\"3.00ff\"", "W/\"3.00ff\"", "\"x\", \"3.00ff\"", "*"] {
            assert!(
                matches_any(&HeaderValue::from_str(wanted).unwrap(), &etag),
                "{wanted}"
            );
        }
        assert!(!matches_any(&HeaderValue::from_static("\"3\""), &etag));
    }

    /// A front whose layers count their calls, take a while, and answer `status`.
    async fn counted_front(
        status: StatusCode,
    ) -> (
        FrontService<tower::util::BoxCloneSyncService<Request, Response, std::convert::Infallible>>,
        Arc<std::sync::atomic::AtomicUsize>,
        std::path::PathBuf,
    ) {
        let dir =
            std::env::temp_dir().join(format!("meshwork-front-{}", leptos::nonce::Nonce::new()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = store::Store::open(&format!("sqlite://{}", dir.join("db.sqlite").display()))
            .await
            .unwrap();
        let front = Front::new(Workbench::new(store, workbench::WorkbenchConfig::default()));
        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = calls.clone();
        let layers = tower::service_fn(move |_req: Request| {
            let calls = counted.clone();
            async move {
                let n = calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(40)).await;
                let mut response = Response::new(Body::from(format!("answer {n}")));
                *response.status_mut() = status;
                response.extensions_mut().insert(Rememberable);
                Ok::<_, std::convert::Infallible>(response)
            }
        });
        let service = tower::Layer::layer(
            &FrontLayer::new(front),
            tower::util::BoxCloneSyncService::new(layers),
        );
        (service, calls, dir)
    }

    async fn ask_at_once(
        service: &FrontService<
            tower::util::BoxCloneSyncService<Request, Response, std::convert::Infallible>,
        >,
        count: usize,
    ) -> Vec<(StatusCode, String)> {
        let asks = (0..count).map(|_| {
            let service = service.clone();
            tokio::spawn(async move {
                let req = http::Request::get("/api/v1/products")
                    .body(Body::empty())
                    .unwrap();
                let response = tower::ServiceExt::oneshot(service, req).await.unwrap();
                let status = response.status();
                let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .unwrap();
                (status, String::from_utf8(body.to_vec()).unwrap())
            })
        });
        let mut answers = Vec::new();
        for ask in asks.collect::<Vec<_>>() {
            answers.push(ask.await.unwrap());
        }
        answers
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_missing_answer_asked_for_at_once_is_computed_once() {
        let (service, calls, dir) = counted_front(StatusCode::OK).await;
        let answers = ask_at_once(&service, 24).await;
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(
            answers
                .iter()
                .all(|a| *a == (StatusCode::OK, String::from("answer 0"))),
            "{answers:?}"
        );
        // Kept: asking again computes nothing.
        assert_eq!(ask_at_once(&service, 4).await[0].1, "answer 0");
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_answer_not_kept_leaves_every_waiting_request_to_ask_itself() {
        let (service, calls, dir) = counted_front(StatusCode::NOT_FOUND).await;
        let answers = ask_at_once(&service, 8).await;
        // Nobody is left waiting, and nobody is given another request's answer as kept.
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 8);
        let mut bodies: Vec<&str> = answers.iter().map(|(_, b)| b.as_str()).collect();
        bodies.sort_unstable();
        bodies.dedup();
        assert_eq!(bodies.len(), 8);
        assert!(answers.iter().all(|(s, _)| *s == StatusCode::NOT_FOUND));
        std::fs::remove_dir_all(dir).ok();
    }

    fn futures_body(response: Response) -> String {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let bytes = rt
            .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }
}
