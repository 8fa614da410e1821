import { expect, Page, test } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

// The wizard walked as a newcomer walks it: every step forward, every step back, then jumping by
// tab, with any console error or uncaught exception failing the test. Also: focus lands in what
// "Add …" added, errors appear at their field once it is left, and visiting without editing
// leaves no draft behind.

const STEPS = ["Basics", "Output ports", "Contracts", "SLA & quality", "Input ports", "Review"];

function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`exception: ${e.message}`));
  return problems;
}

async function atStep(page: Page, n: number) {
  await expect(page.locator(`button[data-step="${n}"]`)).toHaveAttribute("aria-current", "step");
  await expect(page.getByText(`Step ${n} of 6`)).toBeVisible();
}

test("every step forward, back and by tab, without a console error", async ({ page }) => {
  const problems = watchConsole(page);
  await signIn(page, "dave", "/register");
  await hydrated(page);
  const drafts = await page.locator(".drafts a").count();

  for (let n = 1; n < 6; n++) {
    await atStep(page, n);
    await page.getByTestId("wizard-next").click();
  }
  await atStep(page, 6);
  for (let n = 6; n > 1; n--) {
    await atStep(page, n);
    await page.getByRole("button", { name: "← Back" }).click();
  }
  await atStep(page, 1);
  for (const n of [3, 5, 2, 6, 4, 1, 6]) {
    await page.locator(`button[data-step="${n}"]`).click();
    await atStep(page, n);
  }
  await page.getByRole("button", { name: "← Back" }).click();
  await atStep(page, 5);
  expect(problems).toEqual([]);

  // Nothing was typed, so nothing was saved: coming back shows no new draft.
  await page.goto("/register");
  await hydrated(page);
  await expect(page.locator(`button[data-step="1"]`)).toBeVisible();
  expect(await page.locator(".drafts a").count()).toBe(drafts);
  expect(problems).toEqual([]);
});

test("errors wait for their field to be left, and focus follows what was added", async ({ page }) => {
  const problems = watchConsole(page);
  await signIn(page, "dave", "/register");
  await hydrated(page);

  // An untouched form shows no errors.
  await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0);
  const name = page.locator("#product-name");
  await name.fill("x");
  await name.fill("");
  await name.blur();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  const described = await name.getAttribute("aria-describedby");
  expect(described).toBeTruthy();
  const message = page.locator(`[id="${described!.split(" ")[0]}"]`);
  await expect(message).toBeVisible();
  await expect(message).not.toBeEmpty();
  await name.fill(`Walk ${Date.now().toString(36)}`);
  await expect(name).not.toHaveAttribute("aria-invalid", "true");

  await page.locator('button[data-step="2"]').click();
  await page.getByTestId("add-output-port").click();
  await expect(page.locator("#port-1-name")).toBeFocused();
  await page.keyboard.type("second-port");
  await expect(page.locator("#port-1-name")).toHaveValue("second-port");

  await page.locator('button[data-step="3"]').click();
  const first = page.locator('[data-contract-index="0"]');
  await first.getByTestId("add-field").click();
  // Its label follows its name, so find it by its id once found by its label.
  await expect(first.getByLabel("Name of field 2")).toBeFocused();
  const field = page.locator("#c0-o0-f1-name");
  await expect(field).toBeFocused();
  await page.keyboard.type("typed_at_once");
  await expect(field).toHaveValue("typed_at_once");
  expect(problems).toEqual([]);
});
