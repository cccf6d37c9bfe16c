// What the Chromium tests of the demo pages share (consent-checker.mjs,
// policy-builder.mjs): named steps with a time limit, Chromium launched the
// same way, the visible text of a test id, axe-core, the 390 px overflow
// check and the report at the end. Each test keeps its own steps.

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository's root. */
export const REPO = path.resolve(HERE, '../../../..');
/** Where screenshots go. */
export const OUT = process.env.E2E_OUT ?? path.join(REPO, 'target/e2e');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** How long one step may take. */
export const STEP_TIMEOUT_MS = 60_000;
/** axe-core's script, to inject into the page. */
export const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let stepNumber = 0;

/** Runs one named step, failing it after STEP_TIMEOUT_MS. */
export async function step(name, fn) {
  stepNumber += 1;
  const label = `${stepNumber}. ${name}`;
  const started = Date.now();
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${STEP_TIMEOUT_MS / 1000} s`)), STEP_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([fn(), timeout]);
    console.log(`ok ${label} (${Date.now() - started} ms)`);
    return result;
  } catch (e) {
    throw new Error(`step "${label}" failed: ${e && e.message ? e.message : e}`, { cause: e });
  } finally {
    clearTimeout(timer);
  }
}

/** Chromium (headless, downloads accepted, 1280 px, en-GB) with its profile in `userDataDir`. */
export function launchChromium(userDataDir) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB', // dates as a school in England reads them
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The first page of `context`, each console error, uncaught exception
 * and failed request of it pushed to `problems`. */
export async function openPage(context, problems) {
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  return page;
}

/** The visible text of a test id, whitespace collapsed. */
export async function text(page, testid) {
  const t = await page.getByTestId(testid).innerText();
  return t.replace(/\s+/g, ' ').trim();
}

/** Runs axe-core (already injected) on the whole page; fails on any violation. */
export async function axeClean(page, what) {
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  });
  assert.deepEqual(violations, [], `axe-core at ${what}`);
}

/** At a 390 px viewport, with every `<details>` open: fails when the page
 * scrolls sideways, naming the elements that reach past the edge. */
export async function assertNoOverflowAt390(page) {
  await page.setViewportSize({ width: 390, height: 844 });
  // Open what a person would open on a phone too.
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  const sizes = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    // The elements reaching past the right edge, to say what to fix.
    wide: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > 390.5)
      .slice(0, 8)
      .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`),
  }));
  assert.ok(sizes.scroll <= 390 && sizes.body <= 390, `the page is ${sizes.scroll} px wide at 390 px: ${sizes.wide.join(', ')}`);
}

/** Runs a test's `main`, printing the tally; exits 1 on failure. */
export function run(main) {
  main().then(
    () => console.log(`${stepNumber} passed, 0 failed`),
    (e) => {
      console.error(`FAIL: ${e && e.message ? e.message : e}`);
      if (e && e.cause && e.cause.stack) console.error(e.cause.stack.split('\n').filter((l) => l.trim().startsWith('at ')).slice(0, 4).join('\n'));
      console.log(`${stepNumber - 1} passed, 1 failed`);
      process.exit(1);
    },
  );
}
