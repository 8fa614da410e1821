import { expect, test } from "@playwright/test";
import { hydrated, signIn, signOut } from "./helpers";

// A platform admin writes a policy in the form of its kind (a draft), then takes it to
// enforcement from its page: enforcing is refused until a dry-run has shown what the policy
// would do; from the dry-run's answer the policy starts in grace, and is enforced after.
test("a policy is written in its form and enabled from its page through a dry-run", async ({ page }) => {
  const id = `pw-usage-${Date.now().toString(36)}`;
  await signIn(page, "admin", "/governance/policies");
  await hydrated(page);
  await page.getByTestId("new-policy").click();
  await expect(page.getByRole("heading", { name: "New policy" })).toBeVisible();
  // The kind decides the parameters the form asks for.
  await page.getByLabel("Kind").selectOption("min-length");
  await page.getByRole("button", { name: "Choose" }).click();
  await expect(page).toHaveURL(/kind=min-length/);
  await hydrated(page);
  const form = page.getByTestId("policy-form");
  await form.locator('input[name="id"]').fill(id);
  await form.locator('input[name="title"]').fill("Usage is described in at least 400 characters");
  await form.locator('textarea[name="rationale"]').fill("Consumers decide from the usage notes whether a product fits.");
  // The kind's own parameters, typed: a JSON Pointer and a number.
  await form.locator('input[name="field"]').fill("/description/usage");
  await expect(form.locator('input[name="min"]')).toHaveAttribute("type", "number");
  await form.locator('input[name="min"]').fill("400");
  // Scoped to one domain, so that the other specs' publications are not refused by it.
  await form.locator('input[name="domains"]').fill("logistics");
  await form.getByRole("button", { name: "Create the draft" }).click();
  await expect(page).toHaveURL(new RegExp(`/governance/policies/${id}$`));

  const header = page.locator(".policy-header");
  await expect(header).toContainText("Draft");
  await expect(header).toContainText("has not been dry-run yet");

  // Enforcing without a dry-run is refused, and says why.
  await page.getByRole("button", { name: "Enforce now" }).click();
  await expect(page.getByTestId("act-error")).toContainText("dry-run");
  await expect(header).toContainText("Draft");

  await page.getByRole("button", { name: "Dry-run" }).click();
  const result = page.getByTestId("dry-run-result");
  await expect(result).toContainText(/[1-9]\d* would newly fail/);
  await expect(result.getByRole("link", { name: "Download CSV" })).toBeVisible();
  await expect(header).toContainText("Last dry-run of version 1");

  // "Start in grace until …", straight from the dry-run's answer.
  await result.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("act-message")).toContainText("is in grace until");
  await expect(header).toContainText("Grace · blocks from");
  // A draft is changed in place: still version 1, now in grace.
  await expect(page.locator(".policy-versions li")).toHaveCount(1);

  // Once it has left draft, every change is a new version.
  await header.getByRole("button", { name: "Enforce now" }).click();
  await expect(page.getByTestId("act-message")).toContainText("is enforced");
  await expect(header).toContainText("Enforced");
  await expect(header).toContainText("v2");
  await expect(page.locator(".policy-versions li")).toHaveCount(2);
  await expect(header).toContainText("Applies to domains: logistics");

  // Retired: kept for history, never evaluated again.
  await header.getByRole("button", { name: "Retire" }).click();
  await expect(page.getByTestId("act-message")).toContainText("is now retired");
  await expect(header).toContainText("Retired");
  await expect(page.locator(".policy-versions li")).toHaveCount(3);
});

// The report: a domain × policy matrix; a cell's failing products, then a product's page.
test("the report's cells lead to their failing products and on to a product", async ({ page }) => {
  await page.goto("/governance");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Governance", level: 1 })).toBeVisible();
  await expect(page.locator(".chart-wrap svg")).toBeVisible();
  await expect(page.locator(".chart-wrap svg title").first()).toContainText("Compliance by domain");
  const matrix = page.getByTestId("matrix");
  const cell = matrix.locator("tbody td a.cell-link").first();
  await expect(cell).toBeVisible();
  const failing = Number((await cell.innerText()).split(" ")[0]);
  expect(failing).toBeGreaterThan(0);
  await cell.click();
  await expect(page).toHaveURL(/\/governance\/policies\/[^?]+\?domain=/);
  const rows = page.getByTestId("failing-products").locator("tbody tr");
  await expect(rows).toHaveCount(failing);
  await expect(rows.first()).toContainText("Fix:");
  const product = rows.first().locator("td").first().getByRole("link");
  const name = await product.innerText();
  await product.click();
  await expect(page.locator(".product-header h1")).toHaveText(name);
  await expect(page.getByTestId("governance")).toBeVisible();

  // The team view has the same overall figure.
  await page.goto("/governance");
  const overall = await page.getByTestId("governance-summary").locator(".stat").first().innerText();
  await page.getByRole("link", { name: "By team" }).click();
  await expect(page).toHaveURL(/by=team/);
  await expect(page.getByTestId("governance-summary").locator(".stat").first()).toHaveText(overall);
});

// A product's owner asks for a waiver with a reason and an end date; the requester cannot
// decide it; a platform admin approves it and it is active.
test("a waiver is requested by the product's owner and approved by an admin", async ({ page }) => {
  const reason = `Migration to the new usage template is planned (pw ${Date.now().toString(36)}).`;
  await signIn(page, "alice", "/governance/waivers/new?product=sales.daily-sales&policy=support-channel");
  await hydrated(page);
  const form = page.getByTestId("waiver-form");
  await expect(form.locator('input[name="product"]')).toHaveValue("sales.daily-sales");
  await expect(form.locator('select[name="policy"]')).toHaveValue("support-channel");
  // Too short a reason is refused, naming what to fix.
  await form.locator('textarea[name="reason"]').fill("later");
  await form.getByRole("button", { name: "Request the waiver" }).click();
  await expect(page.getByTestId("act-error")).toContainText("at least 10 characters");

  await form.locator('textarea[name="reason"]').fill(reason);
  await form.getByRole("button", { name: "Request the waiver" }).click();
  await expect(page).toHaveURL(/\/governance\/waivers/);
  const asked = page.getByTestId("waivers-requested").locator("li.waiver", { hasText: reason });
  await expect(asked).toBeVisible();
  // Alice asked: she is not offered the decision.
  await expect(asked.getByRole("button", { name: "Approve" })).toHaveCount(0);

  await signOut(page);
  await signIn(page, "admin", "/governance/waivers");
  await hydrated(page);
  const pending = page.getByTestId("waivers-requested").locator("li.waiver", { hasText: reason });
  await pending.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("act-message")).toContainText("is approved");
  const active = page.getByTestId("waivers-active").locator("li.waiver", { hasText: reason });
  await expect(active).toBeVisible();
  await expect(active).toContainText("approved by admin");
  await expect(page.getByTestId("waivers-requested").locator("li.waiver", { hasText: reason })).toHaveCount(0);
});
