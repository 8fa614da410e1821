import { expect, test } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

// Destructive actions are asked twice: the first press says what the action affects and that it
// cannot be undone; Cancel leaves everything as it was; only the confirming button acts.
test("revoking a token asks first, says what it affects, and can be cancelled", async ({ page }) => {
  const name = `pw-confirm-${Date.now().toString(36)}`;
  await signIn(page, "alice", "/settings/tokens");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const row = page.locator("tr", { hasText: name });
  await expect(row).toContainText("active");
  // The owner is a person's name, not an id.
  await expect(row.locator("td").nth(1)).not.toContainText("user ");

  await row.getByTestId("revoke-token").click();
  const box = row.getByTestId("revoke-token-confirm");
  await expect(box).toContainText("cannot be undone");
  await expect(box.getByRole("button", { name: "Yes, revoke" })).toBeFocused();
  await box.getByRole("button", { name: "Cancel" }).click();
  await expect(box).toHaveCount(0);
  await expect(row).toContainText("active");

  await row.getByTestId("revoke-token").click();
  await row.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(page.locator("tr", { hasText: name })).toContainText("revoked");
});

// The product page's status buttons: a plain form, submitted through the server action once
// hydrated. Retiring is asked first and names who is affected; the other moves act at once.
test("a product's status changes from its page; retiring asks first", async ({ page }) => {
  await signIn(page, "alice", "/products/sales.basket-analysis");
  await hydrated(page);
  const header = page.locator(".product-header");
  await expect(header).toContainText("Deprecated");

  await page.getByTestId("retire").click();
  const box = page.getByTestId("retire-confirm");
  await expect(box).toContainText("can never be activated again");
  await expect(box).toContainText("declares it as an input");
  await box.getByRole("button", { name: "Cancel" }).click();
  await expect(box).toHaveCount(0);

  await page.locator('button[data-status="active"]').click();
  await expect(header).toContainText("Active");
  await expect(page.locator('button[data-status="deprecated"]')).toBeVisible();
  await page.locator('button[data-status="deprecated"]').click();
  await expect(header).toContainText("Deprecated");
  await expect(page.getByTestId("retire")).toBeVisible();
});
