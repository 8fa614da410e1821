import { expect, test } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

const viewBox = (page) => page.getByTestId("lineage-svg").getAttribute("viewBox");

// The lineage explorer on the demo mesh: expand a node, find nodes, highlight a path, pan and
// zoom with mouse and keyboard (drawing only what is near the view), and export the impact list as CSV.
test("explore lineage: expand, search, path, pan and zoom, impact CSV", async ({ page }) => {
  await page.goto("/lineage?focus=product%3Asales.orders");
  await hydrated(page);
  const count = async () => parseInt((await page.getByTestId("node-count").innerText()).split(" ")[0], 10);
  const before = await count();
  expect(before).toBeGreaterThan(5);
  await page.getByRole("button", { name: "Fit" }).click();

  // Expand Customer 360's downstream neighbours with its "+N" badge.
  const c360 = page.locator('[data-node="product:customers.customer-360"]');
  await expect(c360).toBeVisible();
  await c360.locator("a.badge-link").last().click();
  await expect(page).toHaveURL(/expand=product%3Acustomers\.customer-360/);
  // The toolbar's links follow the URL in place: a deeper view keeps the expansion.
  await expect(page.getByRole("link", { name: "Downstream: more levels" })).toHaveAttribute("href", /expand=product%3Acustomers\.customer-360/);
  await expect(page.locator('[data-node="product:customers.customer-segments"]')).toHaveCount(1);
  expect(await count()).toBeGreaterThan(before);

  // Find in the graph highlights the matches as you type.
  await page.getByTestId("find-in-graph").fill("revenue");
  await expect(page.getByTestId("match-count")).toContainText("match");
  expect(await page.locator("g.lnode.match").count()).toBeGreaterThan(0);
  await page.getByTestId("find-in-graph").fill("");

  // Select Sales Orders, start a path there, select Customer Segments, end it there.
  await page.getByRole("button", { name: "Fit" }).click();
  await page.locator('[data-node="product:sales.orders"] a.lnode-link').click();
  await expect(page.getByTestId("panel-title")).toHaveText("Sales Orders");
  // The selection changes in place: one node selected, the edges it touches marked.
  await expect(page.locator("g.lnode.selected")).toHaveCount(1);
  await expect(page.locator('g.lnode.selected[data-node="product:sales.orders"]')).toHaveCount(1);
  expect(await page.locator('path.ledge.touches[data-from="product:sales.orders"], path.ledge.touches[data-to="product:sales.orders"]').count()).toBeGreaterThan(0);
  expect(await page.locator("path.ledge.touches").count()).toBe(
    await page.locator('path.ledge[data-from="product:sales.orders"], path.ledge[data-to="product:sales.orders"]').count());
  // Tooltips are added when the pointer first comes over a node or badge.
  const orders = page.locator('[data-node="product:sales.orders"] a.lnode-link');
  await orders.hover();
  await expect(orders.locator(":scope > title")).toHaveText(/Sales Orders \(product\)/);
  await page.getByTestId("path-from").click();
  await page.getByRole("button", { name: "Fit" }).click();
  await page.locator('[data-node="product:customers.customer-segments"] a.lnode-link').click();
  await expect(page.getByTestId("panel-title")).toHaveText("Customer Segments");
  await page.getByTestId("path-to").click();
  await expect(page.getByTestId("path-info")).toContainText("Path of 2 steps");
  await expect(page.locator('g.lnode.on-path[data-node="product:customers.customer-360"]')).toHaveCount(1);
  await expect(page.locator("path.ledge.on-path")).toHaveCount(2);

  // Pan by dragging, zoom with the keyboard; only the viewBox changes.
  const start = await viewBox(page);
  const box = await page.getByTestId("lineage-svg").boundingBox();
  await page.mouse.move(box.x + 40, box.y + 40);
  await page.mouse.down();
  await page.mouse.move(box.x + 240, box.y + 140, { steps: 5 });
  await page.mouse.up();
  const panned = await viewBox(page);
  expect(panned).not.toEqual(start);
  await page.locator(".lineage-canvas").focus();
  await page.keyboard.press("+");
  const zoomed = (await viewBox(page)).split(" ").map(Number);
  expect(zoomed[2]).toBeLessThan(panned.split(" ").map(Number)[2]);

  // Only the nodes near the view are in the DOM: zoomed far in, the others leave it; fitting
  // the whole drawing brings them all back.
  await page.keyboard.press("0");
  const all = await page.locator("g.lnode").count();
  for (let i = 0; i < 10; i++) await page.keyboard.press("+");
  await expect.poll(() => page.locator("g.lnode").count()).toBeLessThan(all);
  await page.keyboard.press("0");
  await expect.poll(() => page.locator("g.lnode").count()).toBe(all);

  // Impact analysis of Sales Orders, exported as CSV.
  await page.goto("/lineage/impact?node=product%3Asales.orders");
  await expect(page.getByTestId("impact-summary")).toContainText("downstream data products");
  await expect(page.locator('[data-product="finance.kpi-dashboard"]')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("impact-csv").click()]);
  const path = await download.path();
  const csv = require("fs").readFileSync(path, "utf8");
  expect(csv.split("\n")[0]).toContain("product_id,name,domain,team,status,depth,observed,path");
  expect(csv).toContain("customers.customer-360");
  expect(csv).toContain("finance.kpi-dashboard");
});

test("a product page shows its lineage, freshness and drift; the mesh map shows the domains", async ({ page }) => {
  await page.goto("/products/finance.monthly-pnl");
  await expect(page.getByTestId("product-lineage")).toBeVisible();
  await expect(page.getByTestId("freshness")).toContainText("refreshed");
  await expect(page.locator('[data-drift="undeclared"]')).toContainText("sales.daily-sales");
  await page.getByTestId("open-explorer").click();
  await expect(page).toHaveURL(/\/lineage\?focus=product%3Afinance\.monthly-pnl/);
  await expect(page.locator('[data-node="product:finance.monthly-pnl"]')).toHaveCount(1);

  // The product page's picture is drawn on the server; its SVG links are followed by the router
  // (no page load), as the explorer's are.
  await page.goto("/products/finance.monthly-pnl");
  await hydrated(page);
  await page.evaluate(() => ((window as any).__samePage = true));
  const picture = page.getByTestId("product-lineage").getByTestId("lineage-svg");
  await expect(picture).toBeVisible();
  await picture.locator('[data-node="product:finance.monthly-pnl"] a.lnode-link').click();
  await expect(page).toHaveURL(/\/lineage\?focus=product%3Afinance\.monthly-pnl/);
  await expect(page.getByTestId("node-count")).toBeVisible();
  expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);

  await page.goto("/mesh");
  await expect(page.getByTestId("mesh-map")).toBeVisible();
  await expect(page.locator('[data-domain="sales"]')).toBeVisible();
  await expect(page.getByTestId("flow-table")).toContainText("Sales");
});

test("the lineage explorer is readable without the WASM", async ({ browser }) => {
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const page = await noJs.newPage();
  await page.goto("/lineage?focus=product%3Asales.orders&down=2");
  await expect(page.locator('[data-node="product:customers.customer-360"]')).toHaveCount(1);
  // Every control is a link: upstream depth goes up with a plain click.
  await page.getByRole("link", { name: "Upstream: more levels" }).click();
  await expect(page.getByTestId("depth-upstream")).toHaveText("2");
  await noJs.close();
});

test("the wizard refuses an input port that would close a cycle, naming it", async ({ page }) => {
  await signIn(page, "alice", "/products/sales.orders/edit");
  await hydrated(page);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Sales Orders");
  await page.locator('button[data-step="5"]').click();
  await expect(page.getByRole("heading", { name: "Input ports" })).toBeVisible();
  // Daily Sales reads Sales Orders: reading it back would close a loop.
  await page.getByPlaceholder("Search products and ports").fill("daily");
  await page.getByRole("button", { name: "Add Daily Sales · daily-sales-table" }).click();
  await page.locator('button[data-step="6"]').click();
  const finding = page.locator(".finding.error", { hasText: "would close a cycle" });
  await expect(finding).toContainText("sales.orders → sales.daily-sales → sales.orders");
  await expect(page.getByTestId("publish")).toBeDisabled();
});
