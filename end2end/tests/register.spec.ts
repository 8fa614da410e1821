import { expect, test } from "@playwright/test";
import { hydrated, signIn, signOut } from "./helpers";

// The whole self-serve path: sign in, register a product with two output ports and an input port
// in the wizard, find it by search and facet, open it, edit it, and see that another team's
// member cannot edit it.
test("register, find, open and edit a data product", async ({ page }) => {
  const word = `pw${Date.now().toString(36)}`;
  const name = `Returns forecast ${word}`;

  await signIn(page, "alice", "/register");
  await expect(page).toHaveURL(/\/register/);
  await hydrated(page);

  // Step 1: basics. The id follows the name and is checked live.
  await page.getByLabel("Name", { exact: true }).fill(name);
  await expect(page.getByLabel("Id")).toHaveValue(`sales.returns-forecast-${word}`);
  await expect(page.getByTestId("id-available")).toBeVisible();
  await page.getByLabel("Type").selectOption("consumerAligned");
  await page.getByLabel("Purpose").fill("Expected **returns** per day, for planning refunds.");
  await page.getByLabel("Tags").fill(`forecast, ${word}`);
  await page.getByTestId("wizard-next").click();

  // Step 2: two output ports, each served from somewhere.
  await expect(page.getByRole("heading", { name: "Output ports" })).toBeVisible();
  await page.locator("#port-0-name").fill("forecast-table");
  await page.locator("#port-0-server-host").fill("pg.acme.internal");
  await page.locator("#port-0-server-port").fill("5432");
  await page.locator("#port-0-server-database").fill("analytics");
  await page.locator("#port-0-server-schema").fill("forecasts");
  await page.getByTestId("add-output-port").click();
  await page.locator("#port-1-name").fill("forecast-api");
  await page.locator("#port-1-type").selectOption("api");
  await page.locator("#port-1-server").selectOption("api");
  await page.locator("#port-1-server-location").fill("https://api.acme.internal/forecasts");
  await page.getByTestId("wizard-next").click();

  // Step 3: the contracts' schemas.
  await expect(page.getByRole("heading", { name: "Contracts" })).toBeVisible();
  const first = page.locator('[data-contract-index="0"]');
  await first.getByTestId("add-field").click();
  await first.getByLabel("Name of field 2").fill("expected_refunds");
  await first.getByLabel("Logical type of expected_refunds").selectOption("number");
  await first.getByLabel("Classification of expected_refunds").selectOption("confidential");
  const second = page.locator('[data-contract-index="1"]');
  await second.getByTestId("add-field").click();
  await second.getByLabel("Name of field 2").fill("forecast_date");
  await second.getByLabel("Logical type of forecast_date").selectOption("date");
  await page.getByTestId("wizard-next").click();

  // Step 4: SLA and quality.
  await expect(page.getByRole("heading", { name: "SLA & quality" })).toBeVisible();
  await page.locator("#sla-0-latency").fill("1");
  await page.locator("#sla-0-availability").fill("99.5");
  await page.locator("#sla-1-availability").fill("99.9");
  await page.getByTestId("add-rule").first().click();
  await page.getByTestId("wizard-next").click();

  // Step 5: an upstream output port, picked from a searchable list.
  await expect(page.getByRole("heading", { name: "Input ports" })).toBeVisible();
  await page.getByPlaceholder("Search products and ports").fill("returns");
  await page.getByRole("button", { name: "Add Returns · returns-table" }).click();
  await expect(page.getByTestId("declared-inputs")).toContainText("urn:datacontract:sales:returns");
  await page.getByTestId("wizard-next").click();

  // Step 6: review and publish.
  await expect(page.getByTestId("odps-yaml")).toContainText(`id: sales.returns-forecast-${word}`);
  await expect(page.getByTestId("ready")).toBeVisible();
  await page.getByTestId("publish").click();

  await expect(page).toHaveURL(new RegExp(`/products/sales\\.returns-forecast-${word}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.locator('[data-port="forecast-table"]')).toContainText("expected_refunds");
  await expect(page.locator('[data-port="forecast-api"]')).toBeVisible();
  await expect(page.locator(".input-port")).toContainText("Returns");

  // Find it by search, then narrow by a facet.
  await page.goto(`/?q=${word}`);
  await expect(page.getByTestId("result-count")).toContainText("1 data product");
  await page.locator('.facet a[data-facet="type"][data-value="consumerAligned"]').click();
  await expect(page).toHaveURL(/type=consumerAligned/);
  const card = page.locator(`[data-product="sales.returns-forecast-${word}"]`);
  await expect(card).toBeVisible();
  await card.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);

  // Edit it: the same wizard, filled in.
  await hydrated(page);
  await page.getByTestId("edit-product").click();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);
  await hydrated(page);
  await page.getByLabel("Name", { exact: true }).fill(`${name} v2`);
  await page.locator('button[data-step="6"]').click();
  await expect(page.getByTestId("ready")).toBeVisible();
  await page.getByTestId("publish").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${name} v2`);

  // Someone from another team may read it but not edit it.
  const productUrl = page.url();
  await signOut(page);
  await signIn(page, "bob", new URL(productUrl).pathname);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${name} v2`);
  await expect(page.getByTestId("edit-product")).toHaveCount(0);
  await page.goto(`${new URL(productUrl).pathname}/edit`);
  await expect(page.getByRole("alert")).toContainText("only members of team 'sales-analytics'");
});
