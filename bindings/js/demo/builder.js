// Policy builder page (issue 24): a school's policy from its answers to the
// engine's question model, with a live preview.
//
// Why it is built this way:
// - Every question comes from the engine (`questions()`): its prompt, help,
//   choices and national default. The page hard-codes no question, so a
//   question added to the model (core/src/policy/builder/questions.toml)
//   appears here without an edit. Only the headings of the four domains and
//   the example situations of the preview are the page's own.
// - Skipping a question keeps national guidance: its national default is
//   shown chosen, and the answers file lists only the answers that differ.
// - The policy is the engine's (`buildPolicy`), loaded as the CLI loads it;
//   the preview decides example requests under it (`explain`), lints it and
//   diffs it against the baseline, all in the engine's words.
// - Fail safe: as soon as an answer changes, the preview and the policy
//   download are taken away until the engine has built the policy for the
//   answers now on screen. An answers file that cannot be read changes
//   nothing. A build error shows the engine's explanation of it
//   (`explainError`), never an old preview; one about the school's people,
//   bodies or timetable is also shown next to its field (builder-school.js).
// - A school's answers file goes through the page unchanged: it is read by
//   the engine (`readAnswers`, TOML or JSON), and what no question shows (a
//   question answered `custom`, the custom rules, the restated national
//   rules, an answer's own citation) is carried as it is into the policy
//   and the answers download, said in words but not editable here.
// - The annual review (builder-review.js) is the engine's, of the policy
//   the preview shows, and goes with it.

import { $, el, showEngineMissing } from './dom.js';
import { citeSource, clearFieldErrors, markFieldError, readSchoolSections, renderSchoolSections, showSchoolSections, unlistedCount } from './builder-school.js';
import { reviewView } from './builder-review.js';

/** Headings for the model's domains, in words. */
const DOMAIN_HEADINGS = {
  devices: 'Phones and other devices',
  images: 'Photos and videos of pupils',
  escalation: 'Reporting concerns',
  sexting: 'Nudes and semi-nudes',
};

/** The example situations of the preview: each a devices request, every
 * fact given, decided under the policy being built. */
export const EXAMPLES = [
  {
    title: 'A Year 6 pupil brings a phone to school',
    request: {
      actor: { role: 'pupil', year_group: 6 },
      device: { kind: 'mobile_phone', owner: 'personal' },
      action: 'bring_on_site',
      context: { location: 'playground', period: 'before_school', children_present: true },
    },
  },
  {
    title: 'A Year 3 pupil brings a phone to school',
    request: {
      actor: { role: 'pupil', year_group: 3 },
      device: { kind: 'mobile_phone', owner: 'personal' },
      action: 'bring_on_site',
      context: { location: 'playground', period: 'before_school', children_present: true },
    },
  },
  {
    title: 'A teacher takes a photo of pupils on their own phone at sports day',
    request: {
      actor: { role: 'teacher', works_directly_with_children: true },
      device: { kind: 'mobile_phone', owner: 'personal' },
      action: 'photograph_pupils',
      context: { location: 'playground', period: 'school_event', children_present: true },
    },
  },
  {
    title: 'A parent films the school play on their phone',
    request: {
      actor: { role: 'parent', works_directly_with_children: false },
      device: { kind: 'mobile_phone', owner: 'personal' },
      action: 'take_photo_video',
      context: { location: 'hall', period: 'school_event', children_present: true },
    },
  },
  {
    title: 'A teacher on a trip calls a parent from their own phone in an emergency',
    request: {
      actor: { role: 'teacher', works_directly_with_children: true },
      device: { kind: 'mobile_phone', owner: 'personal' },
      action: 'contact_pupils_or_parents',
      context: { location: 'offsite_trip', period: 'school_event', children_present: true, emergency: true, school_device_available: false },
    },
  },
];

/** The facts an example leaves out, given as "no". */
const EXAMPLE_DEFAULTS = {
  emergency: false,
  permission_from: 'none',
  parental_request: false,
  subjects_consent: false,
  school_device_available: true,
  exception: 'none',
};

/** The full devices request of an example. */
export function exampleRequest(example) {
  return {
    schema_version: 1,
    domain: 'devices',
    ...example.request,
    context: { ...EXAMPLE_DEFAULTS, ...example.request.context },
  };
}

let wasm = null;
/** The question model, from the engine. */
let model = [];
/** The baseline's engine, for the diff. */
let baseline = null;
/** The engine of the policy the preview shows, or null. */
let built = null;
/** The pending preview rebuild. */
let timer = null;
/** What a reopened answers file holds that no question shows (its custom
 * rules and restated national rules): not editable on this page, but kept
 * as they are in what it builds and downloads. */
let kept = {};
/** A reopened file's answers, by question: an answer still as it was on
 * screen is written back as the file had it (its citation's document, a
 * national default it gave explicitly), in the file's order. */
let reopened = new Map();
/** The questions a reopened file answers `custom` (its custom rules say
 * it): shown as such, not editable. */
let custom = new Set();
/** The review of the policy the preview shows, once asked for, or null. */
let review = null;
/** Whether the review has been asked for: then it is written with each
 * preview. */
let reviewWanted = false;

// ---------------------------------------------------------------------------
// Start-up.

async function start() {
  const status = $('engine-status');
  try {
    wasm = await import('../dist/web/safeguard_wasm.js');
    await wasm.default();
    model = wasm.questions();
    baseline = wasm.Engine.fromPreset('baseline');
  } catch (e) {
    showEngineMissing(status, e);
    return;
  }
  renderQuestions();
  renderSchoolSections($('school-sections'), answersChanged);
  for (const id of ['school-name', 'school-id', 'school-source', 'school-version']) {
    $(id).addEventListener('input', answersChanged);
  }
  $('school-name').addEventListener('input', () => {
    const field = $('school-id');
    if (field.dataset.edited !== 'true') field.value = slug($('school-name').value);
  });
  $('school-id').addEventListener('input', () => {
    $('school-id').dataset.edited = 'true';
  });
  $('answers-file').disabled = false;
  $('answers-file').addEventListener('change', reopen);
  $('download-policy').addEventListener('click', downloadPolicy);
  $('download-answers').addEventListener('click', downloadAnswers);
  $('download-answers').disabled = false;
  $('write-review').addEventListener('click', () => {
    reviewWanted = true;
    writeReview();
  });
  $('download-review-md').addEventListener('click', () => downloadReview('md'));
  $('download-review-html').addEventListener('click', () => downloadReview('html'));
  status.textContent = `Rules engine ready (safeguard ${wasm.engineVersion()}). ${model.length} questions.`;
  status.classList.add('ready');
  $('footer-info').textContent = `safeguard ${wasm.engineVersion()} (WebAssembly).`;
  rebuild();
  document.body.dataset.ready = 'true';
}

/** A policy id from a school's name: lower-case letters, digits, hyphens. */
function slug(name) {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

// ---------------------------------------------------------------------------
// The questions, rendered from the model.

/** The id prefix of a question's controls. */
const qid = (q) => `q-${q.id.replace(/[^a-z0-9]+/gi, '-')}`;

function renderQuestions() {
  const domains = [];
  for (const q of model) if (!domains.includes(q.domain)) domains.push(q.domain);
  const sections = domains.map((domain) => {
    const heading = `h-domain-${domain}`;
    return el(
      'section',
      { class: 'panel', 'aria-labelledby': heading, dataset: { testid: `domain-${domain}` } },
      el('h2', { id: heading }, DOMAIN_HEADINGS[domain] ?? domain),
      model.filter((q) => q.domain === domain).map(questionView),
    );
  });
  $('questions').replaceChildren(...sections);
  refreshVisibility();
}

function questionView(q) {
  const p = qid(q);
  const options = q.choices.map((c, i) => {
    const id = `${p}-${i}`;
    return el(
      'div',
      { class: 'check' },
      el('input', {
        type: 'radio',
        id,
        name: p,
        value: c.id,
        checked: c.national_default,
        dataset: { testid: `${p}-${c.id}` },
        onchange: () => {
          refreshVisibility();
          answersChanged();
        },
      }),
      el('label', { for: id }, c.label, c.national_default ? el('span', { class: 'muted' }, ' (national guidance)') : null),
    );
  });
  const years = q.narrows
    ? el(
        'div',
        { class: 'grid two years', id: `${p}-years`, hidden: true },
        yearField(`${p}-from`, 'From year group'),
        yearField(`${p}-to`, 'To year group'),
      )
    : null;
  const cite = el(
    'div',
    { class: 'field', id: `${p}-cite`, hidden: true },
    el('label', { for: `${p}-section` }, 'The section of your policy that says so'),
    el('input', { type: 'text', id: `${p}-section`, dataset: { testid: `${p}-section` }, oninput: answersChanged }),
  );
  const own = el(
    'p',
    { class: 'note-box', id: `${p}-custom`, dataset: { testid: `${p}-custom` }, hidden: true },
    'Your policy answers this with rules of its own, from your answers file. They are kept as they are; ' +
      'change them in the answers file.',
  );
  return el(
    'fieldset',
    { class: 'question', id: p, dataset: { question: q.id } },
    el('legend', {}, q.prompt),
    el('details', { class: 'help' }, el('summary', {}, 'Help with this question'), el('p', {}, q.help)),
    own,
    el('div', { class: 'choices', id: `${p}-choices` }, options),
    years,
    cite,
  );
}

function yearField(id, label) {
  // Reception is year 0.
  const choices = [['0', 'Reception']];
  for (let y = 1; y <= 13; y += 1) choices.push([String(y), `Year ${y}`]);
  return el(
    'div',
    { class: 'field' },
    el('label', { for: id }, label),
    el('select', { id, dataset: { testid: id }, onchange: answersChanged }, choices.map(([v, t]) => el('option', { value: v }, t))),
  );
}

/** The chosen choice of a question (`custom` for one a reopened file
 * answers with its own rules). */
function chosen(q) {
  if (custom.has(q.id)) return 'custom';
  const input = document.querySelector(`input[name="${qid(q)}"]:checked`);
  return input ? input.value : q.default;
}

/** Shows a question only when it applies (one that narrows another only
 * when that one departs from national guidance), and its citation and year
 * groups only for an answer that departs. */
function refreshVisibility() {
  for (const q of model) {
    const p = qid(q);
    const narrowed = q.narrows ? model.find((n) => n.id === q.narrows) : null;
    const applies = !narrowed || chosen(narrowed) !== narrowed.default;
    $(p).hidden = !applies;
    const own = custom.has(q.id);
    $(`${p}-custom`).hidden = !own;
    $(`${p}-choices`).hidden = own;
    const departs = applies && !own && chosen(q) !== q.default;
    $(`${p}-cite`).hidden = !departs;
    const years = $(`${p}-years`);
    if (years) years.hidden = !departs;
  }
}

/** Whether question `q` is on screen as the reopened file answered it. */
function asReopened(q, answer) {
  if (custom.has(q.id)) return true;
  const p = qid(q);
  if (chosen(q) !== answer.choice) return false;
  if ($(`${p}-section`).value.trim() !== (answer.cite?.section ?? '')) return false;
  if (answer.cite && citeSource(answer, $('school-source').value.trim()) !== answer.cite.source) return false;
  if (!$(`${p}-years`) || chosen(q) === q.default) return true;
  const [from, to] = answer.years ?? [0, 0];
  return $(`${p}-from`).value === String(from) && $(`${p}-to`).value === String(to);
}

/** The answers on screen as an answers file (JSON): the school, its
 * people, bodies and timetable, each question that applies and departs
 * from national guidance, and what a reopened file carries. */
function currentAnswers() {
  const source = $('school-source').value.trim();
  const answers = [];
  for (const q of model) {
    const p = qid(q);
    if ($(p).hidden) continue;
    const before = reopened.get(q.id);
    if (before && asReopened(q, before)) {
      answers.push(before);
      continue;
    }
    const choice = chosen(q);
    if (choice === q.default) continue;
    const answer = { question: q.id, choice };
    const section = $(`${p}-section`).value.trim();
    if (section) answer.cite = { source: citeSource(before, source), section };
    if ($(`${p}-years`)) answer.years = [Number($(`${p}-from`).value), Number($(`${p}-to`).value)];
    answers.push(answer);
  }
  // A reopened file's answers keep its order; new ones follow.
  const order = [...reopened.keys()];
  const place = (a) => (order.includes(a.question) ? order.indexOf(a.question) : order.length);
  answers.sort((a, b) => place(a) - place(b));
  return {
    school: {
      id: $('school-id').value.trim(),
      name: $('school-name').value.trim(),
      version: $('school-version').value,
      source,
    },
    ...readSchoolSections(source),
    answers,
    ...kept,
  };
}

/** What a reopened file carries that no question shows, counted: its own
 * rules (custom and restated) and the national rules it drops. */
function carried() {
  const c = kept.custom ?? {};
  const n = (list) => (Array.isArray(list) ? list.length : 0);
  return {
    own: n(c.devices) + n(c.images) + n(c.sexting?.rules) + n(c.sexting?.actions) + n(c.escalation?.rules) + n(kept.restate),
    removed: n(c.devices_remove) + n(c.images_remove) + n(c.sexting?.remove) + n(c.escalation?.remove),
    any: Object.keys(kept).length > 0,
  };
}

/** Whether `value` holds nothing: no value, or only empty lists and
 * groups. */
function blank(value) {
  if (Array.isArray(value)) return value.length === 0;
  if (value && typeof value === 'object') return Object.values(value).every(blank);
  return value === undefined || value === null || value === false || value === '';
}

/** The sentence about what a reopened file carries, or null. */
function carriedWords() {
  const { own, removed, any } = carried();
  if (!any) return null;
  // Custom rules may hold no rule but a setting (a sexting checklist, a
  // reading of "the same day"): said so, never "0 rules".
  const rules = own > 0 || removed > 0
    ? `${own} rule${own === 1 ? '' : 's'} of its own that these questions do not cover`
    : 'settings of its own that these questions do not cover';
  const dropped = removed > 0 ? `, and sets aside ${removed} national rule${removed === 1 ? '' : 's'}` : '';
  return `Your policy also keeps ${rules}${dropped}, from your answers file. They are not editable here and go into ` +
    'the policy and your answers download as they are.';
}

/** Puts an answers file's answers on screen (nothing else changes when it
 * cannot be read: see `reopen`). */
function showAnswers(file) {
  reopened = new Map((file.answers ?? []).map((a) => [a.question, a]));
  custom = new Set((file.answers ?? []).filter((a) => a.choice === 'custom').map((a) => a.question));
  $('school-name').value = file.school?.name ?? '';
  $('school-id').value = file.school?.id ?? '';
  $('school-id').dataset.edited = 'true';
  $('school-source').value = file.school?.source ?? '';
  $('school-version').value = file.school?.version ?? '';
  const given = new Map((file.answers ?? []).map((a) => [a.question, a]));
  for (const q of model) {
    const p = qid(q);
    const answer = given.get(q.id);
    const choice = answer && answer.choice !== 'custom' ? answer.choice : q.default;
    for (const input of document.querySelectorAll(`input[name="${p}"]`)) input.checked = input.value === choice;
    $(`${p}-section`).value = answer?.cite?.section ?? '';
    if ($(`${p}-years`)) {
      const [from, to] = answer?.years ?? [0, 0];
      $(`${p}-from`).value = String(from);
      $(`${p}-to`).value = String(to);
    }
  }
  showSchoolSections(file);
  refreshVisibility();
}

// ---------------------------------------------------------------------------
// The answers file: reopen and download.

async function reopen() {
  const input = $('answers-file');
  const status = $('answers-file-status');
  const file = input.files && input.files[0];
  if (!file) return;
  let parsed;
  try {
    // The engine reads the file as `safeguard policy new --answers` does:
    // TOML or JSON, by its name, else by its first character.
    const text = await file.text();
    const toml = /\.toml$/i.test(file.name) || (!/\.json$/i.test(file.name) && !text.trimStart().startsWith('{'));
    parsed = wasm.readAnswers(text, toml ? 'toml' : 'json');
    const unknown = (parsed.answers ?? []).filter((a) => {
      const q = model.find((m) => m.id === a?.question);
      return !q || !(a.choice === 'custom' || q.choices.some((c) => c.id === a.choice));
    });
    if (unknown.length > 0) throw new Error('answers to questions or with choices this page does not have');
  } catch (e) {
    console.warn(e);
    status.replaceChildren(el('div', { class: 'error-box', dataset: { testid: 'answers-file-error' } },
      `“${file.name}” could not be opened as an answers file from this page, so nothing has changed. ` +
      'Choose an answers file (TOML or JSON), such as one this page downloaded with “Download your answers”.'));
    input.value = '';
    return;
  }
  // The engine writes every part of the custom rules, empty or not: only
  // what holds something is carried.
  kept = Object.fromEntries(['restate', 'custom'].filter((k) => !blank(parsed[k])).map((k) => [k, parsed[k]]));
  showAnswers(parsed);
  const others = unlistedCount();
  const also = [
    carriedWords(),
    custom.size > 0 ? `${custom.size} question${custom.size === 1 ? ' is' : 's are'} answered by those rules.` : null,
    others > 0
      ? `It also names ${others} contact${others === 1 ? '' : 's'} this page does not list (such as the police's emergency line), kept as ${others === 1 ? 'it is' : 'they are'}.`
      : null,
  ].filter(Boolean);
  status.replaceChildren(
    el('p', { class: 'hint', dataset: { testid: 'answers-file-loaded' } }, `Answers from “${file.name}” are shown below.`),
    also.length > 0 ? el('p', { class: 'note-box', dataset: { testid: 'answers-file-kept' } }, also.join(' ')) : null,
  );
  input.value = '';
  answersChanged();
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function fileStem() {
  return slug($('school-id').value) || 'school';
}

function downloadAnswers() {
  download(`${fileStem()}-answers.json`, `${JSON.stringify(currentAnswers(), null, 2)}\n`, 'application/json');
}

/** Builds the policy from the answers on screen at the moment of the click,
 * so the file is always for what is shown. */
function downloadPolicy() {
  const result = build(currentAnswers());
  if (result.error) {
    showPreview(errorView(result.error));
    return;
  }
  result.engine.free();
  download(`${fileStem()}.toml`, result.toml, 'application/toml');
}

// ---------------------------------------------------------------------------
// The preview.

/** Something changed: the preview and the policy download go at once, and
 * the preview is rebuilt for the answers now on screen. */
function answersChanged() {
  clearTimeout(timer);
  dropBuilt();
  $('download-policy').disabled = true;
  showPreview(el('p', { class: 'hint', dataset: { testid: 'preview-updating' } }, 'Updating the preview for your answers…'));
  timer = setTimeout(rebuild, 250);
}

/** Drops the policy the preview showed, and its review with it. */
function dropBuilt() {
  if (built) built.free();
  built = null;
  review = null;
  clearFieldErrors();
  for (const id of ['write-review', 'download-review-md', 'download-review-html']) $(id).disabled = true;
  $('review').replaceChildren();
  // A short status for screen readers; the report itself is not read out
  // as it appears (it is long).
  $('review-status').textContent = reviewWanted ? 'The review is written again once the preview is ready.' : '';
}

function showPreview(node) {
  $('preview').replaceChildren(node);
}

/** The engine's policy for `answers`: `{ toml, engine }` or `{ error }`. */
function build(answers) {
  try {
    const toml = wasm.buildPolicy(JSON.stringify(answers));
    return { toml, engine: wasm.Engine.fromPolicy(toml, 'toml') };
  } catch (e) {
    return { error: e };
  }
}

function rebuild() {
  timer = null;
  dropBuilt();
  const answers = currentAnswers();
  const result = build(answers);
  if (result.error) {
    $('download-policy').disabled = true;
    showPreview(errorView(result.error, answers));
    return;
  }
  built = result.engine;
  // A reopened file's own rules (custom rules, restated or removed national
  // rules) are part of the policy though no question shows them: the
  // summary never says "follows national guidance" while they are there.
  const own = carriedWords();
  const departing = answers.answers.filter((a) => model.find((q) => q.id === a.question)?.default !== a.choice).length;
  const questions = departing === 0
    ? 'Your policy follows national guidance on every question'
    : `Your policy differs from national guidance in ${departing} answer${departing === 1 ? '' : 's'}`;
  const parts = [
    el('p', { class: 'hint', dataset: { testid: 'preview-ready' } },
      own
        ? `${questions}, and it also carries the school's own rules from the answers file. ${own} The examples and checks below include them.`
        : `${questions}.`),
    examplesView(built),
    lintView(built),
    diffView(built),
  ];
  showPreview(el('div', {}, parts));
  $('download-policy').disabled = false;
  $('write-review').disabled = false;
  if (reviewWanted) writeReview();
}

// ---------------------------------------------------------------------------
// The annual review of the policy the preview shows.

function writeReview() {
  if (!built) return;
  try {
    review = built.review();
  } catch (e) {
    console.warn(e);
    review = null;
    $('review').replaceChildren();
    $('review-status').textContent = 'The engine could not write the review of this policy.';
    return;
  }
  $('review').replaceChildren(reviewView(review));
  $('review-status').textContent = 'The review of the policy in the preview is written below.';
  $('download-review-md').disabled = false;
  $('download-review-html').disabled = false;
}

/** Downloads the review the page shows: the engine's Markdown, or its
 * printable HTML page, as files (never inserted into this page). */
function downloadReview(kind) {
  if (!review) return;
  if (kind === 'md') download(`${fileStem()}-review.md`, review.markdown, 'text/markdown');
  else download(`${fileStem()}-review.html`, review.html, 'text/html');
}

/** A build error in the engine's words, with the question it is about. */
function errorView(error, answers = currentAnswers()) {
  let words = null;
  try {
    words = wasm.explainError(error.json);
  } catch (e) {
    console.warn(e);
  }
  // The engine roots an answers file's paths at `$` (`$.answers[2].cite`).
  const match = /^\$\.answers\[(\d+)\]/.exec(error.path ?? '');
  const answer = match ? answers.answers[Number(match[1])] : null;
  const question = answer ? model.find((q) => q.id === answer.question) : null;
  clearFieldErrors();
  const place = markFieldError(error);
  return el(
    'div',
    { class: 'error-box', role: 'alert', dataset: { testid: 'preview-error' } },
    el('p', {}, el('strong', {}, 'No policy can be built from these answers yet.')),
    question ? el('p', { dataset: { testid: 'preview-error-question' } }, `About the question “${question.prompt}”.`) : null,
    place ? el('p', { dataset: { testid: 'preview-error-field' } }, `${place.words} See the field marked under “${place.heading}”.`) : null,
    question && !answer.cite
      ? el('p', {}, 'An answer that differs from national guidance needs the section of your policy that says so.')
      : null,
    // The engine's words speak of the field by its place in the file: a
    // field marked on the page has the page's words instead.
    words && !place ? el('p', { dataset: { testid: 'preview-error-words' } }, words.headline) : null,
    words && !place ? el('p', { class: 'pre' }, words.text) : null,
    !words && !place ? el('p', {}, String(error.message ?? error)) : null,
    el('p', {}, 'The preview and the policy download come back once this is put right.'),
  );
}

function examplesView(engine) {
  const items = EXAMPLES.map((example, i) => {
    let headline;
    let explanation = null;
    let outcome = 'none';
    try {
      const x = engine.explain(exampleRequest(example));
      headline = x.headline;
      if (x.kind === 'decision') {
        outcome = x.outcome;
        explanation = x.text;
      }
    } catch (e) {
      console.warn(e);
      headline = 'The engine could not decide this example.';
    }
    return el(
      'li',
      { class: `example outcome-${outcome}` },
      el('strong', {}, example.title),
      el('span', { class: 'example-headline', dataset: { testid: `example-${i}` } }, headline),
      explanation
        ? el('details', { class: 'help' }, el('summary', {}, 'Why, in full'), el('p', { class: 'pre' }, explanation))
        : null,
    );
  });
  return el('div', {}, el('h3', {}, 'What your policy decides'), el('ul', { class: 'examples' }, items));
}

/** A line of the engine's lint or diff for people: the policies named as
 * "your policy" and "national guidance", tokens (mobile_phone) spaced, the
 * count of the request space left out. */
function words(text, engine) {
  const id = engine.policyId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text
    .replace(new RegExp(`(^|[\\s(])${id}(?=[\\s:;,)]|$)`, 'g'), '$1your policy')
    .replace(/\bbaseline\b/g, 'national guidance')
    .replace(/\s*\([\d,]+ classes?, [\d,]+ requests?\)/g, '')
    .replace(/_/g, ' ');
}

const SHOWN = 8;

function listOf(lines, testid) {
  const shown = lines.slice(0, SHOWN).map((l) => el('li', {}, l));
  if (lines.length > SHOWN) shown.push(el('li', {}, `and ${lines.length - SHOWN} more.`));
  return el('ul', { dataset: { testid } }, shown);
}

function lintView(engine) {
  let report;
  try {
    report = engine.lint();
  } catch (e) {
    console.warn(e);
    return el('div', { class: 'note-box' }, 'Your device rules could not be checked for contradictions.');
  }
  const of = (kind) => report.findings.filter((f) => f.kind === kind).map((f) => words(f.message, engine));
  const contradictions = of('contradiction');
  const uncovered = of('uncovered');
  return el(
    'div',
    { dataset: { testid: 'lint' } },
    el('h3', {}, 'Checks of your device rules'),
    contradictions.length === 0
      ? el('p', { dataset: { testid: 'lint-contradictions' } }, 'No rules contradict each other.')
      : el('div', { class: 'note-box' }, el('p', { dataset: { testid: 'lint-contradictions' } },
          `${contradictions.length} pair${contradictions.length === 1 ? '' : 's'} of rules contradict each other:`),
        listOf(contradictions, 'lint-contradiction-list')),
    uncovered.length === 0
      ? el('p', { dataset: { testid: 'lint-uncovered' } }, 'Every device request is covered by a rule.')
      : el('div', {}, el('p', { dataset: { testid: 'lint-uncovered' } },
          `${uncovered.length} kind${uncovered.length === 1 ? '' : 's'} of request no rule decides (so the engine does not allow them):`),
        listOf(uncovered, 'lint-uncovered-list')),
  );
}

function diffView(engine) {
  let report;
  try {
    report = engine.diff(baseline);
  } catch (e) {
    console.warn(e);
    return el('div', { class: 'note-box' }, 'Your device rules could not be compared with national guidance.');
  }
  const lines = report.differences.map((d) => words(d.message, engine));
  return el(
    'div',
    { dataset: { testid: 'diff' } },
    el('h3', {}, 'Differences from national guidance (devices)'),
    lines.length === 0
      ? el('p', { dataset: { testid: 'diff-none' } }, 'Your device rules allow and forbid exactly what national guidance does.')
      : listOf(lines, 'diff-list'),
  );
}

if (typeof document !== 'undefined') start();
