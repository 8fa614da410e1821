// What a first visit costs: opens each page in a fresh Chromium context (nothing cached), waits
// until it is hydrated, and lists everything the page loaded until then (HTML, CSS, JS, WASM and
// any lazy chunk). Chromium asks plain-HTTP servers for gzip only, so each of those files is then
// fetched again with the `Accept-Encoding` it sends over HTTPS (`gzip, deflate, br, zstd`) to count
// the bytes a browser over HTTPS receives: brotli for the static files, gzip for the page (the
// server keeps pages compressed as gzip around their nonce).
// Also times navigation start → hydrated. Prints one JSON line per page for `cargo xtask test`
// (which holds the budget) and `cargo xtask bench`. BASE_URL and PAGES (comma-separated paths)
// come from the caller.
import { chromium } from "playwright-core";
import http from "node:http";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const pages = (process.env.PAGES ?? "/").split(",");
const runs = Number(process.env.RUNS ?? "3");

function httpsBytes(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { "accept-encoding": "gzip, deflate, br, zstd" } }, (res) => {
      let n = 0;
      res.on("data", (chunk) => (n += chunk.length));
      res.on("end", () => resolve({ bytes: n, encoding: res.headers["content-encoding"] ?? "identity" }));
    });
    req.on("error", reject);
  });
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
for (const path of pages) {
  const times = [];
  let files = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    // Time from navigation start to the moment the app marks the body hydrated.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.body?.dataset.hydrated === "true") {
          window.__hydratedAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] });
    });
    await page.goto(base + path);
    await page.waitForFunction(() => window.__hydratedAt !== undefined, null, { timeout: 60000 });
    const seen = await page.evaluate(() => ({
      at: window.__hydratedAt,
      urls: [location.href, ...performance.getEntriesByType("resource")
        .filter((r) => r.startTime <= window.__hydratedAt)
        .map((r) => r.name)],
    }));
    times.push(seen.at);
    files = seen.urls.filter((u) => u.startsWith(base));
    await context.close();
  }
  const sizes = [];
  for (const url of [...new Set(files)]) {
    const { bytes, encoding } = await httpsBytes(url);
    sizes.push({ file: url.slice(base.length) || "/", bytes, encoding });
  }
  times.sort((a, b) => a - b);
  const total = sizes.reduce((sum, f) => sum + f.bytes, 0);
  console.log(JSON.stringify({ page: path, total_bytes: total, hydrated_ms: Math.round(times[Math.floor(times.length / 2)]), files: sizes }));
}
await browser.close();
