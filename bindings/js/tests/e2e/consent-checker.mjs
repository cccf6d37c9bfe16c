// End-to-end test of the consent checker page (bindings/js/demo/) in real
// Chromium, driven by playwright-core. Run by scripts/test-e2e, which
// installs Chromium and builds the package first; on its own:
//
//   node bindings/js/tests/e2e/consent-checker.mjs
//
// Environment: CHROMIUM (default /usr/bin/chromium), E2E_URL (test a page
// already served instead of starting the server in-process), E2E_OUT
// (default <repo>/target/e2e/, where the screenshots go).
//
// What it checks, always on what the page shows (issue 23):
//  - nothing is decided before a school is chosen and a roster loaded, and
//    no policy digest is in view (only inside "About this decision");
//  - a roster with a bad line loads nothing and names the line; after a
//    good roster, a bad one leaves the roster, every photo's ticks and
//    every decision as they were (a do-not-photograph pupil stays "Do not
//    publish"); a good roster without a chosen pupil gives that photo no
//    decision, and the roster with them brings the tick and decision back;
//    another class's roster using the same id for a different child gives
//    no decision either (a tick never moves to another child);
//  - a photo with nobody chosen has no decision (and no download) until a
//    pupil is chosen or "No pupil can be identified" is ticked;
//  - a .txt file, a text file renamed .jpg, a truncated JPEG and a file
//    over 50 MiB (made in a temporary folder here) are each "Cannot check
//    this file" with the reason in words, no decision and no download;
//  - the decision's words are the engine's: the headline, changes, who is
//    ruled out and the rules equal what the engine's explain gives for the
//    same request (the Node build, dist/node), the rules cited by document
//    and section, never a file name or rule id; refused and withdrawn
//    consent in the engine's words, the page adding only the pupil's roster
//    name (no consent wording of its own); when a caption names a pupil of
//    the class who is not in the photo, the gallery's sentence;
//  - a name in the file name and one in the tags each get the engine's own
//    change sentence;
//  - the download is the copy to publish: renamed photo-1.jpg when the
//    decision asks for a rename (no pupil's name in it), with no location
//    and no identifying metadata (`inspectImage` of the copy; removed by
//    `stripIdentifying`, which this build must have), and the scan (pixel
//    data) byte for byte the original's; with the option unticked the
//    photographer stays and the location still goes;
//  - the device and sexting forms show the engine's explanation (taken
//    away as soon as an answer changes), and a
//    refused device request (a teacher with a year group) and sexting
//    request (an empty id) show the engine's refusal in words: the field
//    named ("the id of young person 1") and what is expected, said once,
//    with no JSON path, token or decision beside it;
//  - a file whose metadata the engine cannot read (no location found) is
//    said to be so, and its copy to publish has that metadata removed, says
//    so, and keeps the scan;
//  - at 390 px wide nothing scrolls sideways (scrollWidth <= 390);
//  - axe-core (npm) finds no accessibility violation at 1280 and 390 px;
//  - no console error; screenshots at 1280 px and 390 px are saved.

import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serve } from '../../demo/serve.mjs';
import { readRoster } from '../../demo/roster.js';
import { Engine } from '../../dist/node/index.mjs';
import * as nodeWasm from '../../dist/node/index.mjs';
import { exifGpsApp1, readExif, scanBytes, withApp1, GPS_IFD_TAG } from './jpeg.mjs';
// The 107-byte GPS JPEG shared with the C, Python and Node tests.
import { gpsJpeg, GPS_JPEG_SCAN_BYTES } from '../fixtures.mjs';
import { AXE, OUT, REPO, assertNoOverflowAt390, axeClean, launchChromium, openPage, run, step, text } from './harness.mjs';

const TAG_ARTIST = 0x013b;

// A position that is recognisably somewhere (a school field in London).
const LATITUDE = 51.56789;
const LONGITUDE = -0.12345;

function includesAll(haystack, needles, what) {
  for (const n of needles) {
    assert.ok(haystack.includes(n), `${what} should include ${JSON.stringify(n)}; it is:\n${haystack}`);
  }
}

/** The engine's explanation of `request` under `policy`, from the Node build. */
function engineExplain(policy, request) {
  const engine = Engine.fromPreset(policy);
  try {
    return engine.explain(request);
  } finally {
    engine.free();
  }
}

/** No token, rule id, JSON path or cited file name in text for people. */
function assertPlain(t, what) {
  assert.doesNotMatch(t, /\$\.|\b\d{3}_[0-9a-f]{16}\.txt\b|\bimages\.(floor|consent)\.|\bsexting\.floor\.|[a-z]+_[a-z_]+:[a-z]/, `${what} holds a token, rule id, path or file name:\n${t}`);
}

async function main() {
  const server = process.env.E2E_URL ? null : await serve({ port: 0 });
  const url = process.env.E2E_URL ?? server.url;
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'safeguard-e2e-chromium-'));
  const work = await mkdtemp(path.join(os.tmpdir(), 'safeguard-e2e-files-'));
  const sample = readRoster(await readFile(path.join(REPO, 'bindings/js/demo/sample-roster.csv'), 'utf8')).pupils;
  const byId = (id) => sample.find((p) => p.id === id);
  let context = null;
  const problems = [];
  const notes = [];
  try {
    context = await step('launch Chromium', () => launchChromium(userDataDir));
    const page = await openPage(context, problems);

    const photo = await step('generate a JPEG with an EXIF GPS position and a photographer', async () => {
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

    const photoName = 'Amy Smith sports day.jpg';
    const outcome = (n) => page.getByTestId(`photo-${n}-outcome`);
    const download = (n) => page.getByTestId(`photo-${n}-download`);
    const summaryRow = async (n) => text(page, `summary-photo-${n}`);
    /** The request the page sends for one photo alone (see app.js explainPhoto). */
    const single = (media, ids) => ({ schema_version: 1, domain: 'images', channel: 'website', media, pupils: ids.map(byId) });

    await step('open the page: the engine loads and no school is chosen for you', async () => {
      await page.goto(url);
      await page.waitForFunction(
        () => document.body.dataset.ready === 'true' || document.getElementById('engine-status').classList.contains('error'),
      );
      assert.match(await text(page, 'engine-status'), /^Rules engine ready \(safeguard \d+\.\d+\.\d+\)\. Choose your school to begin\.$/);
      assert.equal(await page.getByTestId('policy').inputValue(), '', 'no default policy');
      const options = await page.locator('#policy option').allInnerTexts();
      assert.equal(options[0], 'Choose your school…');
      assert.ok(options.includes('National guidance only (no school policy)'), `policy names: ${options.join(', ')}`);
      assert.ok(options.includes('Hilldene Primary School'));
      assert.equal(options.length, 7, 'the placeholder and the six presets');
      // The first Tab stop is the skip link.
      await page.locator('body').focus();
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    });

    await step('a roster with a bad line loads nothing and names the line', async () => {
      const csv = 'pupil_id,first_name,last_name,restriction,consent_website\r\nx1,"Smith, Amy",Jones,none,yes\r\nx2,Raj,Patel,none,maybe\r\nx3,Zoe\r\n';
      await page.getByTestId('roster-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.waitForFunction(() => document.getElementById('roster-status').textContent.includes('bad.csv'));
      assert.equal(await text(page, 'roster-status'), 'bad.csv was not loaded (2 problems, listed by line below).');
      includesAll(await text(page, 'roster-errors'), ['bad.csv was not loaded: nothing in it was used.', 'No roster is loaded yet.', 'Line 3: consent_website is "maybe"', 'Line 4: has 2 fields but the first row names 5'], 'the roster errors');
      assert.equal(await page.locator('#roster-table tbody tr').count(), 0);
    });

    await step('a photo before the school is chosen has no decision', async () => {
      await page.getByTestId('photo-files').setInputFiles({ name: photoName, mimeType: 'image/jpeg', buffer: Buffer.from(photo) });
      await page.getByTestId('photo-card').first().waitFor();
      includesAll(await text(page, 'photo-1-metadata'), ['Location data found: GPS position (EXIF).', '51.56789° N, 0.12345° W', "the photographer's name"], 'the metadata notice');
      includesAll(await text(page, 'photo-1-needed'), ['No decision yet.', 'Choose your school in step 1'], 'the card');
      assert.equal(await outcome(1).count(), 0);
      assert.equal(await download(1).count(), 0);
      assert.match(await summaryRow(1), /No decision yet/);
    });

    await step('choose the school: no decision before a roster is loaded', async () => {
      await page.getByTestId('policy').selectOption('baseline');
      await page.getByTestId('channel').selectOption('website');
      assert.match(await text(page, 'policy-info'), /^National guidance only \(no school policy\): policy version 2026\.\d+\.$/);
      // Even "no pupil can be identified" waits for the roster: names in the
      // caption, tags and file name are looked for in it.
      await page.getByTestId('photo-1-nobody').check();
      includesAll(await text(page, 'photo-1-needed'), ['No decision yet.', 'Load the class roster'], 'the card');
      assert.equal(await outcome(1).count(), 0);
      await page.getByTestId('photo-1-nobody').uncheck();
    });

    await step('load the sample roster from the keyboard', async () => {
      await page.getByTestId('load-sample-roster').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.getElementById('roster-status').textContent.includes('sample-roster.csv'));
      assert.equal(await text(page, 'roster-status'), '8 pupils loaded from sample-roster.csv.');
      assert.equal(await text(page, 'roster-errors'), '');
      assert.equal(await page.locator('#roster-table tbody tr').count(), 8);
    });

    await step('still no decision until staff say who is in the photo', async () => {
      includesAll(await text(page, 'photo-1-needed'), ['No decision yet.', 'Who is in this photo?', 'No pupil can be identified in this photo'], 'the card');
      assert.equal(await outcome(1).count(), 0, 'no decision with nobody chosen');
      assert.equal(await download(1).count(), 0, 'no download with nobody chosen');
      assert.match(await summaryRow(1), /No decision yet Say who is in it/);
      // The picker is collapsed: no pupil's checkbox is in view before the decision.
      assert.equal(await page.getByTestId('photo-1-pupil-p01').isVisible(), false);
    });

    const media1 = {
      kind: 'photo',
      composition: 'group',
      filename: photoName,
      captured_on: 'school_device',
      has_geodata: true,
      caption: 'Sports day: Amy Smith wins the sack race',
      tags: ['sports day', 'summer'],
      suitably_dressed: true,
    };

    await step('say who is in it (search as you type) and see the engine\'s explanation', async () => {
      await page.locator('#photo-1-more summary').click();
      await page.getByTestId('photo-1-caption').fill(media1.caption);
      await page.getByTestId('photo-1-tags').fill('sports day, summer');
      await page.getByTestId('photo-1-dressed').selectOption('yes');
      await page.locator('#photo-1-picker summary').click();
      await page.getByTestId('photo-1-find').fill('zo');
      assert.equal(await page.getByTestId('photo-1-pupil-p03').isVisible(), true);
      assert.equal(await page.getByTestId('photo-1-pupil-p01').isVisible(), false, 'the search hides other pupils');
      await page.getByTestId('photo-1-pupil-p03').check();
      await page.getByTestId('photo-1-find').fill('');
      for (const id of ['p01', 'p02']) await page.getByTestId(`photo-1-pupil-${id}`).check();
      await page.getByTestId('photo-1-composition').selectOption('group');
      await outcome(1).waitFor();
      assert.equal(await text(page, 'photo-1-chosen'), 'Chosen: Zoë Taylor-Brown (p03), Amy Smith (p01), Raj Patel (p02).');

      const x = engineExplain('baseline', single(media1, ['p03', 'p01', 'p02']));
      assert.equal(x.outcome, 'publish_with_changes');
      assert.equal(await text(page, 'photo-1-outcome'), 'Publish with changes');
      assert.equal(await text(page, 'photo-1-headline'), x.headline);
      // Each change is the engine's sentence (a pupil left out also named from the roster).
      const changes = await page.getByTestId('photo-1-changes').locator('li').allInnerTexts();
      assert.equal(changes.length, x.changes.length);
      changes.forEach((c, i) => assert.ok(c.startsWith(x.changes[i]), `change ${i}: ${c} is not the engine's ${x.changes[i]}`));
      includesAll(await text(page, 'photo-1-changes'), ['p03 is Zoë Taylor-Brown on the roster.'], 'the pupil to leave out');
      assert.ok(!(await text(page, 'photo-1-pupils')).includes('null'));
      assert.ok(x.changes.length >= 3, `rename, caption, location, leave out: ${x.changes}`);
      const blocked = await text(page, 'photo-1-blocked');
      // The engine tells withdrawn consent from refused and never asked; the
      // page adds only who the pupil is, and no consent wording of its own.
      assert.ok(x.ruled_out.some((r) => r.includes('"p03"') && r.includes('has been withdrawn')), `the engine's words: ${x.ruled_out}`);
      includesAll(blocked, [...x.ruled_out, 'p03 is Zoë Taylor-Brown on the roster.'], 'who is ruled out');
      assert.doesNotMatch(await text(page, 'photo-1-result'), /The roster records|\(recorded|not recorded/, 'the page\'s own consent wording');
      const reasons = await text(page, 'photo-1-reasons');
      for (const r of x.rules) includesAll(reasons, [r.summary, `${r.document}, section “${r.section}”`], 'the rules');
      assertPlain(await text(page, 'photo-1-result'), 'the photo\'s decision');
      assert.match(await summaryRow(1), new RegExp(`Publish with changes ${x.changes.length} changes before publishing`));
    });

    await step('the download is the copy to publish: renamed, no location or identifying metadata, same pixels', async () => {
      const x = engineExplain('baseline', single(media1, ['p03', 'p01', 'p02']));
      // The file name names Amy: the engine asks for the file to be renamed
      // (and, with the tags free of names, not for the tags).
      assert.ok(x.changes.includes("Rename the file so that it holds no pupil's name."), `${x.changes}`);
      assert.ok(!x.changes.some((c) => c.includes('tags')), `${x.changes}`);
      includesAll(await text(page, 'photo-1-changes'), ["Rename the file so that it holds no pupil's name."], 'the rename');
      includesAll(await text(page, 'photo-1-copy'), ["named without pupils' names", 'the picture itself is unchanged'], 'the copy');
      // The original records a location and the photographer; this build
      // of the engine can remove the latter, so the page offers it, ticked.
      const before = nodeWasm.inspectImage(photo);
      assert.equal(before.has_location, true);
      assert.ok(before.identifying.some((f) => f.field === 'artist'), `the fixture records a photographer: ${JSON.stringify(before.identifying)}`);
      assert.equal(typeof nodeWasm.stripIdentifying, 'function', 'the engine build has stripIdentifying');
      assert.equal(await page.getByTestId('photo-1-strip-identifying').count(), 1, 'the page offers to remove identifying metadata');
      assert.equal(await page.getByTestId('photo-1-strip-identifying').isChecked(), true);
      const saveCopy = async () => {
        const [dl] = await Promise.all([page.waitForEvent('download'), download(1).click()]);
        const name = dl.suggestedFilename();
        const saved = path.join(work, `${Date.now()}-${name}`);
        await dl.saveAs(saved);
        return { name, copy: new Uint8Array(await readFile(saved)) };
      };
      const { name, copy } = await saveCopy();
      assert.equal(name, 'photo-1.jpg');
      for (const p of sample) {
        for (const part of [p.first_name, p.last_name]) assert.ok(!name.toLowerCase().includes(part.toLowerCase()), `${name} names ${part}`);
      }
      const exif = readExif(copy);
      assert.ok(!exif.ifd0Tags.includes(GPS_IFD_TAG), 'IFD0 still points to a GPS IFD');
      assert.equal(exif.gpsPointer, null);
      assert.ok(!exif.ifd0Tags.includes(TAG_ARTIST), "the photographer's name is still in the copy");
      const after = nodeWasm.inspectImage(copy);
      assert.equal(after.has_location, false, 'location left in the copy');
      assert.deepEqual(after.identifying, [], 'identifying metadata left in the copy');
      // Pixels untouched: the scan is byte-identical.
      assert.ok(Buffer.from(scanBytes(copy)).equals(Buffer.from(scanBytes(photo))), 'the JPEG scan bytes changed');
      includesAll(await text(page, 'photo-1-copy'), ['location removed', 'photographer, owner, copyright, serial numbers and dates removed'], 'the copy');
      // Unticked: the copy keeps the photographer but still has no location.
      await page.getByTestId('photo-1-strip-identifying').uncheck();
      await page.waitForFunction(() => !document.querySelector('[data-testid="photo-1-copy"]')?.textContent.includes('serial numbers'));
      const kept = await saveCopy();
      assert.equal(nodeWasm.inspectImage(kept.copy).has_location, false);
      assert.ok(readExif(kept.copy).ifd0Tags.includes(TAG_ARTIST), 'unticked, the photographer is kept');
      assert.ok(Buffer.from(scanBytes(kept.copy)).equals(Buffer.from(scanBytes(photo))), 'the JPEG scan bytes changed');
      await page.getByTestId('photo-1-strip-identifying').check();
      await page.waitForFunction(() => document.querySelector('[data-testid="photo-1-copy"]')?.textContent.includes('serial numbers'));
    });

    await step('a name in the tags: the engine\'s own sentence for the tags, apart from the file name\'s', async () => {
      await page.getByTestId('photo-1-tags').fill('sports day, Raj Patel');
      await page.getByTestId('photo-1-tags').blur();
      await page.waitForFunction(() => document.querySelector('[data-testid="photo-1-changes"]')?.textContent.includes('tags'));
      const x = engineExplain('baseline', single({ ...media1, tags: ['sports day', 'Raj Patel'] }, ['p03', 'p01', 'p02']));
      assert.ok(x.changes.includes("Rename the file so that it holds no pupil's name."), `${x.changes}`);
      assert.ok(x.changes.includes("Take pupils' names out of the image's tags."), `${x.changes}`);
      const changes = await page.getByTestId('photo-1-changes').locator('li').allInnerTexts();
      assert.equal(changes.length, x.changes.length);
      changes.forEach((c, i) => assert.ok(c.startsWith(x.changes[i]), `change ${i}: ${c} is not the engine's ${x.changes[i]}`));
      assert.equal(await download(1).getAttribute('download'), 'photo-1.jpg');
      await page.getByTestId('photo-1-tags').fill('sports day, summer');
      await page.getByTestId('photo-1-tags').blur();
      await page.waitForFunction(() => !document.querySelector('[data-testid="photo-1-changes"]')?.textContent.includes('tags'));
    });

    await step('a caption naming a pupil of the class who is not in the photo: the gallery\'s words', async () => {
      // Amy is named in the caption but unticked: only the gallery (every
      // roster name) sees it, so the page shows the gallery's sentence.
      await page.getByTestId('photo-1-pupil-p01').uncheck();
      await page.waitForFunction(() => !document.getElementById('photo-1-chosen').textContent.includes('Amy'));
      const request = {
        schema_version: 1,
        domain: 'images',
        channel: 'website',
        roster: sample,
        images: [{ id: 'photo-1', media: { ...media1, composition: 'group' }, pupils: ['p03', 'p02'] }],
      };
      const g = engineExplain('baseline', request);
      const alone = engineExplain('baseline', single(media1, ['p03', 'p02']));
      assert.notDeepEqual(alone.changes.length, 0);
      const headline = await text(page, 'photo-1-headline');
      assert.equal(headline, g.gallery[0], 'the gallery\'s own sentence for the photo');
      assert.ok(g.gallery[0].includes('caption'), `the caption's change is in it: ${g.gallery[0]}`);
      assertPlain(await text(page, 'photo-1-result'), 'the photo\'s decision');
      await page.getByTestId('photo-1-pupil-p01').check();
      await page.waitForFunction(() => document.getElementById('photo-1-chosen').textContent.includes('Amy'));
    });

    await step('typing a caption decides again at once: no decision for the earlier caption stays while staff type', async () => {
      await page.locator('#photo-1-more').evaluate((e) => { e.open = true; });
      const before = await text(page, 'photo-1-result');
      const caption = page.getByTestId('photo-1-caption');
      // The card's text as `text` reads it, once it meets `wanted` (5 s at most).
      const resultBecomes = async (wanted, what) => {
        for (let i = 0; i < 50; i++) {
          if (wanted(await text(page, 'photo-1-result'))) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.fail(`the decision did not follow the caption: ${what}`);
      };
      // fill() types the text (input events) and does not leave the field.
      await caption.fill(`${media1.caption}, with Raj Patel`); // Raj: no consent to be named
      await resultBecomes((t) => t !== before && t.includes("Take pupils' names out of the caption"), 'Raj named');
      assert.ok(await caption.evaluate((e) => e === document.activeElement), 'still typing in the caption');
      await caption.fill(media1.caption);
      await resultBecomes((t) => t === before, 'the caption as it was');
    });

    await step('nobody chosen, then "no pupil can be identified": a decision only after that choice', async () => {
      await page.getByTestId('photo-files').setInputFiles({ name: 'shared-fixture.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(gpsJpeg()) });
      await page.getByTestId('photo-2-needed').waitFor();
      assert.equal(await outcome(2).count(), 0);
      await page.getByTestId('photo-2-nobody').check();
      await outcome(2).waitFor();
      const media = { kind: 'photo', composition: 'group', filename: 'shared-fixture.jpg', captured_on: 'school_device', has_geodata: true };
      const x = engineExplain('baseline', single(media, []));
      assert.equal(await text(page, 'photo-2-headline'), x.headline);
      assert.deepEqual(await page.getByTestId('photo-2-changes').locator('li').allInnerTexts(), x.changes);
      const [dl] = await Promise.all([page.waitForEvent('download'), download(2).click()]);
      assert.equal(dl.suggestedFilename(), 'shared-fixture-no-location.jpg');
      const clean = new Uint8Array(await readFile(await dl.path()));
      const fixture = gpsJpeg();
      assert.ok(Buffer.from(clean.subarray(-GPS_JPEG_SCAN_BYTES)).equals(Buffer.from(fixture.subarray(-GPS_JPEG_SCAN_BYTES))));
      assert.equal(readExif(clean).gpsPointer, null);
      // Now a do-not-photograph pupil is in it: choosing both is a contradiction
      // (no decision), and with "nobody" unticked it must not be published.
      await page.locator('#photo-2-picker summary').click();
      await page.getByTestId('photo-2-pupil-p07').check();
      await page.getByTestId('photo-2-needed').waitFor();
      assert.equal(await outcome(2).count(), 0);
      await page.getByTestId('photo-2-nobody').uncheck();
      await outcome(2).waitFor();
      assert.equal(await text(page, 'photo-2-outcome'), 'Do not publish this image');
      // The engine's sentences (refused consent in its own words), each with
      // who the pupil is from the roster.
      const x7 = engineExplain('baseline', single({ ...media, composition: 'individual' }, ['p07']));
      assert.ok(x7.ruled_out.some((r) => r.includes('a restriction means')), `${x7.ruled_out}`);
      assert.ok(x7.ruled_out.some((r) => r.includes('was refused')), `${x7.ruled_out}`);
      assert.deepEqual(
        (await page.getByTestId('photo-2-blocked').locator('li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ')),
        x7.ruled_out.map((r) => `${r} p07 is Noah Brown on the roster.`),
      );
      assert.equal(await download(2).count(), 0, 'nothing to publish');
    });

    await step('a bad roster after a good one changes nothing: roster, ticks and decisions stay', async () => {
      const before1 = await text(page, 'photo-1-result');
      const before2 = await text(page, 'photo-2-result');
      const csv = 'pupil_id,first_name,last_name,restriction\nq1,Ann,Lee,none\nq2,Bo,\n';
      await page.getByTestId('roster-file').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.waitForFunction(() => document.getElementById('roster-status').textContent.includes('broken.csv'));
      includesAll(await text(page, 'roster-errors'), ['broken.csv was not loaded', 'The roster in use is still sample-roster.csv (8 pupils)', 'Line 3:'], 'the roster errors');
      assert.equal(await page.locator('#roster-table tbody tr').count(), 8);
      for (const id of ['p01', 'p02', 'p03']) assert.equal(await page.getByTestId(`photo-1-pupil-${id}`).isChecked(), true, `${id} still ticked`);
      assert.equal(await page.getByTestId('photo-2-pupil-p07').isChecked(), true);
      assert.equal(await text(page, 'photo-1-result'), before1);
      assert.equal(await text(page, 'photo-2-result'), before2);
      assert.equal(await text(page, 'photo-2-outcome'), 'Do not publish this image');
    });

    await step('a good roster without a chosen pupil: no decision until resolved; the ticks come back', async () => {
      const csv = 'pupil_id,first_name,last_name,restriction\np01,Amy,Smith,none\np02,Raj,Patel,none\np03,Zoë,Taylor-Brown,none\n';
      await page.getByTestId('roster-file').setInputFiles({ name: 'three.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.waitForFunction(() => document.getElementById('roster-status').textContent.includes('three.csv'));
      // Photo 2 shows Noah (p07), who is not on this roster: no decision.
      await page.getByTestId('photo-2-needed').waitFor();
      assert.equal(await outcome(2).count(), 0);
      includesAll(await text(page, 'photo-2-pupils'), ['Chosen but not on the roster now loaded as the pupil chosen: p07'], 'the missing pupil');
      // The sample roster again: the tick and the decision are back.
      await page.getByTestId('load-sample-roster').click();
      await page.waitForFunction(() => document.getElementById('roster-status').textContent.includes('sample-roster.csv'));
      await outcome(2).waitFor();
      assert.equal(await page.getByTestId('photo-2-pupil-p07').isChecked(), true);
      assert.equal(await text(page, 'photo-2-outcome'), 'Do not publish this image');
    });

    await step('another class numbered the same way: a tick never moves to a different child', async () => {
      // Another class's roster where p07 is a child with every consent: the
      // tick made for Noah Brown (do not photograph) must not become hers.
      const header = 'pupil_id,first_name,last_name,on_roll,left_on,restriction,consent_display,consent_website,consent_prospectus,consent_social_media,consent_press,consent_name_with_image,consent_individual_use';
      const csv = `${header}\np07,Ella,Green,yes,,none,yes,yes,yes,yes,yes,yes,yes\n`;
      await page.getByTestId('roster-file').setInputFiles({ name: 'other-class.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.waitForFunction(() => document.getElementById('roster-status').textContent.includes('other-class.csv'));
      await page.getByTestId('photo-2-needed').waitFor();
      assert.equal(await outcome(2).count(), 0, 'no decision for another child under the same id');
      assert.equal(await page.getByTestId('photo-2-download').count(), 0, 'no download');
      includesAll(await text(page, 'photo-2-unsettled'), ['p07'], 'the tick that no longer names the pupil chosen');
      // The class's own roster again: Noah's tick and decision are back.
      await page.getByTestId('load-sample-roster').click();
      await page.waitForFunction(() => document.getElementById('roster-status').textContent.includes('sample-roster.csv'));
      await outcome(2).waitFor();
      assert.equal(await text(page, 'photo-2-outcome'), 'Do not publish this image');
    });

    await step('files the engine cannot read: "Cannot check this file", no decision, no download', async () => {
      const truncated = photo.subarray(0, Math.floor(photo.length * 0.6));
      const files = [
        { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Sports day notes\n') },
        { name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('this is only text, renamed .jpg\n') },
        { name: 'truncated.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(truncated) },
      ];
      await page.getByTestId('photo-files').setInputFiles(files);
      await page.getByTestId('photo-5-result').waitFor();
      for (const n of [3, 4, 5]) {
        assert.equal(await text(page, `photo-${n}-outcome`), 'Cannot check this file');
        const t = await text(page, `photo-${n}-result`);
        includesAll(t, ['No decision is given for it'], `photo ${n}`);
        assert.match(t, /not a picture the checker can read|cannot read this kind of file/);
        assertPlain(t, `photo ${n}`);
        assert.doesNotMatch(t, /invalid_image|unsupported_image|\[/);
        assert.equal(await download(n).count(), 0);
        assert.equal(await page.getByTestId(`photo-${n}-pupils`).count(), 0);
        assert.match(await summaryRow(n), /Cannot check this file Nothing to publish/);
      }
    });

    await step('a file over 50 MiB (made in a temporary folder): "Cannot check this file"', async () => {
      const big = path.join(work, 'big-photo.jpg');
      const bytes = Buffer.alloc(50 * 1024 * 1024 + 4096);
      bytes.set(photo.subarray(0, 1024), 0);
      await writeFile(big, bytes);
      await page.getByTestId('photo-files').setInputFiles(big);
      await page.getByTestId('photo-6-result').waitFor();
      assert.equal(await text(page, 'photo-6-outcome'), 'Cannot check this file');
      includesAll(await text(page, 'photo-6-result'), ['The file is larger than 50 MB'], 'the oversized file');
      assert.equal(await download(6).count(), 0);
      await rm(big);
    });

    await step('metadata the engine cannot read: the page says so, and the copy to publish has it removed', async () => {
      // No location, but an XMP packet that is not XML: it might hide one.
      const xmp = new TextEncoder().encode('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:RDF>51,30N London');
      const app1 = new Uint8Array([0xff, 0xe1, (xmp.length + 2) >> 8, (xmp.length + 2) & 0xff, ...xmp]);
      const unreadable = withApp1(nodeWasm.stripLocation(gpsJpeg()), app1);
      const info = nodeWasm.inspectImage(unreadable);
      assert.equal(info.has_location, false);
      assert.equal(info.unreadable_metadata, true);
      await page.getByTestId('photo-files').setInputFiles({ name: 'unreadable.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(unreadable) });
      await page.getByTestId('photo-7-needed').waitFor();
      includesAll(await text(page, 'photo-7-unreadable'), ['could not be read, so it may hide a location'], 'the notice');
      await page.getByTestId('photo-7-nobody').check();
      await outcome(7).waitFor();
      includesAll(await text(page, 'photo-7-copy'), ['metadata that could not be read removed, as it might hold a location'], 'the copy');
      assert.ok(!(await text(page, 'photo-7-copy')).includes('location removed;'), 'no location to say it removed');
      const [dl] = await Promise.all([page.waitForEvent('download'), download(7).click()]);
      assert.equal(dl.suggestedFilename(), 'unreadable-no-location.jpg');
      const copy = new Uint8Array(await readFile(await dl.path()));
      assert.ok(!Buffer.from(copy).includes('London'), 'the unreadable packet is still in the copy');
      assert.equal(nodeWasm.inspectImage(copy).unreadable_metadata, undefined);
      assert.ok(Buffer.from(scanBytes(copy)).equals(Buffer.from(scanBytes(unreadable))), 'the JPEG scan bytes changed');
    });

    await step('the device form shows the engine\'s explanation', async () => {
      await page.getByTestId('dev-role').selectOption('pupil');
      await page.getByTestId('dev-year').selectOption('6');
      await page.getByTestId('dev-kind').selectOption('mobile_phone');
      await page.getByTestId('dev-owner').selectOption('personal');
      await page.getByTestId('dev-action').selectOption('use_calls_messages');
      await page.getByTestId('dev-location').selectOption('classroom');
      await page.getByTestId('dev-period').selectOption('lesson');
      await page.getByTestId('dev-check').click();
      await page.getByTestId('device-headline').waitFor();
      // The request the form sends, for a person of `role` in year 6.
      const phoneInLesson = (role) => ({
        schema_version: 1, domain: 'devices', actor: { role, year_group: 6 },
        device: { kind: 'mobile_phone', owner: 'personal' }, action: 'use_calls_messages', context: { location: 'classroom', period: 'lesson' },
      });
      const x = engineExplain('baseline', phoneInLesson('pupil'));
      assert.equal(x.outcome, 'deny');
      assert.equal(await text(page, 'device-headline'), x.headline);
      const t = await text(page, 'device-result');
      includesAll(t, [...x.if_broken, ...x.rules.map((r) => r.document)], 'the device decision');
      assertPlain(t, 'the device decision');
      // An answer is for the facts it was given: changing one takes it
      // away until Decide is pressed again.
      await page.getByTestId('dev-location').selectOption('playground');
      await page.getByTestId('device-result-stale').waitFor();
      assert.equal(await page.getByTestId('device-headline').count(), 0, 'no answer to other facts');
      await page.getByTestId('dev-location').selectOption('classroom');
      await page.getByTestId('dev-check').click();
      await page.getByTestId('device-headline').waitFor();
      assert.equal(await text(page, 'device-headline'), x.headline);
      // A teacher with a year group: the engine refuses the request, and the
      // page shows its words, naming the field and what is expected.
      await page.getByTestId('dev-role').selectOption('teacher');
      await page.getByTestId('dev-check').click();
      await page.getByTestId('device-refused').waitFor();
      const refused = engineExplain('baseline', phoneInLesson('teacher'));
      assert.equal(refused.kind, 'refused');
      assert.equal(refused.field, 'the year group of the person using the device');
      const shown = await text(page, 'device-refused');
      includesAll(shown, [refused.headline, refused.field, refused.expected], 'the refused device request');
      assert.equal(await text(page, 'device-refused-text'), refused.text.slice(refused.headline.length).trim());
      assert.equal(shown.split(refused.expected).length, 2, 'what is expected is said once');
      assert.doesNotMatch(shown, /\$\.|year_group|invalid_value/, `a path or token: ${shown}`);
      assertPlain(shown, 'the refused device request');
      assert.equal(await page.getByTestId('device-headline').count(), 0, 'no decision beside the refusal');
      await page.getByTestId('dev-role').selectOption('pupil');
    });

    await step('the sexting form shows the engine\'s explanation, and words for a refused request', async () => {
      await page.getByTestId('sx-date').fill('2026-03-02');
      await page.getByTestId('sx-fact-coercion_blackmail_or_grooming').selectOption('yes');
      await page.getByTestId('sx-check').click();
      await page.getByTestId('sexting-headline').waitFor();
      assert.equal(await text(page, 'sexting-headline'), "REFER IMMEDIATELY to the police and children's social care.");
      const steps = page.getByTestId('sexting-actions').locator('li');
      assert.equal(await steps.filter({ has: page.locator('strong', { hasText: 'Report it to the DSL' }) }).count(), 1, 'the DSL is told once');
      assert.equal(await page.getByTestId('sexting-actions').locator('li[data-action="refer_to_police"]').count(), 1);
      assertPlain(await text(page, 'sexting-result'), 'the sexting decision');
      // An empty id: the engine refuses the request; the page says so in words.
      await page.getByTestId('sx-person-1-id').fill('');
      await page.getByTestId('sx-check').click();
      await page.getByTestId('sexting-refused').waitFor();
      const refused = await text(page, 'sexting-result');
      assert.doesNotMatch(refused, /\$\.|young_people|invalid_value/, `a path or token: ${refused}`);
      const x = engineExplain('baseline', {
        schema_version: 1, domain: 'sexting', incident_date: '2026-03-02',
        young_people: [{ id: '', role: 'subject', age: 14 }, { id: 'b', role: 'recipient', age: 15 }],
        facts: { coercion_blackmail_or_grooming: 'yes' },
      });
      assert.equal(x.kind, 'refused');
      assert.equal(x.field, 'the id of young person 1');
      includesAll(refused, [x.headline, x.field, x.expected], 'the refused sexting request');
      assert.equal(await text(page, 'sexting-refused-text'), x.text.slice(x.headline.length).trim());
      assertPlain(refused, 'the refused sexting request');
      assert.equal(await page.getByTestId('sexting-headline').count(), 0, 'no decision beside the refusal');
      await page.getByTestId('sx-person-1-id').fill('a');
    });

    await step('no policy digest in view; it is inside "About this decision"', async () => {
      const digest = await page.evaluate(() => document.querySelector('[data-testid="photo-1-about"] .digest').textContent);
      const hex = /[0-9a-f]{64}/.exec(digest);
      assert.ok(hex, `the audit detail holds the digest: ${digest}`);
      const visible = await page.evaluate(() => document.body.innerText);
      assert.ok(!visible.includes(hex[0]), 'the digest is in view');
      assert.doesNotMatch(visible, /digest [0-9a-f]{8}/i);
    });

    await step('accessibility at 1280 px: axe-core finds no violation', async () => {
      await page.addScriptTag({ path: AXE });
      await axeClean(page, '1280 px');
    });

    await step('screenshot at 1280 px', async () => {
      await mkdir(OUT, { recursive: true });
      await page.screenshot({ path: path.join(OUT, 'consent-checker-1280.png'), fullPage: true });
    });

    await step('at 390 px wide nothing scrolls sideways', async () => {
      await assertNoOverflowAt390(page);
      // The young people's fields are not squeezed: each is at least 150 px.
      const widths = await page.evaluate(() => ['sx-person-1-id', 'sx-person-1-age'].map((id) => document.getElementById(id).getBoundingClientRect().width));
      for (const w of widths) assert.ok(w >= 150, `a young person's field is ${w} px wide`);
      await axeClean(page, '390 px');
      await page.screenshot({ path: path.join(OUT, 'consent-checker-390.png'), fullPage: true });
    });

    await step('no console errors, failed requests or uncaught exceptions', async () => {
      assert.deepEqual(problems, []);
    });
    for (const n of notes) console.log(`note: ${n}`);
    console.log(`screenshots: ${path.join(OUT, 'consent-checker-1280.png')}, ${path.join(OUT, 'consent-checker-390.png')}`);
  } finally {
    if (context) await context.close().catch(() => {});
    if (server) await server.close();
    await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
    await rm(work, { recursive: true, force: true }).catch(() => {});
  }
}

run(main);
