#!/usr/bin/env node
// Lighthouse (npm, pinned in package.json) on some pages of a running BackCare,
// in one headless Debian Chromium, printing one JSON object:
//   {"pages": [{"url", "lighthouse", "scores": {category: 0..100},
//               "failed": [{"category", "id", "title", "score"}], "lcp_ms", "transfer_bytes",
//               "origins": [every origin the page loaded from]}]}
//
//   CHROME_PATH=/usr/bin/chromium node bin/lighthouse.mjs CATEGORIES URL...
//
// CATEGORIES: comma-separated Lighthouse categories, e.g.
// "accessibility,best-practices,seo" (tests/browser/test_lighthouse.py) or
// "performance" (bench/page_weight.py). Lighthouse's defaults otherwise: a
// mobile page on simulated slow 4G.
//
// Nothing leaves the machine: Chromium's background networking (updates, safe
// browsing, field trials, sync) is off, and every request to anywhere but
// loopback goes to a proxy that does not exist, so it fails at once. Lighthouse
// reports no errors anywhere (its Sentry reporting stays off) and renders no
// HTML report (which would load fonts).
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [categories, ...urls] = process.argv.slice(2);
if (!categories || urls.length === 0) {
  console.error("usage: node bin/lighthouse.mjs CATEGORIES URL...");
  process.exit(2);
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-sync",
    "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater",
    // Loopback is always reached directly; anything else meets a closed port.
    "--proxy-server=http://127.0.0.1:9",
  ],
  logLevel: "silent",
});

const pages = [];
try {
  for (const url of urls) {
    // On a busy machine a trace is now and then lost (NO_NAVSTART): such a run is tried again.
    let lhr;
    for (let attempt = 1; ; attempt++) {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: categories.split(","),
        // Also the list of requests, so a caller can see that nothing came from elsewhere.
        onlyAudits: ["network-requests"],
        enableErrorReporting: false,
      });
      lhr = result.lhr;
      if (!lhr.runtimeError) break;
      if (attempt === 3) {
        throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      }
    }
    const scores = {};
    const failed = [];
    for (const [id, category] of Object.entries(lhr.categories)) {
      scores[id] = category.score === null ? null : Math.round(category.score * 100);
      for (const ref of category.auditRefs) {
        const audit = lhr.audits[ref.id];
        // A weighted audit below full marks is what keeps a category under 100.
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          failed.push({ category: id, id: ref.id, title: audit.title, score: audit.score });
        }
      }
    }
    const requests = lhr.audits["network-requests"]?.details?.items ?? [];
    const lcp = lhr.audits["largest-contentful-paint"];
    const weight = lhr.audits["total-byte-weight"];
    pages.push({
      url: lhr.finalDisplayedUrl,
      lighthouse: lhr.lighthouseVersion,
      scores,
      failed,
      lcp_ms: lcp && typeof lcp.numericValue === "number" ? lcp.numericValue : null,
      transfer_bytes: weight && typeof weight.numericValue === "number" ? weight.numericValue : null,
      // Network origins only: a data: URL (Bootstrap's form icons) is no request.
      origins: [
        ...new Set(requests.filter((item) => /^https?:/.test(item.url)).map((item) => new URL(item.url).origin)),
      ],
    });
  }
} finally {
  await chrome.kill();
}
console.log(JSON.stringify({ pages }));
