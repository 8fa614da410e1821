// Browser benchmark of the lineage explorer (not a test: nothing is asserted). Opens a focus
// with about a thousand visible nodes in Debian's Chromium and measures, in the page:
//  - expand: from clicking a node's "+N" badge to the first paint after the new graph is in the
//    DOM (server layout, transfer and rendering included), and collapse (Back) the same way;
//  - fit: from pressing "0" (the whole drawing in view, every node drawn) to the paint;
//  - pan and zoom: from a pointer move (or wheel step) to the next paint, over many steps.
// Prints a Markdown table. BASE_URL, FOCUS, UP and DOWN come from `cargo xtask bench browser`;
// TRACE=1 also prints Chromium's timeline summed by kind of work.
import { chromium } from "playwright-core";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const focus = process.env.FOCUS;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
const [up, down] = [process.env.UP ?? "3", process.env.DOWN ?? "3"];
const url = `${base}/lineage?focus=${encodeURIComponent(focus)}&up=${up}&down=${down}&fan=1000&max=5000`;
await page.goto(url, { waitUntil: "networkidle" });
await page.waitForSelector('body[data-hydrated="true"]', { timeout: 60000 });
const visible = async () => parseInt((await page.getByTestId("node-count").innerText()).split(" ")[0], 10);
const nodes = await visible();

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor(s.length * p))];
  return { n: s.length, median: at(0.5), p95: at(0.95) };
};

// Expand and collapse a node with hidden neighbours, several times, timed inside the page: from
// the click on a "+N" badge to the first paint after the new drawing is in the DOM (the server's
// layout, the transfer, decoding and rendering included). The drawing's nodes are written anew
// when a new layout arrives or the view leaves the drawn region, so the end is when the first
// drawn node is a new element. A frame callback followed by a message runs after that frame is
// painted. `action` is "badge" (expand), "back" (collapse) or "fit" (press "0"); `nth` picks a
// badge of a different node for each expand, so that every expand asks for a picture that
// neither the server nor the page has seen before.
const redraw = (action, nth = 0) => page.evaluate(([action, nth]) => new Promise((resolve) => {
  const first = () => document.querySelector('[data-testid="lineage-svg"] g.nodes')?.firstElementChild;
  const old = first();
  const observer = new MutationObserver(() => {
    const now = first();
    if (!now || now === old) return;
    observer.disconnect();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now() - t0);
      channel.port2.postMessage(null);
    });
  });
  observer.observe(document.body, { childList: true, subtree: true });
  // One badge per node (a node's upstream and downstream badges expand the same node).
  const nodes = new Set();
  const badges = [...document.querySelectorAll("a.badge-link")].filter((a) => {
    const node = a.closest("g.lnode")?.getAttribute("data-node");
    return node && !nodes.has(node) && nodes.add(node);
  });
  const canvas = document.querySelector(".lineage-canvas");
  const t0 = performance.now();
  if (action === "back") {
    history.back();
  } else if (action === "fit") {
    canvas.dispatchEvent(new KeyboardEvent("keydown", { key: "0", bubbles: true, cancelable: true }));
  } else {
    // The badge may be outside the visible part of the drawing: click it from inside the page.
    badges[(Math.floor(badges.length / 2) + nth) % badges.length].dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
  }
}), [action, nth]);
const expands = [];
const collapses = [];
// With TRACE=1, Chromium's timeline of the expands is summed by kind of work.
const trace = process.env.TRACE === "1";
if (trace) await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline"] });
for (let i = 0; i < 8; i++) {
  expands.push(await redraw("badge", i));
  collapses.push(await redraw("back"));
}
// Fit the whole drawing in view ("0"): every node is then drawn (labels too small to read are
// left out), the most the browser has to draw at once. Timed from the key press to the paint.
const drawn = () => page.evaluate(() => document.querySelectorAll('[data-testid="lineage-svg"] g.lnode').length);
const nearView = await drawn();
const fits = [];
let allDrawn = 0;
for (let i = 0; i < 5; i++) {
  fits.push(await redraw("fit"));
  allDrawn = await drawn();
  // Back to the view around the focus that the page opens with (an expand and Back would keep
  // the fitted view: a drawing that replaces another starts where that one was looked at).
  await page.goto(url, { waitUntil: "networkidle" });
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 60000 });
}
if (trace) {
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const sums = new Map();
  for (const e of events) {
    if (e.ph !== "X" || !e.dur) continue;
    const name = e.name === "FunctionCall" || e.name === "EvaluateScript" || e.name === "v8.callFunction" ? "Script" : e.name;
    if (!["Script", "ParseHTML", "UpdateLayoutTree", "Layout", "Paint", "PrePaint", "Layerize", "Commit", "HitTest", "ResourceReceivedData"].includes(name)) continue;
    sums.set(name, (sums.get(name) ?? 0) + e.dur / 1000);
  }
  console.log("\nTimeline over the expands and collapses (ms, all samples):");
  for (const [k, v] of [...sums].sort((a, b) => b[1] - a[1])) console.log(`  ${k}: ${v.toFixed(1)}`);
  const fetches = await page.evaluate(() => performance.getEntriesByType("resource")
    .filter((r) => r.name.includes("/rpc/"))
    .map((r) => r.responseEnd - r.startTime));
  console.log(`  fetches: ${fetches.length}, median ${stats(fetches).median.toFixed(1)} ms`);
}
const after = await visible();
// Pan (pointer drag) and zoom (wheel): time from each event to the next paint.
const frames = await page.evaluate(async () => {
  const svg = document.querySelector('[data-testid="lineage-svg"]');
  const r = svg.getBoundingClientRect();
  // The next frame, once painted.
  const frame = () => new Promise((res) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => res(performance.now());
    channel.port2.postMessage(null);
  }));
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
console.log(`\n## Explorer in Chromium (${nodes} nodes in the view; ${after} after the expands and collapses; ${nearView} near the starting view in the DOM)\n`);
console.log("| interaction | samples | median | p95 |\n|---|---|---|---|");
console.log(row("expand a node (click to the next paint, server layout included)", stats(expands)));
console.log(row("collapse it again (Back to the next paint)", stats(collapses)));
console.log(row(`fit the whole drawing in view (${allDrawn} nodes drawn)`, stats(fits)));
console.log(row("pan (pointer move to the next paint)", stats(frames.pan)));
console.log(row("zoom (wheel step to the next paint)", stats(frames.zoom)));
await browser.close();
