import { expect, test } from "@playwright/test";
import { hydrated } from "./helpers";

test("the catalog is readable without the WASM and searchable with facets", async ({ browser }) => {
  // Before any script runs: the server-rendered HTML already lists products.
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const page = await noJs.newPage();
  await page.goto("/");
  await expect(page.getByTestId("result-count")).toContainText("42 data products");
  await page.goto("/?q=customer&domain=customers");
  await expect(page.locator('[data-product="customers.customer-master"]')).toBeVisible();
  await page.goto("/products/sales.orders");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sales Orders");
  await expect(page.getByTestId("consumers")).toContainText("Customer 360");
  await noJs.close();
});

test("the global search is one keystroke away", async ({ page }) => {
  await page.goto("/domains");
  await hydrated(page);
  await page.keyboard.press("/");
  await expect(page.locator("#global-search")).toBeFocused();
  await page.keyboard.type("ledger");
  await page.keyboard.press("Enter");
  await expect(page.locator('[data-product="finance.general-ledger"]')).toBeVisible();
});
