import { expect, request, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { hydrated } from "./helpers";

// The stored-injection wall, in a real browser: a mesh whose every user-controlled string carries
// an injection payload (fixtures/injection/mesh.json, also used by the server-side test) is
// published through the API, then every page that shows it is opened — loaded directly and
// reached by client-side navigation after hydration. No payload may run (no dialog), none may
// become an element (no `onerror`, `iframe`, `javascript:` link), and the Content-Security-Policy
// must not have had to refuse anything (it is the second wall, not the first).

// Playwright runs from end2end/ (cargo xtask test starts it there).
const mesh = JSON.parse(readFileSync("../fixtures/injection/mesh.json", "utf8"));

test.beforeAll(async ({ baseURL }) => {
  const token = process.env.ADMIN_TOKEN;
  expect(token, "cargo xtask test passes the demo's ADMIN_TOKEN").toBeTruthy();
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  for (const r of mesh.requests) {
    const reply = await api.fetch(r.path, { method: r.method, data: r.body });
    // 409: published by an earlier run against the same server.
    expect([200, 201, 202, 204, 409], `${r.method} ${r.path}: ${await reply.text()}`).toContain(reply.status());
  }
  await api.dispose();
});

test("no payload runs or becomes markup, loaded or navigated to", async ({ page }) => {
  const problems: string[] = [];
  page.on("dialog", async (d) => {
    problems.push(`a dialog opened on ${page.url()}: ${d.message()}`);
    await d.dismiss();
  });
  page.on("pageerror", (e) => problems.push(`exception on ${page.url()}: ${e.message}`));
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`CSP on ${page.url()}: ${m.text()}`);
  });

  await page.goto("/signin?next=%2F");
  await page.getByLabel("Username").fill(mesh.user.username);
  await page.getByLabel("Password").fill(mesh.user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();

  const noMarkup = async (where: string) => {
    for (const selector of ["[onerror]", "[onload]", "iframe", "object", "foreignObject", 'a[href^="javascript:"]', '[src^="javascript:"]', 'img[src^="data:"]']) {
      const n = await page.locator(selector).count();
      if (n > 0) problems.push(`${where}: ${n} × ${selector}`);
    }
  };

  for (const path of mesh.pages as string[]) {
    await page.goto(path);
    await hydrated(page);
    await page.waitForLoadState("networkidle");
    await noMarkup(path);
  }

  // Client-side navigation: the catalog, then the evil product by its card, then back.
  await page.goto("/?q=evil");
  await hydrated(page);
  await page.locator('[data-product="evil.orders"] a[href="/products/evil.orders"]').first().click();
  await expect(page).toHaveURL(/\/products\/evil\.orders$/);
  await expect(page.locator("h1")).toContainText("</title>");
  await noMarkup("navigated to /products/evil.orders");
  await page.goBack();
  await expect(page).toHaveURL(/\?q=evil/);
  await noMarkup("back on the catalog");
  // The title is text, whatever the product is called.
  await page.goForward();
  await expect(page).toHaveURL(/\/products\/evil\.orders$/);
  expect(await page.title()).toContain("</title>");
  await noMarkup("forward to the product");

  expect(problems).toEqual([]);
});
