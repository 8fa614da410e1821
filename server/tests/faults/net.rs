//! What the fault tests drive the real binary with: a small HTTP/1.1 client (one connection per
//! request, as a crashing server would leave it), the `meshwork` process itself, and a TCP proxy
//! in front of PostgreSQL that can cut every connection and refuse new ones, as a stopped
//! server does, and let them through again.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::task::AbortHandle;

pub const ADMIN_TOKEN: &str = "faults-admin-token";

/// One request; `Err` when the server did not answer a whole response.
pub async fn call(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let work = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
        let body = body.unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {ADMIN_TOKEN}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        parse(&raw)
    };
    tokio::time::timeout(Duration::from_secs(30), work)
        .await
        .map_err(|_| std::io::Error::other("no answer in 30 s"))?
}

fn parse(raw: &[u8]) -> std::io::Result<(u16, String)> {
    let broken = || std::io::Error::other("incomplete response");
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(broken)?;
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(broken)?;
    let head = head.to_ascii_lowercase();
    let body = if head.contains("transfer-encoding: chunked") {
        let mut out = String::new();
        let mut rest = body;
        loop {
            let (size, after) = rest.split_once("\r\n").ok_or_else(broken)?;
            let size = usize::from_str_radix(size.trim(), 16).map_err(|_| broken())?;
            if size == 0 {
                break;
            }
            out.push_str(after.get(..size).ok_or_else(broken)?);
            rest = after.get(size + 2..).ok_or_else(broken)?;
        }
        out
    } else {
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok());
        match length {
            Some(n) if body.len() < n => return Err(broken()),
            _ => body.to_owned(),
        }
    };
    Ok((status, body))
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The real `meshwork serve`, killed when dropped.
pub struct Meshwork {
    child: Child,
    pub port: u16,
}

impl Meshwork {
    /// Starts on `data_dir` (SQLite there, or `database_url`), logging into `log`.
    pub fn start(data_dir: &Path, database_url: Option<&str>, log: &Path) -> Meshwork {
        let port = free_port();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("open the server log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_meshwork"));
        command
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("MESHWORK_DATA_DIR", data_dir)
            .env("MESHWORK_ADMIN_TOKEN", ADMIN_TOKEN)
            .env("MESHWORK_LOG", "warn")
            .env_remove("DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(log);
        if let Some(url) = database_url {
            command.env("DATABASE_URL", url);
        }
        let child = command.spawn().expect("start meshwork");
        Meshwork { child, port }
    }

    /// Waits until `/readyz` answers 200.
    pub async fn ready(&mut self) {
        let start = Instant::now();
        loop {
            if let Ok((200, _)) = call(self.port, "GET", "/readyz", None).await {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("meshwork exited while starting: {status}");
            }
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "meshwork was not ready within 120 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown code runs, nothing is flushed.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Meshwork {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A temporary directory, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("meshwork-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a scratch directory");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A TCP proxy to `upstream` that can be stopped (every connection cut, new ones refused) and
/// started again on the same port.
pub struct Proxy {
    pub port: u16,
    upstream: SocketAddr,
    tasks: Arc<Mutex<Vec<AbortHandle>>>,
}

impl Proxy {
    pub fn new(upstream: SocketAddr) -> Proxy {
        Proxy {
            port: free_port(),
            upstream,
            tasks: Arc::default(),
        }
    }

    pub fn start(&self) {
        let socket = TcpSocket::new_v4().expect("a socket");
        socket.set_reuseaddr(true).expect("SO_REUSEADDR");
        socket
            .bind(SocketAddr::from(([127, 0, 0, 1], self.port)))
            .expect("bind the proxy's port");
        let listener = socket.listen(128).expect("listen");
        let (upstream, tasks) = (self.upstream, self.tasks.clone());
        let accepting = tokio::spawn({
            let tasks = tasks.clone();
            async move {
                while let Ok((mut client, _)) = listener.accept().await {
                    let relay = tokio::spawn(async move {
                        if let Ok(mut server) = TcpStream::connect(upstream).await {
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        }
                    });
                    lock(&tasks).push(relay.abort_handle());
                }
            }
        });
        lock(&tasks).push(accepting.abort_handle());
    }

    /// Cuts every connection and stops listening.
    pub fn stop(&self) {
        for task in lock(&self.tasks).drain(..) {
            task.abort();
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
