//! Running commands and waiting for servers.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub type Result<T = ()> = std::result::Result<T, String>;

/// Runs a command in the repository root, inheriting the terminal; fails unless it succeeds.
pub fn run(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result {
    run_in(".", program, args, env)
}

pub fn run_in(dir: &str, program: &str, args: &[&str], env: &[(&str, &str)]) -> Result {
    println!("\n$ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .status()
        .map_err(|e| format!("could not start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// The trimmed standard output of a command, if it ran and succeeded.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A fresh scratch directory under the system's temporary directory, named for `what` and this
/// process.
pub fn scratch(what: &str) -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("meshwork-{what}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

/// The server and the UI as users run them: the WASM split into a chunk per lazy page
/// (`app/src/routes.rs`), optimised and precompressed in release builds.
pub fn build_site(release: bool) -> Result {
    if release {
        run(
            "cargo",
            &["leptos", "build", "--release", "--precompress", "--split"],
            &[],
        )
    } else {
        run("cargo", &["leptos", "build", "--split"], &[])
    }
}

/// The release `meshwork` binary without the UI's WASM (for benchmarks of the server alone).
pub fn build_server() -> Result {
    run(
        "cargo",
        &[
            "build",
            "--release",
            "--package",
            "server",
            "--bin",
            "meshwork",
        ],
        &[],
    )
}

pub fn exists(path: &str) -> bool {
    Path::new(path).exists()
}

/// A TCP port nobody listens on right now.
pub fn free_port() -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// A server process that is killed when dropped.
pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `meshwork serve` and waits until `/readyz` answers.
pub fn start_server(
    binary: &str,
    port: u16,
    data_dir: &str,
    extra_args: &[&str],
    env: &[(&str, &str)],
    log: &str,
) -> Result<Server> {
    let addr = format!("127.0.0.1:{port}");
    let log_file = std::fs::File::create(log).map_err(|e| format!("{log}: {e}"))?;
    let mut args = vec!["serve", "--addr", addr.as_str()];
    args.extend_from_slice(extra_args);
    let child = Command::new(binary)
        .args(&args)
        .env("MESHWORK_DATA_DIR", data_dir)
        .env("LEPTOS_SITE_ROOT", "target/site")
        .envs(env.iter().copied())
        .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
        .stderr(log_file)
        .spawn()
        .map_err(|e| format!("could not start {binary}: {e}"))?;
    let server = Server {
        child,
        url: format!("http://{addr}"),
    };
    let socket: SocketAddr = addr.parse().map_err(|e| format!("{e}"))?;
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&socket, Duration::from_millis(200)).is_ok()
            && http_ok(&socket, "/readyz")
        {
            return Ok(server);
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    Err(format!(
        "the server on {addr} did not become ready; see {log}"
    ))
}

/// A minimal HTTP GET that reports whether the answer is 200.
pub fn http_ok(addr: &SocketAddr, path: &str) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = TcpStream::connect_timeout(addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut buf = [0u8; 16];
    matches!(stream.read(&mut buf), Ok(n) if n >= 12 && &buf[9..12] == b"200")
}
