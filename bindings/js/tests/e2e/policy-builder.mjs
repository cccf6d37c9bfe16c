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
//    guidance lists the difference, in the engine's sentences
//    (`Engine.checks`);
//  - the examples cover every domain (a class photo with a pupil without
//    consent, a pupil's report after school, a low-level concern about
//    staff, a nude image shared), each shown as the engine says it
//    (headline, changes, the plan's steps); an answer about concerns about
//    staff and one about group photos change them as the engine says;
//  - no text of the preview holds a backtick, `$.`, a vocabulary token (each
//    `enum` value and property name with `_` in schema/, as
//    cli/tests/plain_words.rs takes them) or a rule id (the built policy's
//    and the baseline's, `safeguard policy show --resolved baseline`);
//  - the downloaded policy is byte for byte the Node build's for the same
//    answers, and the CLI loads it (`safeguard policy check FILE`);
//  - the downloaded answers file, reopened in a fresh page, shows the same
//    answers and builds the same policy; a reopened file's named people are
//    shown and kept in both downloads; a file that is not an answers file
//    changes nothing;
//  - the school's named people, local bodies and timetable typed on the
//    page go into the answers and the policy (the Node build's for the same
//    answers, which the CLI loads); the engine's errors about them are shown
//    next to the field they point at, in words that quote nothing typed;
//  - a school's own answers file (tests/answers/hilldene-primary.toml, TOML,
//    with custom answers, custom rules and restated rules) reopens: its
//    custom tail is counted in words, its custom answer shown as such, and
//    the policy downloaded is the CLI's (`safeguard policy new --answers`)
//    for the file, the answers downloaded the file's own; given a new title
//    for the school's policy, what cites it follows;
//  - the annual review (`Engine.review`) of the policy shown: on the page as
//    the Node build writes it, downloads of its Markdown and printable HTML
//    byte for byte the engine's, gone as soon as an answer changes, and a
//    section heading with markup in it shown as text, never as markup;
//  - a person opened and filled in, and the review written, from the
//    keyboard alone;
//  - axe-core finds no violation at 1280 and 390 px, nothing scrolls
//    sideways at 390 px; screenshots target/e2e/policy-builder-{1280,390}.png;
//  - no console error.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serve } from '../../demo/serve.mjs';
import { EXAMPLES, exampleRequest } from '../../demo/builder.js';
import { Engine, questions, contacts, buildPolicy, explainError, readAnswers } from '../../dist/node/authoring.mjs';
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

/** What the engine says of each example under the policy `toml` (Node
 * build): its headline, its changes and who it rules out, and each step of
 * its plan (title, due time, deadline token). */
function exampleWords(toml) {
  const engine = Engine.fromPolicy(toml, 'toml');
  try {
    return EXAMPLES.map((x) => {
      const e = engine.explain(exampleRequest(x));
      return {
        headline: e.headline,
        changes: [...(e.changes ?? []), ...(e.ruled_out ?? [])],
        steps: (e.steps ?? []).map((s) => ({ title: s.title, due: s.due, deadline: s.deadline })),
      };
    });
  } finally {
    engine.free();
  }
}

/** The checks of the policy `toml` against national guidance in the
 * engine's words (`Engine.checks`, Node build). */
function checksOf(toml) {
  const engine = Engine.fromPolicy(toml, 'toml');
  const national = Engine.fromPreset('baseline');
  try {
    return engine.checks(national);
  } finally {
    engine.free();
    national.free();
  }
}

/** Asserts that the page's examples say what the engine says of them under
 * the policy `toml`. */
async function assertExamples(page, toml) {
  for (const [i, want] of exampleWords(toml).entries()) {
    assert.equal(await text(page, `example-${i}`), want.headline.replace(/\s+/g, ' ').trim(), `example ${i}`);
    const changes = page.getByTestId(`example-${i}-changes`).locator('li');
    assert.deepEqual((await changes.allInnerTexts()).map((t) => t.trim()), want.changes, `example ${i}'s changes`);
    const steps = page.getByTestId(`example-${i}-steps`).locator('li');
    assert.equal(await steps.count(), want.steps.length, `example ${i}'s steps`);
    for (const [j, s] of want.steps.entries()) {
      const shown = steps.nth(j);
      assert.equal(await shown.getAttribute('data-deadline'), s.deadline, `example ${i} step ${j}`);
      const words = await shown.innerText();
      assert.ok(words.startsWith(s.title) && (!s.due || words.includes(s.due)), `example ${i} step ${j}: ${words}`);
    }
  }
}

/** The answers on the page, as its "Download your answers" gives them. */
async function answersShown(page, file) {
  return JSON.parse((await downloaded(page, 'download-answers', file)).text);
}

/** Every token of the vocabulary that is not an English word: each `enum`
 * value and property name holding `_` in the JSON Schemas of schema/ (as
 * cli/tests/plain_words.rs takes them). */
async function schemaTokens() {
  const tokens = new Set();
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'enum' && Array.isArray(value)) {
        for (const t of value) if (typeof t === 'string' && t.includes('_')) tokens.add(t);
      }
      if (key === 'properties' && value && typeof value === 'object') {
        for (const name of Object.keys(value)) if (name.includes('_')) tokens.add(name);
      }
      walk(value);
    }
  };
  const dir = path.join(REPO, 'schema');
  for (const name of await readdir(dir)) {
    if (name.endsWith('.json')) walk(JSON.parse(await readFile(path.join(dir, name), 'utf8')));
  }
  assert.ok(tokens.has('mobile_phone') && tokens.has('children_present'), 'the schemas give the tokens');
  return tokens;
}

/** Every id in a policy's TOML with a `.`, `-` or `_` in it: its own rules'
 * ids and the policy's own id. */
function idsIn(toml) {
  return [...toml.matchAll(/^\s*id\s*=\s*"([^"]+)"/gm)].map((m) => m[1]).filter((id) => /[.\-_]/.test(id));
}

/** Clicks the download button `testid`, saves the file as `file` and gives
 * its suggested name and its text. */
async function downloaded(page, testid, file) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  await download.saveAs(file);
  return { name: download.suggestedFilename(), text: await readFile(file, 'utf8') };
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
      // The differences and the lint's findings are the engine's sentences
      // (Engine.checks), shown as the engine wrote them.
      const checks = checksOf(expectedToml);
      const allowsMore = checks.differences.filter((d) => d.side === 'policy').map((d) => d.text);
      assert.ok(allowsMore.length > 0, 'the policy allows something national guidance refuses');
      assert.deepEqual(await page.getByTestId('diff-allows-more').locator('li').allInnerTexts(), allowsMore.slice(0, 8));
      assert.doesNotMatch(diff, /_|`|oak-hill/, `tokens in ${diff}`);
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

    await step('the named people of a reopened file are shown and kept', async () => {
      const withPeople = {
        ...expected,
        roles: { dsl: { title: 'Designated Safeguarding Lead', name: 'A. Example', cite: { source: school.source, section: 'Key people' } } },
      };
      const file = path.join(work, 'with-people.json');
      await writeFile(file, JSON.stringify(withPeople));
      await page.getByTestId('answers-file').setInputFiles(file);
      await page.getByTestId('answers-file-loaded').waitFor();
      assert.equal(await page.getByTestId('c-roles-dsl-name').inputValue(), 'A. Example');
      assert.equal(await page.getByTestId('c-roles-dsl-section').inputValue(), 'Key people');
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

    const hilldene = path.join(REPO, 'tests/answers/hilldene-primary.toml');
    await step("a school's TOML answers file with custom answers, custom rules and restated rules round-trips", async () => {
      const toml = await readFile(hilldene, 'utf8');
      const file = readAnswers(toml, 'toml');
      assert.ok(file.answers.some((a) => a.choice === 'custom') && file.custom && file.restate, 'the file has all three');
      await page.goto(url);
      await waitReady(page);
      await page.getByTestId('answers-file').setInputFiles(hilldene);
      await page.getByTestId('answers-file-loaded').waitFor();
      await previewReady(page);
      // The custom tail, counted as the page counts it: own and restated rules.
      const own = (file.custom.devices?.length ?? 0) + (file.custom.images?.length ?? 0) +
        (file.custom.sexting?.rules?.length ?? 0) + (file.custom.sexting?.actions?.length ?? 0) +
        (file.custom.escalation?.rules?.length ?? 0) + file.restate.length;
      assert.match(await text(page, 'answers-file-kept'), new RegExp(`also keeps ${own} rules of its own that these questions do not cover`));
      assert.match(await text(page, 'preview-ready'), new RegExp(`${own} rules of its own`));
      for (const a of file.answers.filter((x) => x.choice === 'custom')) {
        assert.equal(await page.getByTestId(`${qid(a.question)}-custom`).isVisible(), true, `${a.question} shown as the school's own`);
        assert.equal(await page.locator(`#${qid(a.question)}-choices`).isHidden(), true, `${a.question} not editable`);
      }
      assert.equal(await page.getByTestId('c-roles-dsl-name').inputValue(), file.roles.dsl.name);
      const cli = execFileSync(CLI, ['policy', 'new', '--answers', hilldene], { encoding: 'utf8' });
      const policy = await downloaded(page, 'download-policy', path.join(work, 'hilldene.toml'));
      assert.equal(policy.text, cli, 'the page builds the policy the CLI builds from the file');
      const answers = await downloaded(page, 'download-answers', path.join(work, 'hilldene-answers.json'));
      const back = JSON.parse(answers.text);
      assert.deepEqual(back, file, 'the answers download is the file, unchanged');
      assert.equal(buildPolicy(JSON.stringify(back)), cli);
    });

    await step("every other seed school's answers file goes through the page unchanged", async () => {
      for (const school of ['squirrels-heath-junior', 'west-hill-primary', 'lansbury-lawrence-primary', 'stanford-junior-infant']) {
        const toml = path.join(REPO, 'tests/answers', `${school}.toml`);
        await page.goto(url);
        await waitReady(page);
        await page.getByTestId('answers-file').setInputFiles(toml);
        await page.getByTestId('answers-file-loaded').waitFor();
        await previewReady(page);
        const cli = execFileSync(CLI, ['policy', 'new', '--answers', toml], { encoding: 'utf8' });
        assert.equal((await downloaded(page, 'download-policy', path.join(work, `${school}.toml`))).text, cli, school);
        const back = JSON.parse((await downloaded(page, 'download-answers', path.join(work, `${school}.json`))).text);
        assert.deepEqual(back, readAnswers(await readFile(toml, 'utf8'), 'toml'), school);
      }
      // Back to Hilldene for the next step.
      await page.goto(url);
      await waitReady(page);
      await page.getByTestId('answers-file').setInputFiles(hilldene);
      await previewReady(page);
    });

    await step("a new title for the school's policy: what cites the school's policy cites it by the new title", async () => {
      const file = readAnswers(await readFile(hilldene, 'utf8'), 'toml');
      const renamed = 'Hilldene Primary School, Online Safety Policy, September 2026';
      await page.getByTestId('school-source').fill(renamed);
      await previewReady(page);
      const back = JSON.parse((await downloaded(page, 'download-answers', path.join(work, 'hilldene-renamed.json'))).text);
      assert.equal(back.school.source, renamed);
      for (const a of back.answers.filter((x) => x.cite && x.choice !== 'custom')) {
        assert.equal(a.cite.source, renamed, a.question);
      }
      assert.equal(back.roles.dsl.cite.source, renamed);
      assert.equal(back.bodies.lado.cite.source, renamed);
      // What this page cannot edit (the custom rules and restated rules)
      // is carried as the file has it.
      assert.deepEqual(back.custom, file.custom);
      assert.deepEqual(back.restate, file.restate);
    });

    // The same school, its policy of 2017: the review has changes to list.
    const oak = { ...school, version: '2017-09-01', source: 'Oak Hill Primary School, Online Safety Policy, September 2017' };
    await step("an error about a named person is shown next to its field, in words that quote nothing", async () => {
      await page.goto(url);
      await waitReady(page);
      await page.getByTestId('school-name').fill(oak.name);
      await page.getByTestId('school-source').fill(oak.source);
      await page.getByTestId('school-version').fill(oak.version);
      await previewReady(page);
      await page.getByTestId('c-roles-dsl-group').locator('summary').click();
      await page.getByTestId('c-roles-dsl-name').fill('Zebedee Quartermain');
      await page.getByTestId('preview-error').waitFor();
      const field = page.locator('[data-field="c-roles-dsl-title"]');
      await field.getByTestId('field-error').waitFor();
      assert.equal(await page.getByTestId('c-roles-dsl-title').getAttribute('aria-invalid'), 'true');
      const words = await field.getByTestId('field-error').innerText();
      assert.doesNotMatch(words, /Zebedee|\$|roles|dsl|_/, words);
      assert.match(await text(page, 'preview-error-field'), /Your school's people/);
      assert.doesNotMatch(await text(page, 'preview-error'), /Zebedee|request|\$/, 'the preview\'s words quote nothing and name no request');
      assert.equal(await page.getByTestId('download-policy').isDisabled(), true);
    });

    const people = {
      school: oak,
      roles: {
        dsl: { title: 'Designated Safeguarding Lead', name: 'Zebedee Quartermain', phone: '01632 960000', cite: { source: oak.source, section: 'Key people' } },
      },
      bodies: {
        lado: {
          title: 'Oakshire LADO',
          phone: '01632 960111',
          hours: 'Monday to Friday 09:00-17:00',
          out_of_hours: { title: 'Emergency duty team', phone: '01632 960999', hours: '18:00-08:00', emergency_only: true },
        },
      },
      timetable: {
        day_start: '08:50',
        day_end: '15:20',
        lunch: { start: '12:10', end: '13:05' },
        terms: [{ start: '2026-09-03', end: '2026-12-18' }],
        closures: ['2026-10-23'],
        cite: { source: oak.source, section: 'The school day' },
      },
      answers: [],
    };
    await step("the school's people, local bodies and timetable go into the answers and the policy", async () => {
      // The form offers exactly the engine's people and bodies (contacts()
      // from the package, in Node), in its order and its words.
      const offered = (table) => page.locator(`details.contact[data-table="${table}"]`).evaluateAll(
        (groups) => groups.map((g) => ({ who: g.dataset.who, label: g.querySelector('summary').textContent })));
      const engine = contacts();
      assert.ok(engine.people.some((c) => c.who === 'dsl') && engine.bodies.some((c) => c.who === 'lado'));
      assert.deepEqual(await offered('roles'), engine.people);
      assert.deepEqual(await offered('bodies'), engine.bodies);
      await page.getByTestId('c-roles-dsl-title').fill(people.roles.dsl.title);
      await page.getByTestId('c-roles-dsl-phone').fill(people.roles.dsl.phone);
      await page.getByTestId('c-roles-dsl-section').fill('Key people');
      await page.getByTestId('c-bodies-lado-group').locator('summary').click();
      const lado = people.bodies.lado;
      await page.getByTestId('c-bodies-lado-title').fill(lado.title);
      await page.getByTestId('c-bodies-lado-phone').fill(lado.phone);
      await page.getByTestId('c-bodies-lado-hours').fill(lado.hours);
      await page.getByTestId('c-bodies-lado-ooh-title').fill(lado.out_of_hours.title);
      await page.getByTestId('c-bodies-lado-ooh-phone').fill(lado.out_of_hours.phone);
      // The out-of-hours route without its hours: the engine's error, at that field.
      await page.locator('[data-field="c-bodies-lado-ooh-hours"]').getByTestId('field-error').waitFor();
      await page.getByTestId('c-bodies-lado-ooh-emergency').check();
      const t = people.timetable;
      await page.getByTestId('t-day-start').fill(t.day_start);
      await page.getByTestId('t-day-end').fill(t.day_end);
      // An out-of-hours route that overlaps the school day (08:50) would
      // take calls the daytime route should: the engine refuses the body,
      // and the page says so at its group.
      await page.getByTestId('c-bodies-lado-ooh-hours').fill('17:00-09:00');
      const group = page.getByTestId('c-bodies-lado-group').getByTestId('field-error');
      await group.waitFor();
      assert.match(await group.innerText(), /out-of-hours times begin after the school day ends/);
      await page.getByTestId('c-bodies-lado-ooh-hours').fill(lado.out_of_hours.hours);
      // A school day that ends before it starts: the engine's error, at the day's first field.
      await page.getByTestId('t-day-start').fill('16:00');
      await page.getByTestId('t-day-end').fill(t.day_end);
      await page.locator('[data-field="t-day-start"]').getByTestId('field-error').waitFor();
      assert.match(await page.locator('[data-field="t-day-start"]').getByTestId('field-error').innerText(), /start before it ends/);
      await page.getByTestId('t-day-start').fill(t.day_start);
      await page.getByTestId('t-lunch-start').fill(t.lunch.start);
      await page.getByTestId('t-lunch-end').fill(t.lunch.end);
      await page.getByTestId('t-terms-0-start').fill(t.terms[0].start);
      await page.getByTestId('t-terms-0-end').fill(t.terms[0].end);
      // A closure day that is no date: the engine's error, at the closures.
      await page.getByTestId('t-closures').fill('2026-02-30');
      await page.locator('[data-field="t-closures"]').getByTestId('field-error').waitFor();
      assert.equal(await page.getByTestId('t-closures').getAttribute('aria-invalid'), 'true');
      await page.getByTestId('t-closures').fill(t.closures[0]);
      await page.getByTestId('t-section').fill(t.cite.section);
      await previewReady(page);
      assert.equal(await page.getByTestId('field-error').count(), 0, 'no field error left');
      const answers = await downloaded(page, 'download-answers', path.join(work, 'oak-answers.json'));
      assert.deepEqual(JSON.parse(answers.text), people);
      const savedPolicy = path.join(work, 'oak.toml');
      const policy = await downloaded(page, 'download-policy', savedPolicy);
      const toml = policy.text;
      assert.equal(toml, buildPolicy(JSON.stringify(people)));
      for (const typed of ['Zebedee Quartermain', '01632 960111', 'Emergency duty team', '08:50', '2026-10-23']) {
        assert.ok(toml.includes(typed), `${typed} in the policy`);
      }
      execFileSync(CLI, ['policy', 'check', savedPolicy], { encoding: 'utf8' });
    });

    await step('the annual review of the policy shown: the engine\'s, on the page and as Markdown and HTML downloads', async () => {
      const engine = Engine.fromPolicy(buildPolicy(JSON.stringify(people)), 'toml');
      const report = engine.review();
      engine.free();
      assert.ok(report.guidance.length > 0, 'a 2017 policy has national changes since');
      await page.getByTestId('write-review').click();
      await page.getByTestId('review').waitFor();
      const open = report.guidance.filter((g) => !g.addressed).length;
      assert.match(await text(page, 'review-guidance-summary'), new RegExp(`^${report.guidance.length} changes .* not address ${open} of them`));
      const shown = await page.getByTestId('review-change').allInnerTexts();
      assert.equal(shown.length, report.guidance.length);
      for (const [i, g] of report.guidance.entries()) assert.ok(shown[i].includes(g.change.title), g.change.title);
      assert.match(await text(page, 'review-defaults'), new RegExp(`^${report.national_defaults.length} national rules`));
      assert.match(await text(page, 'review-about'), /September 2017/);
      const md = await downloaded(page, 'download-review-md', path.join(work, 'review.md'));
      assert.equal(md.name, `${oak.id}-review.md`);
      assert.equal(md.text, report.markdown);
      const html = await downloaded(page, 'download-review-html', path.join(work, 'review.html'));
      assert.equal(html.name, `${oak.id}-review.html`);
      assert.equal(html.text, report.html);
      assert.equal(await page.locator('#review iframe').count(), 0, 'the engine\'s HTML is not put in the page');
    });

    await step('an answer changes: the review goes at once, and comes back for the new answers, markup shown as text', async () => {
      const before = await text(page, 'review-allows-more');
      await page.getByTestId(`${phones}-hand_in_at_gate`).check();
      assert.equal(await page.getByTestId('review').count(), 0, 'no stale review');
      assert.equal(await page.getByTestId('download-review-md').isDisabled(), true);
      assert.equal(await page.getByTestId('download-review-html').isDisabled(), true);
      const heading = 'Phones <img src=x onerror="document.title=1"> & <b>bags</b>';
      await page.getByTestId(`${phones}-section`).fill(heading);
      await page.getByTestId('review').waitFor();
      const answers = {
        ...people,
        answers: [{ question: 'devices.pupil_phones', choice: 'hand_in_at_gate', cite: { source: oak.source, section: heading } }],
      };
      const engine = Engine.fromPolicy(buildPolicy(JSON.stringify(answers)), 'toml');
      const report = engine.review();
      engine.free();
      assert.ok(report.own_rules.some((r) => r.cited.includes(heading)), 'the review cites the heading');
      assert.notEqual(await text(page, 'review-allows-more'), before);
      await page.getByTestId('review-own').click();
      assert.match(await text(page, 'review-own-list'), /<img src=x onerror="document.title=1"> & <b>bags<\/b>/);
      assert.equal(await page.locator('#review img, #review b, #main img').count(), 0, 'markup in a heading is text');
      assert.notEqual(await page.title(), '1');
      const html = await downloaded(page, 'download-review-html', path.join(work, 'review-2.html'));
      const written = html.text;
      assert.equal(written, report.html);
      assert.ok(!written.includes('<img') && written.includes('&lt;img'), 'the engine escapes the heading');
    });

    await step('from the keyboard alone: a person opened and filled in, the review written', async () => {
      const summary = page.getByTestId('c-roles-headteacher-group').locator('summary');
      await summary.focus();
      await page.keyboard.press('Enter');
      assert.equal(await page.getByTestId('c-roles-headteacher-group').getAttribute('open'), '', 'Enter opens the person');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'c-roles-headteacher-title');
      await page.keyboard.type('Headteacher');
      assert.equal(await page.getByTestId('c-roles-headteacher-title').inputValue(), 'Headteacher');
      await previewReady(page);
      await page.getByTestId('write-review').focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('review').waitFor();
      assert.match(await text(page, 'review-status'), /written below/);
    });

    await step('examples of a class photo, two concerns reported and a nude image shared: the engine\'s words', async () => {
      const answers = await answersShown(page, path.join(work, 'answers-examples.json'));
      const toml = buildPolicy(JSON.stringify(answers));
      const domains = new Set(EXAMPLES.map((x) => x.request.domain));
      assert.deepEqual([...domains].sort(), ['devices', 'escalation', 'images', 'sexting']);
      await assertExamples(page, toml);
      const photo = EXAMPLES.findIndex((x) => x.request.domain === 'images');
      assert.match(await text(page, `example-${photo}-changes`), /Ben|pupil-2/, 'the pupil without consent is named');
      const staff = EXAMPLES.findIndex((x) => x.request.concern_about === 'staff');
      assert.ok(await page.getByTestId(`example-${staff}-steps`).locator('li[data-who="headteacher"]').count() > 0, 'the headteacher is told');
    });

    await step('an answer about reporting concerns, and one about photos, change the examples as the engine says', async () => {
      const staff = EXAMPLES.findIndex((x) => x.request.concern_about === 'staff');
      const photo = EXAMPLES.findIndex((x) => x.request.domain === 'images');
      const before = { staff: await text(page, `example-${staff}-steps`), photo: await text(page, `example-${photo}`) };
      const aboutStaff = qid('escalation.about_staff');
      await page.getByTestId(`${aboutStaff}-at_once`).check();
      await page.getByTestId(`${aboutStaff}-section`).fill('Concerns about staff');
      const exclusion = qid('images.group_exclusion');
      await page.getByTestId(`${exclusion}-not_allowed`).check();
      await page.getByTestId(`${exclusion}-section`).fill('Group photos');
      await previewReady(page);
      assert.match(await text(page, 'preview-status'), /up to date/);
      const answers = await answersShown(page, path.join(work, 'answers-escalation.json'));
      for (const q of ['escalation.about_staff', 'images.group_exclusion']) assert.ok(answers.answers.some((a) => a.question === q), q);
      await assertExamples(page, buildPolicy(JSON.stringify(answers)));
      assert.notEqual(await text(page, `example-${staff}-steps`), before.staff, 'the plan for a concern about staff changed');
      const headteacher = page.getByTestId(`example-${staff}-steps`).locator('li[data-who="headteacher"][data-deadline="immediately"]');
      assert.ok(await headteacher.count() > 0, 'the headteacher is told at once');
      assert.notEqual(await text(page, `example-${photo}`), before.photo, 'the class photo is decided differently');
    });

    await step('no preview text holds a backtick, a vocabulary token, a rule id or a JSON path', async () => {
      const tokens = await schemaTokens();
      const resolved = execFileSync(CLI, ['policy', 'show', '--resolved', 'baseline'], { encoding: 'utf8' });
      const national = idsIn(resolved);
      assert.ok(national.length > 20, 'the rule ids are found');
      // The answers on screen, then a school's own (whose rules contradict
      // each other and leave requests uncovered, so the lint has much to say).
      for (const reopen of [null, hilldene]) {
        if (reopen) {
          await page.getByTestId('answers-file').setInputFiles(reopen);
          await page.getByTestId('answers-file-loaded').waitFor();
          await previewReady(page);
        }
        const answers = await answersShown(page, path.join(work, 'answers-words.json'));
        const toml = buildPolicy(JSON.stringify(answers));
        const checks = checksOf(toml);
        const ids = new Set([...idsIn(toml), ...national]);
        // Every word of the preview, those folded away in "Why, in full" too.
        const shown = await page.getByTestId('preview').evaluate((node) => node.textContent);
        for (const line of [...checks.findings, ...checks.differences].slice(0, 8)) {
          assert.ok(shown.includes(line.text), `the engine's words are shown: ${line.text}`);
        }
        if (reopen) assert.ok(checks.findings.some((f) => f.kind === 'contradiction'), 'the school\'s rules contradict');
        for (const mark of ['`', '$.']) assert.ok(!shown.includes(mark), `${mark} in the preview`);
        const words = (list) => [...list].filter((t) => new RegExp(`(^|[^\\w.-])${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w-])`).test(shown));
        assert.deepEqual(words(tokens), [], 'tokens in the preview');
        assert.deepEqual(words(ids), [], 'rule ids in the preview');
        assert.doesNotMatch(shown, /\b[a-z]+_[a-z_]+\b/, 'an underscore token in the preview');
      }
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
