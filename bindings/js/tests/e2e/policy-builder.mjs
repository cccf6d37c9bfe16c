// End-to-end test of the policy builder page (bindings/js/demo/builder.html)
// in real Chromium, driven by playwright-core. Run by scripts/test-e2e,
// which builds the package and the CLI first; on its own:
//
//   node bindings/js/tests/e2e/policy-builder.mjs
//
// Environment: CHROMIUM (default /usr/bin/chromium), SAFEGUARD_CLI (default
// <repo>/target/debug/safeguard), E2E_OUT (default <repo>/target/e2e/).
//
// What it checks (issue 24, point 3), always on what the page shows:
//  - every question of the engine's model (`questions()` of the Node build)
//    is on the page, grouped by domain, its national default chosen;
//  - without the school's details there is no policy: the page shows the
//    engine's own explanation of the build error (`explainError`), and the
//    policy download is off;
//  - an answer that departs from national guidance without a section to
//    cite takes the preview away (no stale examples) and names the
//    question; with the section, the preview comes back;
//  - the examples' headlines are the engine's (`explain` under the policy
//    the Node build makes from the same answers); the diff against national
//    guidance lists the difference;
//  - the downloaded policy is byte for byte the Node build's for the same
//    answers, and the CLI loads it (`safeguard policy check FILE`);
//  - the downloaded answers file, reopened in a fresh page, shows the same
//    answers and builds the same policy; what the page does not show (the
//    named people) is kept from a reopened file in both downloads; a file
//    that is not an answers file changes nothing;
//  - axe-core finds no violation at 1280 and 390 px, nothing scrolls
//    sideways at 390 px; screenshots target/e2e/policy-builder-{1280,390}.png;
//  - no console error.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serve } from '../../demo/serve.mjs';
import { EXAMPLES, exampleRequest } from '../../demo/builder.js';
import { Engine, questions, buildPolicy, explainError } from '../../dist/node/index.mjs';
import { OUT, REPO, AXE, assertNoOverflowAt390, axeClean, launchChromium, openPage, run, step, text } from './harness.mjs';

const CLI = process.env.SAFEGUARD_CLI ?? path.join(REPO, 'target/debug/safeguard');

/** The test ids of a question's controls, as the page names them. */
const qid = (id) => `q-${id.replace(/[^a-z0-9]+/gi, '-')}`;

/** The engine's explanation of a build error for `answers` (Node build). */
function buildErrorWords(answers) {
  try {
    buildPolicy(JSON.stringify(answers));
  } catch (e) {
    return explainError(e.json);
  }
  throw new Error('these answers should not build');
}

/** The headlines of the examples under the policy `toml` (Node build). */
function exampleHeadlines(toml) {
  const engine = Engine.fromPolicy(toml, 'toml');
  try {
    return EXAMPLES.map((x) => engine.explain(exampleRequest(x)).headline);
  } finally {
    engine.free();
  }
}

async function waitReady(page) {
  await page.waitForSelector('body[data-ready="true"]');
}

async function previewReady(page) {
  await page.getByTestId('preview-ready').waitFor();
}

async function main() {
  const model = questions();
  const server = await serve({ port: 0 });
  const url = new URL('builder.html', server.url).href;
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'safeguard-e2e-chromium-'));
  const work = await mkdtemp(path.join(os.tmpdir(), 'safeguard-e2e-builder-'));
  let context = null;
  const problems = [];
  try {
    context = await step('launch Chromium', () => launchChromium(userDataDir));
    const page = await openPage(context, problems);

    await step('the consent checker links to the builder', async () => {
      await page.goto(server.url);
      await page.getByTestId('builder-link').click();
      await waitReady(page);
      assert.equal(new URL(page.url()).pathname.endsWith('/builder.html'), true);
    });

    await step('every question of the model is on the page, by domain, its national default chosen', async () => {
      assert.ok(model.length >= 2, 'the model has questions');
      for (const q of model) {
        const fieldset = page.locator(`fieldset[data-question="${q.id}"]`);
        assert.equal(await fieldset.count(), 1, q.id);
        assert.equal(await page.getByTestId(`domain-${q.domain}`).locator(`fieldset[data-question="${q.id}"]`).count(), 1, `${q.id} under its domain`);
        assert.equal((await fieldset.locator('legend').innerText()).trim(), q.prompt);
        assert.equal(await page.getByTestId(`${qid(q.id)}-${q.default}`).isChecked(), true, `${q.id} default chosen`);
        assert.equal(await fieldset.locator('input[type="radio"]').count(), q.choices.length);
      }
    });

    await step('without the school\'s details: the engine\'s words for the build error, no download', async () => {
      await page.getByTestId('preview-error').waitFor();
      const words = buildErrorWords({ school: { id: '', name: '', version: '', source: '' }, answers: [] });
      assert.equal(await text(page, 'preview-error-words'), words.headline);
      assert.equal(await page.getByTestId('download-policy').isDisabled(), true);
      assert.equal(await page.getByTestId('example-0').count(), 0);
    });

    const school = {
      id: 'oak-hill-primary-school',
      name: 'Oak Hill Primary School',
      version: '2026-01-15',
      source: 'Oak Hill Primary School, Online Safety Policy, January 2026',
    };
    await step('the school\'s details alone: a policy that is national guidance', async () => {
      await page.getByTestId('school-name').fill(school.name);
      assert.equal(await page.getByTestId('school-id').inputValue(), school.id);
      await page.getByTestId('school-source').fill(school.source);
      await page.getByTestId('school-version').fill(school.version);
      await previewReady(page);
      await page.getByTestId('diff-none').waitFor();
      const toml = buildPolicy(JSON.stringify({ school, answers: [] }));
      const headlines = exampleHeadlines(toml);
      for (const [i, h] of headlines.entries()) {
        assert.equal(await text(page, `example-${i}`), h.replace(/\s+/g, ' ').trim(), `example ${i}`);
      }
    });

    const phones = qid('devices.pupil_phones');
    const years = qid('devices.pupil_phone_years');
    await step('an answer without a section to cite: no preview, the question named', async () => {
      assert.equal(await page.locator(`#${years}`).isHidden(), true, 'the year groups question waits for a phone answer');
      await page.getByTestId(`${phones}-hand_in_at_gate`).check();
      await page.getByTestId('preview-error').waitFor();
      assert.match(await text(page, 'preview-error-question'), /pupils' own phones/);
      assert.match(await text(page, 'preview-error'), /needs the section of your policy/);
      assert.equal(await text(page, 'preview-error-words'), buildErrorWords({ school, answers: [{ question: 'devices.pupil_phones', choice: 'hand_in_at_gate' }] }).headline);
      assert.equal(await page.getByTestId('example-0').count(), 0, 'no stale example beside the error');
      assert.equal(await page.getByTestId('download-policy').isDisabled(), true);
    });

    const expected = {
      school,
      answers: [
        { question: 'devices.pupil_phones', choice: 'hand_in_at_gate', cite: { source: school.source, section: 'Mobile phones' } },
        { question: 'devices.pupil_phone_years', choice: 'some_years', cite: { source: school.source, section: 'Mobile phones: Years 5 and 6' }, years: [5, 6] },
      ],
    };
    const expectedToml = buildPolicy(JSON.stringify(expected));
    await step('with the sections and year groups: the engine\'s decisions and the difference from national guidance', async () => {
      await page.getByTestId(`${phones}-section`).fill('Mobile phones');
      await page.locator(`#${years}`).waitFor();
      await page.getByTestId(`${years}-some_years`).check();
      await page.getByTestId(`${years}-section`).fill('Mobile phones: Years 5 and 6');
      await page.getByTestId(`${years}-from`).selectOption('5');
      await page.getByTestId(`${years}-to`).selectOption('6');
      await previewReady(page);
      const headlines = exampleHeadlines(expectedToml);
      for (const [i, h] of headlines.entries()) {
        assert.equal(await text(page, `example-${i}`), h.replace(/\s+/g, ' ').trim(), `example ${i}`);
      }
      assert.notEqual(headlines[0], headlines[1], 'Year 6 and Year 3 are decided differently');
      const diff = await text(page, 'diff-list');
      assert.match(diff, /your policy allows/i);
      assert.doesNotMatch(diff, /_|baseline|oak-hill/, `tokens in ${diff}`);
      await page.getByTestId('lint').waitFor();
    });

    const policyFile = path.join(work, 'policy.toml');
    await step('download the policy: the engine\'s, and the CLI loads it', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-policy').click()]);
      assert.equal(download.suggestedFilename(), `${school.id}.toml`);
      await download.saveAs(policyFile);
      assert.equal(await readFile(policyFile, 'utf8'), expectedToml);
      const out = execFileSync(CLI, ['policy', 'check', policyFile], { encoding: 'utf8' });
      assert.match(out, new RegExp(`^ok: ${school.id} ${school.version} digest [0-9a-f]{64}`));
    });

    const answersFile = path.join(work, 'answers.json');
    await step('download the answers: the answers given', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-answers').click()]);
      assert.equal(download.suggestedFilename(), `${school.id}-answers.json`);
      await download.saveAs(answersFile);
      assert.deepEqual(JSON.parse(await readFile(answersFile, 'utf8')), expected);
    });

    await step('reopen the answers file in a fresh page: the same answers, the same policy', async () => {
      await page.goto(url);
      await waitReady(page);
      await page.getByTestId('answers-file').setInputFiles(answersFile);
      await page.getByTestId('answers-file-loaded').waitFor();
      await previewReady(page);
      assert.equal(await page.getByTestId('school-name').inputValue(), school.name);
      assert.equal(await page.getByTestId(`${phones}-hand_in_at_gate`).isChecked(), true);
      assert.equal(await page.getByTestId(`${years}-some_years`).isChecked(), true);
      assert.equal(await page.getByTestId(`${years}-from`).inputValue(), '5');
      assert.equal(await page.getByTestId(`${years}-to`).inputValue(), '6');
      assert.equal(await page.getByTestId(`${phones}-section`).inputValue(), 'Mobile phones');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-policy').click()]);
      const again = path.join(work, 'again.toml');
      await download.saveAs(again);
      assert.equal(await readFile(again, 'utf8'), expectedToml);
    });

    await step('what the page does not show (the named people) is kept from a reopened file', async () => {
      const withPeople = {
        ...expected,
        roles: { dsl: { title: 'Designated Safeguarding Lead', name: 'A. Example', cite: { source: school.source, section: 'Key people' } } },
      };
      const file = path.join(work, 'with-people.json');
      await writeFile(file, JSON.stringify(withPeople));
      await page.getByTestId('answers-file').setInputFiles(file);
      await page.getByTestId('answers-file-loaded').waitFor();
      assert.match(await text(page, 'answers-file-loaded'), /kept as they are/);
      await previewReady(page);
      const [answers] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-answers').click()]);
      const saved = path.join(work, 'with-people-again.json');
      await answers.saveAs(saved);
      assert.deepEqual(JSON.parse(await readFile(saved, 'utf8')), withPeople);
      const [policy] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-policy').click()]);
      const toml = path.join(work, 'with-people.toml');
      await policy.saveAs(toml);
      assert.equal(await readFile(toml, 'utf8'), buildPolicy(JSON.stringify(withPeople)));
      assert.notEqual(await readFile(toml, 'utf8'), expectedToml, 'the named person is in the policy');
      // Named people are not rules: the summary is the questions' alone.
      assert.doesNotMatch(await text(page, 'preview-ready'), /own rules/);
    });

    await step("a reopened file's own rules are never summed up as following national guidance", async () => {
      const withRules = {
        ...expected,
        restate: [{ rule: 'images.floor.personal_device', cite: { source: school.source, section: 'Photos' } }],
      };
      const file = path.join(work, 'with-rules.json');
      await writeFile(file, JSON.stringify(withRules));
      await page.getByTestId('answers-file').setInputFiles(file);
      await page.getByTestId('answers-file-loaded').waitFor();
      await previewReady(page);
      assert.match(await text(page, 'preview-ready'), /also carries the school's own rules/);
    });

    await step('a file that is not an answers file changes nothing', async () => {
      const bad = path.join(work, 'notes.json');
      await writeFile(bad, 'not an answers file');
      await page.getByTestId('answers-file').setInputFiles(bad);
      await page.getByTestId('answers-file-error').waitFor();
      assert.equal(await page.getByTestId(`${phones}-hand_in_at_gate`).isChecked(), true);
      await previewReady(page);
    });

    await step('accessibility at 1280 px, and a screenshot', async () => {
      await page.addScriptTag({ path: AXE });
      await axeClean(page, '1280 px');
      await mkdir(OUT, { recursive: true });
      await page.screenshot({ path: path.join(OUT, 'policy-builder-1280.png'), fullPage: true });
    });

    await step('at 390 px: nothing scrolls sideways, no accessibility violation, a screenshot', async () => {
      await assertNoOverflowAt390(page);
      await axeClean(page, '390 px');
      await page.screenshot({ path: path.join(OUT, 'policy-builder-390.png'), fullPage: true });
    });

    await step('no console errors, failed requests or uncaught exceptions', async () => {
      assert.deepEqual(problems, []);
    });
    console.log(`screenshots: ${path.join(OUT, 'policy-builder-1280.png')}, ${path.join(OUT, 'policy-builder-390.png')}`);
  } finally {
    if (context) await context.close().catch(() => {});
    await server.close();
    await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
    await rm(work, { recursive: true, force: true }).catch(() => {});
  }
}

run(main);
