// End-to-end test of the consent checker page (bindings/js/demo/) in real
// Chromium, driven by playwright-core. Run by scripts/test-e2e, which
// installs Chromium and builds the package first; on its own:
//
//   node bindings/js/tests/e2e/consent-checker.mjs
//
// Environment: CHROMIUM (default /usr/bin/chromium), E2E_URL (test a page
// already served instead of starting the server in-process),
// E2E_SCREENSHOT (default <repo>/target/e2e/consent-checker.png).
//
// What it checks, always on what the page shows:
//  1. the page loads the engine with no console error;
//  2. a CSV with a bad row and a quoted comma is read and the bad row is
//     reported by line, and its missing restriction column is reported as
//     not recorded; then the sample roster loads;
//  3. under the baseline policy, for the school website, a JPEG with an EXIF
//     GPS position (generated here) and a caption naming "Amy Smith", with
//     Amy, Raj and Zoë (withdrawn website consent) in it, gets "Publish with
//     changes" and the changes: leave out Zoë, first names only in the
//     caption, remove the location; the location found in the file is shown;
//     the shared 107-byte GPS fixture (tests/fixtures.mjs), as a second
//     photo, gets "remove the location" only;
//  4. the downloads of the copies without location have no GPS IFD, and
//     their scans (pixel data) are byte for byte the originals';
//  5. the device form and the sexting form each show a decision;
//  6. a full-page screenshot is saved.
//
// The expected answers were checked against the engine itself (the same
// requests through `target/debug/safeguard eval`):
//   images  -> publish_with_changes, changes [exclude_pupil:p03,
//              caption_first_names_only, strip_geodata], p03 no_consent:website;
//              the fixture (no pupils): publish_with_changes, [strip_geodata]
//   devices -> deny (pupil, Year 6, own phone, calls in a lesson)
//   sexting -> refer_immediately to police and children's social care

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../demo/serve.mjs';
import { exifGpsApp1, readExif, scanBytes, segments, withApp1, GPS_IFD_TAG } from './jpeg.mjs';
// The 107-byte GPS JPEG shared with the C, Python and Node tests.
import { gpsJpeg, GPS_JPEG_SCAN_BYTES } from '../fixtures.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../../../..');
const SCREENSHOT = process.env.E2E_SCREENSHOT ?? path.join(REPO, 'target/e2e/consent-checker.png');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 60_000;

// A position that is recognisably somewhere (a school field in London).
const LATITUDE = 51.56789;
const LONGITUDE = -0.12345;

let stepNumber = 0;
/** Runs one named step, failing it after STEP_TIMEOUT_MS. */
async function step(name, fn) {
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

/** The visible text of a test id, whitespace collapsed. */
async function text(page, testid) {
  const t = await page.getByTestId(testid).innerText();
  return t.replace(/\s+/g, ' ').trim();
}

function includesAll(haystack, needles, what) {
  for (const n of needles) {
    assert.ok(haystack.includes(n), `${what} should include ${JSON.stringify(n)}; it is:\n${haystack}`);
  }
}

async function main() {
  const server = process.env.E2E_URL ? null : await serve({ port: 0 });
  const url = process.env.E2E_URL ?? server.url;
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'safeguard-e2e-chromium-'));
  const downloads = await mkdtemp(path.join(os.tmpdir(), 'safeguard-e2e-downloads-'));
  let context = null;
  const problems = [];
  try {
    context = await step('launch Chromium', () =>
      chromium.launchPersistentContext(userDataDir, {
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
      }),
    );
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`uncaught error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));

    // A real, decodable JPEG drawn by the browser, then the EXIF GPS segment
    // built byte by byte and spliced in after its JFIF header.
    const photo = await step('generate a JPEG with an EXIF GPS position', async () => {
      await page.goto('about:blank');
      const base64 = await page.evaluate(async () => {
        const canvas = document.createElement('canvas');
        canvas.width = 320;
        canvas.height = 240;
        const g = canvas.getContext('2d');
        g.fillStyle = '#7cc4ff';
        g.fillRect(0, 0, 320, 150);
        g.fillStyle = '#3f9b4a';
        g.fillRect(0, 150, 320, 90);
        g.fillStyle = '#ffd23f';
        g.beginPath();
        g.arc(260, 50, 28, 0, Math.PI * 2);
        g.fill();
        for (const [x, c] of [[70, '#d6453d'], [150, '#2d5bd3'], [230, '#8e44ad']]) {
          g.fillStyle = c;
          g.fillRect(x - 14, 120, 28, 60);
          g.beginPath();
          g.arc(x, 105, 14, 0, Math.PI * 2);
          g.fill();
        }
        const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
        const bytes = new Uint8Array(await blob.arrayBuffer());
        let s = '';
        for (const b of bytes) s += String.fromCharCode(b);
        return btoa(s);
      });
      const plain = new Uint8Array(Buffer.from(base64, 'base64'));
      const jpeg = withApp1(plain, exifGpsApp1({ latitude: LATITUDE, longitude: LONGITUDE }));
      const exif = readExif(jpeg);
      assert.equal(exif.gpsPointer !== null, true, 'the generated JPEG should carry a GPS IFD');
      assert.deepEqual(exif.gpsTags, [0, 1, 2, 3, 4]);
      return jpeg;
    });

    await step('open the page and load the engine', async () => {
      await page.goto(url);
      // Ready, or the page's own error message (a missing build) at once.
      await page.waitForFunction(
        () => document.body.dataset.ready === 'true' || document.getElementById('engine-status').classList.contains('error'),
      );
      const status = await text(page, 'engine-status');
      assert.match(status, /^Rules engine ready \(safeguard \d+\.\d+\.\d+\)\.$/);
      const options = await page.locator('#policy option').allInnerTexts();
      assert.ok(options.length >= 6, `expected the six presets, got ${options.join(', ')}`);
      assert.ok(options.includes('National guidance for England (baseline)'), `readable policy names: ${options.join(', ')}`);
      assert.ok(options.includes('Hilldene Primary School'));
    });

    await step('report the bad rows of a roster CSV by line', async () => {
      const csv =
        'pupil_id,first_name,last_name,consent_website\r\n' +
        'x1,"Smith, Amy",Jones,yes\r\n' +
        'x2,Raj,Patel,maybe\r\n' +
        'x3,Zoe\r\n';
      await page.getByTestId('roster-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.waitForFunction(() => document.getElementById('roster-status').textContent.includes('bad.csv'));
      const status = await text(page, 'roster-status');
      assert.equal(status, '1 pupil loaded from bad.csv.');
      const errors = await text(page, 'roster-errors');
      includesAll(
        errors,
        [
          '2 rows of bad.csv could not be read',
          'Line 3: consent_website is "maybe"',
          'Line 4: has 2 fields but the first row names 4',
          // No restriction column: not recorded, never taken as none.
          'There is no restriction column',
        ],
        'the roster errors',
      );
      // The quoted comma stayed inside the first name.
      const table = await text(page, 'roster-table');
      assert.ok(table.includes('Smith, Amy Jones'), `quoted field with a comma: ${table}`);
      assert.ok(table.includes('not recorded'), `a restriction nobody recorded: ${table}`);
    });

    await step('load the sample roster from the keyboard', async () => {
      // The first Tab stop is the skip link; the button works with Enter.
      await page.locator('body').focus();
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
      await page.getByTestId('load-sample-roster').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.getElementById('roster-status').textContent.includes('sample-roster.csv'));
      assert.equal(await text(page, 'roster-status'), '8 pupils loaded from sample-roster.csv.');
      assert.equal(await text(page, 'roster-errors'), '');
      assert.equal(await page.locator('#roster-table tbody tr').count(), 8);
    });

    await step('choose the baseline policy and the website channel', async () => {
      await page.getByTestId('policy').selectOption('baseline');
      await page.getByTestId('channel').selectOption('website');
      assert.match(await text(page, 'policy-info'), /^Version 2026\.\d+; digest [0-9a-f]{12}…$/);
    });

    await step('add the photo and see the location found in the file', async () => {
      await page.getByTestId('photo-files').setInputFiles({ name: 'sports-day.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(photo) });
      await page.getByTestId('photo-card').first().waitFor();
      const meta = await text(page, 'photo-1-metadata');
      includesAll(
        meta,
        ['Location data found: GPS position (EXIF).', '51.56789° N, 0.12345° W', 'Download sports-day-no-location.jpg', "the photographer's name"],
        'the metadata notice',
      );
      // The thumbnail really decodes (a broken image has no natural width).
      const width = await page.locator('#photo-1 img.thumb').evaluate((img) => img.decode().then(() => img.naturalWidth));
      assert.equal(width, 320);
    });

    await step('add the shared GPS fixture (metadata only, no picture) as a second photo', async () => {
      await page.getByTestId('photo-files').setInputFiles({ name: 'shared-fixture.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(gpsJpeg()) });
      await page.getByTestId('photo-2-metadata').waitFor();
      // A latitude with no longitude: location present, no position to show.
      assert.equal(
        await page.getByTestId('photo-2-location').innerText(),
        'Location data found: GPS position (EXIF).',
      );
      // Its scan cannot be shown: the page says so instead of a broken image.
      await page.getByTestId('photo-2-no-preview').waitFor();
      await page.getByTestId('photo-2-dressed').selectOption('yes');
    });

    await step('describe the photo and check it', async () => {
      await page.getByTestId('photo-1-caption').fill('Sports day: Amy Smith wins the sack race');
      await page.getByTestId('photo-1-tags').fill('sports day, summer');
      for (const id of ['p01', 'p02', 'p03']) await page.getByTestId(`photo-1-pupil-${id}`).check();
      await page.getByTestId('photo-1-composition').selectOption('group');
      await page.getByTestId('photo-1-device').selectOption('school_device');
      await page.getByTestId('photo-1-dressed').selectOption('yes');
      await page.getByTestId('check-photos').click();
      await page.getByTestId('photo-1-outcome').waitFor();
    });

    await step('the decision and the changes are shown in plain English', async () => {
      assert.equal(await text(page, 'photo-1-outcome'), 'Publish with changes');
      const changes = await page.getByTestId('photo-1-changes').locator('li').allInnerTexts();
      assert.deepEqual(changes, [
        'Leave out Zoë Taylor-Brown (p03): crop or blur them, or choose another photo.',
        'Use first names only in the caption: no surnames.',
        'Remove the location data from the file (download the copy without location below).',
      ]);
      assert.equal(await text(page, 'photo-1-blocked'), 'Who cannot appear, and why Zoë Taylor-Brown (p03): no consent for the website (recorded: withdrawn).');
      const reasons = await text(page, 'photo-1-reasons');
      includesAll(
        reasons,
        [
          'Location data embedded in an image file is removed before it is shared or published.',
          'ICO, Taking photographs: data protection advice for schools (year not verified), “Metadata and location information (section title not verified)” · rule images.floor.strip_geodata',
          'rule images.floor.no_full_names_with_images',
        ],
        'the policy citations',
      );
      assert.equal(await text(page, 'photo-2-outcome'), 'Publish with changes');
      assert.deepEqual(await page.getByTestId('photo-2-changes').locator('li').allInnerTexts(), [
        'Remove the location data from the file (download the copy without location below).',
      ]);
      assert.equal(
        await text(page, 'photos-summary'),
        'Checked 2 photos for the school website under National guidance for England (baseline): 2 may be published with changes.',
      );
      // The results are announced: they live in polite live regions.
      assert.equal(await page.getByTestId('photo-1-result').getAttribute('aria-live'), 'polite');
    });

    await step('download the copy without location: no GPS, same scan', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('photo-1-download').click()]);
      assert.equal(download.suggestedFilename(), 'sports-day-no-location.jpg');
      const saved = path.join(downloads, download.suggestedFilename());
      await download.saveAs(saved);
      const stripped = new Uint8Array(await readFile(saved));
      const exif = readExif(stripped);
      assert.ok(exif.found, 'the EXIF block is kept (only the location goes)');
      assert.ok(!exif.ifd0Tags.includes(GPS_IFD_TAG), `IFD0 still points to a GPS IFD: tags ${exif.ifd0Tags.map((t) => t.toString(16))}`);
      assert.equal(exif.gpsPointer, null);
      assert.ok(exif.ifd0Tags.includes(0x013b), 'the rest of IFD0 (Artist) is kept');
      // No GPS value survives anywhere in the EXIF: the latitude's degree
      // rational (51/1) is gone from the TIFF bytes.
      const needle = Buffer.from([51, 0, 0, 0, 1, 0, 0, 0, 34, 0, 0, 0, 1, 0, 0, 0]);
      assert.equal(Buffer.from(exif.tiff).indexOf(needle), -1, 'the latitude is still in the file');
      // Pixels untouched: the scan is byte-identical, and so is every byte
      // outside the EXIF segment (the copy is the same length).
      assert.ok(Buffer.from(scanBytes(stripped)).equals(Buffer.from(scanBytes(photo))), 'the JPEG scan bytes changed');
      assert.equal(stripped.length, photo.length);
      const app1 = segments(photo).segments.find((s) => s.marker === 0xe1);
      assert.ok(Buffer.from(stripped.subarray(0, app1.start)).equals(Buffer.from(photo.subarray(0, app1.start))));
      assert.ok(Buffer.from(stripped.subarray(app1.end)).equals(Buffer.from(photo.subarray(app1.end))));
      console.log(`   downloaded ${saved} (${stripped.length} bytes)`);

      // The shared fixture: same length, same scan, no GPS pointer.
      const [second] = await Promise.all([page.waitForEvent('download'), page.getByTestId('photo-2-download').click()]);
      assert.equal(second.suggestedFilename(), 'shared-fixture-no-location.jpg');
      const fixture = gpsJpeg();
      const clean = new Uint8Array(await readFile(await second.path()));
      assert.equal(clean.length, fixture.length);
      assert.ok(Buffer.from(clean.subarray(-GPS_JPEG_SCAN_BYTES)).equals(Buffer.from(fixture.subarray(-GPS_JPEG_SCAN_BYTES))));
      assert.equal(readExif(clean).gpsPointer, null);
    });

    await step('decide a device question', async () => {
      await page.getByTestId('dev-role').selectOption('pupil');
      await page.getByTestId('dev-year').selectOption('6');
      await page.getByTestId('dev-kind').selectOption('mobile_phone');
      await page.getByTestId('dev-owner').selectOption('personal');
      await page.getByTestId('dev-action').selectOption('use_calls_messages');
      await page.getByTestId('dev-location').selectOption('classroom');
      await page.getByTestId('dev-period').selectOption('lesson');
      await page.getByTestId('dev-check').click();
      await page.getByTestId('device-outcome').waitFor();
      assert.equal(await text(page, 'device-outcome'), 'Not permitted');
      const result = await text(page, 'device-result');
      includesAll(result, ['Decided for lesson time.', 'The device is confiscated and kept in the office.', 'DfE Mobile phones in schools'], 'the device decision');
    });

    await step('decide a sexting referral', async () => {
      await page.getByTestId('sx-date').fill('2026-03-02');
      await page.getByTestId('sx-fact-coercion_blackmail_or_grooming').selectOption('yes');
      await page.getByTestId('sx-check').click();
      await page.getByTestId('sexting-outcome').waitFor();
      assert.equal(await text(page, 'sexting-outcome'), "Refer immediately to the police and children's social care.");
      includesAll(await text(page, 'sexting-criteria'), ['A young person may have been coerced, blackmailed or groomed (criterion 2).'], 'the criteria');
      // One plan (SPEC §1.8): the DSL and the police once each, immediately,
      // the referral citing criterion 2; no second list of whom to tell.
      const steps = page.getByTestId('sexting-actions').locator('li');
      const dsl = steps.filter({ has: page.locator('strong', { hasText: 'Report it to the DSL' }) });
      assert.equal(await dsl.count(), 1, 'the DSL is told once');
      assert.equal(await dsl.getAttribute('data-deadline'), 'immediately');
      const police = page.getByTestId('sexting-actions').locator('li[data-action="refer_to_police"]');
      assert.equal(await police.count(), 1, 'one police referral');
      includesAll(await police.innerText(), ['rule sexting.floor.criterion.coercion_blackmail_or_grooming'], 'the referral citation');
      assert.equal(await page.locator('li[data-action="notify"][data-who="dsl"]').count(), 0);
      assert.ok(!(await text(page, 'sexting-result')).includes('Who to tell'), 'no second plan');
    });

    await step('no console errors, failed requests or uncaught exceptions', async () => {
      assert.deepEqual(problems, []);
    });

    await step('save a full-page screenshot', async () => {
      await mkdir(path.dirname(SCREENSHOT), { recursive: true });
      // Scroll the photo's result into view first so lazy work is done.
      await page.getByTestId('photo-1-result').scrollIntoViewIfNeeded();
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    });
    console.log(`screenshot: ${SCREENSHOT}`);
  } finally {
    if (context) await context.close().catch(() => {});
    if (server) await server.close();
    await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
    await rm(downloads, { recursive: true, force: true }).catch(() => {});
  }
  console.log(`${stepNumber} passed, 0 failed`);
}

main().catch((e) => {
  console.error(`FAIL: ${e && e.message ? e.message : e}`);
  if (e && e.cause && e.cause.stack) console.error(e.cause.stack.split('\n').filter((l) => l.trim().startsWith('at ')).slice(0, 4).join('\n'));
  console.log(`${stepNumber - 1} passed, 1 failed`);
  process.exit(1);
});
