// Browser benchmark of the lineage explorer (not a test: nothing is asserted). Opens a focus
// with about a thousand visible nodes in Debian's Chromium and measures, in the page:
//  - expand: from clicking a node's "+N" badge to the next frame after the new graph is in the DOM
//    (server layout, transfer and rendering included);
//  - pan and zoom: from a pointer move (or wheel step) to the next frame, over many steps.
// Prints a Markdown table. BASE_URL and FOCUS come from `cargo xtask bench browser`.
import { chromium } from "playwright-core";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const focus = process.env.FOCUS;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
const depth = process.env.DEPTH ?? "3";
const url = `${base}/lineage?focus=${encodeURIComponent(focus)}&up=${depth}&down=${depth}&fan=1000&max=5000`;
await page.goto(url, { waitUntil: "networkidle" });
await page.waitForSelector('body[data-hydrated="true"]', { timeout: 60000 });
const visible = async () => parseInt((await page.getByTestId("node-count").innerText()).split(" ")[0], 10);
const nodes = await visible();

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor(s.length * p))];
  return { n: s.length, median: at(0.5), p95: at(0.95) };
};

// Expand and collapse a node with hidden neighbours, several times. A new graph replaces the
// drawing (a new <svg>) once it is laid out, sent, and rendered: that is the end of an expand.
const replaced = () => page.waitForFunction(() => {
  const svg = document.querySelector('[data-testid="lineage-svg"]');
  return svg && svg !== window.__drawing;
}, null, { timeout: 60000, polling: "raf" });
const expands = [];
for (let i = 0; i < 6; i++) {
  const t0 = await page.evaluate(() => {
    window.__drawing = document.querySelector('[data-testid="lineage-svg"]');
    const badges = document.querySelectorAll("a.badge-link");
    const t = performance.now();
    // The badge may be outside the visible part of the drawing: click it from inside the page.
    badges[Math.floor(badges.length / 2)].dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
    return t;
  });
  await replaced();
  const t1 = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
  expands.push(t1 - t0);
  await page.evaluate(() => { window.__drawing = document.querySelector('[data-testid="lineage-svg"]'); });
  await page.goBack();
  await replaced();
}
const after = await visible();
// Pan (pointer drag) and zoom (wheel): time from each event to the next frame.
const frames = await page.evaluate(async () => {
  const svg = document.querySelector('[data-testid="lineage-svg"]');
  const r = svg.getBoundingClientRect();
  const frame = () => new Promise((res) => requestAnimationFrame(() => res(performance.now())));
  const pan = [];
  const zoom = [];
  let x = r.left + r.width / 2, y = r.top + r.height / 2;
  svg.dispatchEvent(new PointerEvent("pointerdown", { clientX: x, clientY: y, button: 0, pointerId: 1, bubbles: true }));
  for (let i = 0; i < 60; i++) {
    x += 6; y += (i % 2 ? 3 : -3);
    const t0 = performance.now();
    svg.dispatchEvent(new PointerEvent("pointermove", { clientX: x, clientY: y, buttons: 1, pointerId: 1, bubbles: true }));
    pan.push((await frame()) - t0);
  }
  svg.dispatchEvent(new PointerEvent("pointerup", { clientX: x, clientY: y, pointerId: 1, bubbles: true }));
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    svg.dispatchEvent(new WheelEvent("wheel", { clientX: x, clientY: y, deltaY: i % 2 ? 60 : -60, bubbles: true, cancelable: true }));
    zoom.push((await frame()) - t0);
  }
  return { pan, zoom };
});

const row = (label, s) => `| ${label} | ${s.n} | ${s.median.toFixed(1)} ms | ${s.p95.toFixed(1)} ms |`;
console.log(`\n## Explorer in Chromium (${nodes} visible nodes; ${after} after the expands and collapses)\n`);
console.log("| interaction | samples | median | p95 |\n|---|---|---|---|");
console.log(row("expand a node (click to next frame, server layout included)", stats(expands)));
console.log(row("pan (pointer move to next frame)", stats(frames.pan)));
console.log(row("zoom (wheel step to next frame)", stats(frames.zoom)));
await browser.close();
