// Loads a listening page from file:// in Debian's chromium (driven by
// playwright-core) and prints one JSON object with what the browser saw:
//   audio: [{src, duration}], images: [{src, naturalWidth}],
//   volumesMatched: volumes with loudness matching on,
//   csv: the text of the ABX export after answering the first two blocks,
//   abxTruth: [{name, x}] of those blocks, progressAfterReload,
//   errors: page errors and console errors, requests: URLs that are not
//   file:, blob: or data:.
// usage: node browser_check.js PAGE_DIR CHROMIUM USER_DATA_DIR
"use strict";
const path = require("path");
const fs = require("fs");
const { chromium } = require("playwright-core");

async function main() {
  const [pageDir, exe, userData] = process.argv.slice(2);
  const url = "file://" + path.resolve(pageDir, "index.html");
  const ctx = await chromium.launchPersistentContext(userData, {
    executablePath: exe,
    headless: true,
    acceptDownloads: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const out = { errors: [], requests: [] };
  try {
    const page = ctx.pages()[0] || (await ctx.newPage());
    // Bounds against a hang only: a loaded machine can be slow.
    page.setDefaultTimeout(120000);
    page.on("pageerror", (e) => out.errors.push("pageerror: " + e.message));
    page.on("console", (m) => { if (m.type() === "error") out.errors.push("console: " + m.text()); });
    page.on("request", (r) => { if (!/^(file|blob|data):/.test(r.url())) out.requests.push(r.url()); });
    await page.goto(url, { waitUntil: "load" });

    // Every player's metadata (duration) and every image, with a bound.
    await page.waitForFunction(() => {
      const a = Array.from(document.querySelectorAll("audio"));
      const i = Array.from(document.images);
      return a.every((x) => x.readyState >= 1 || x.error) && i.every((x) => x.complete);
    }, null, { timeout: 120000 }).catch(() => out.errors.push("timeout waiting for media"));
    out.audio = await page.$$eval("audio", (as) => as.map((a) => ({
      src: a.getAttribute("src"), duration: a.duration, error: a.error ? a.error.code : 0,
    })));
    out.images = await page.$$eval("img", (is) => is.map((i) => ({
      src: i.getAttribute("src"), naturalWidth: i.naturalWidth,
    })));

    await page.check("#loudness-match");
    out.volumesMatched = await page.$$eval("section.file audio", (as) => as.map((a) => a.volume));

    const blocks = await page.$$(".abx");
    out.abxTruth = [];
    for (const [k, b] of blocks.slice(0, 2).entries()) {
      await (await b.$(`button[data-answer="${k === 0 ? "A" : "B"}"]`)).click();
      out.abxTruth.push({ name: await b.getAttribute("data-name"), x: await b.getAttribute("data-x"),
        answer: k === 0 ? "A" : "B" });
    }
    if (blocks.length) {
      const [dl] = await Promise.all([page.waitForEvent("download", { timeout: 120000 }),
        page.click("#abx-export")]);
      out.csvName = dl.suggestedFilename();
      out.csv = fs.readFileSync(await dl.path(), "utf8");
      await page.reload({ waitUntil: "load" });
      out.progressAfterReload = await page.textContent("#abx-progress");
    }
  } finally {
    await ctx.close();
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((e) => {
  process.stderr.write("browser_check: " + (e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
