// Policy builder page (issue 24): a school's policy from its answers to the
// engine's question model, with a live preview.
//
// Why it is built this way:
// - Every question comes from the engine (`questions()`): its prompt, help,
//   choices and national default. The page hard-codes no question, so a
//   question added to the model (core/src/policy/builder/questions.toml)
//   appears here without an edit. Only the headings of the four domains and
//   the example situations of the preview (devices, a class photo, two
//   concerns reported, a nude image shared) are the page's own.
// - Skipping a question keeps national guidance: its national default is
//   shown chosen, and the answers file lists only the answers that differ.
// - The policy is the engine's (`buildPolicy`), loaded as the CLI loads it;
//   the preview decides example requests under it (`explain`), lints it and
//   diffs it against the baseline (`checks`), all in the engine's words,
//   shown as text as the engine wrote them: the page rewords nothing.
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

/** An escalation example's facts, each given: nothing else is known to be
 * so (the engine asks about a fact left out). */
const NO_FLAGS = {
  immediate_danger: false,
  threat_to_life: false,
  criminal_offence_suspected: false,
  criminal_offence_unclear: false,
  illegal_material: false,
  on_school_systems: false,
  outside_school: false,
  other_schools_involved: false,
  ongoing_or_repeated: false,
  low_level_concern: false,
  parental_involvement_would_risk_child: false,
};

/** The example situations of the preview, decided under the policy being
 * built: devices requests (every fact given), then one situation of each
 * other domain, so that an answer about photos or reporting concerns
 * changes what the preview shows. Each is a request of the wire
 * vocabulary, with its domain. */
export const EXAMPLES = [
  {
    title: 'A Year 6 pupil brings a phone to school',
    request: {
      domain: 'devices',
      actor: { role: 'pupil', year_group: 6 },
      device: { kind: 'mobile_phone', owner: 'personal' },
      action: 'bring_on_site',
      context: { location: 'playground', period: 'before_school', children_present: true },
    },
  },
  {
    title: 'A Year 3 pupil brings a phone to school',
    request: {
      domain: 'devices',
      actor: { role: 'pupil', year_group: 3 },
      device: { kind: 'mobile_phone', owner: 'personal' },
      action: 'bring_on_site',
      context: { location: 'playground', period: 'before_school', children_present: true },
    },
  },
  {
    title: 'A teacher takes a photo of pupils on their own phone at sports day',
    request: {
      domain: 'devices',
      actor: { role: 'teacher', works_directly_with_children: true },
      device: { kind: 'mobile_phone', owner: 'personal' },
      action: 'photograph_pupils',
      context: { location: 'playground', period: 'school_event', children_present: true },
    },
  },
  {
    title: 'A parent films the school play on their phone',
    request: {
      domain: 'devices',
      actor: { role: 'parent', works_directly_with_children: false },
      device: { kind: 'mobile_phone', owner: 'personal' },
      action: 'take_photo_video',
      context: { location: 'hall', period: 'school_event', children_present: true },
    },
  },
  {
    title: 'A teacher on a trip calls a parent from their own phone in an emergency',
    request: {
      domain: 'devices',
      actor: { role: 'teacher', works_directly_with_children: true },
      device: { kind: 'mobile_phone', owner: 'personal' },
      action: 'contact_pupils_or_parents',
      context: { location: 'offsite_trip', period: 'school_event', children_present: true, emergency: true, school_device_available: false },
    },
  },
  {
    title: 'A class photo for the school website, with one pupil whose parents have said no to the website',
    request: {
      domain: 'images',
      channel: 'website',
      media: { kind: 'photo', composition: 'group', captured_on: 'school_device', has_geodata: false, suitably_dressed: true },
      pupils: [
        { id: 'pupil-1', first_name: 'Amira', last_name: 'Khan', on_roll: true, restriction: 'none', consent: { website: 'yes' } },
        { id: 'pupil-2', first_name: 'Ben', last_name: 'Jones', on_roll: true, restriction: 'none', consent: { website: 'no' } },
      ],
    },
  },
  {
    title: 'At 6.30 pm on a school day, a pupil reports threatening messages another pupil keeps sending them',
    request: {
      domain: 'escalation',
      category: 'cyberbullying',
      concern_about: 'pupil',
      flags: { ...NO_FLAGS, outside_school: true, ongoing_or_repeated: true },
      reported_at: '2026-03-04T18:30',
    },
  },
  {
    title: 'A low-level concern about a member of staff, raised in the morning',
    request: {
      domain: 'escalation',
      category: 'staff_misuse',
      concern_about: 'staff',
      flags: { ...NO_FLAGS, low_level_concern: true },
      reported_at: '2026-03-04T10:15',
    },
  },
  {
    title: 'A Year 10 pupil tells a teacher a nude image of them was sent to a classmate',
    request: {
      domain: 'sexting',
      incident_date: '2026-03-04',
      young_people: [
        { id: 'pupil-1', age: 15, role: 'subject' },
        { id: 'pupil-2', age: 15, role: 'recipient' },
      ],
      facts: {
        adult_involved: 'no',
        coercion_blackmail_or_grooming: 'no',
        financially_motivated_extortion: 'no',
        capacity_to_consent_concern: 'no',
        content_atypical_for_development: 'no',
        content_violent: 'no',
        content_sexual_acts: 'no',
        ai_generated_or_manipulated: 'no',
        immediate_risk_of_harm: 'no',
        shared_widely: 'no',
        previous_incidents: 'no',
        parental_involvement_would_risk_child: 'no',
      },
    },
  },
];

/** The facts a devices example leaves out, given as "no". */
const EXAMPLE_DEFAULTS = {
  emergency: false,
  permission_from: 'none',
  parental_request: false,
  subjects_consent: false,
  school_device_available: true,
  exception: 'none',
};

/** The full request of an example (a devices one with every fact given). */
export function exampleRequest(example) {
  const request = { schema_version: 1, ...example.request };
  if (request.domain === 'devices') request.context = { ...EXAMPLE_DEFAULTS, ...request.context };
  return request;
}

let wasm = null;
/** The question model, from the engine. */
let model = [];
/** The people and local bodies a school may name, from the engine. */
let contacts = { people: [], bodies: [] };
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
    // The authoring module: the builder, the checks and the review.
    wasm = await import('../dist/web/safeguard_authoring.js');
    await wasm.default();
    model = wasm.questions();
    contacts = wasm.contacts();
    baseline = wasm.Engine.fromPreset('baseline');
  } catch (e) {
    showEngineMissing(status, e);
    return;
  }
  renderQuestions();
  renderSchoolSections($('school-sections'), answersChanged, contacts);
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
  $('preview-status').textContent = '';
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
    // The error is an alert of its own.
    $('preview-status').textContent = '';
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
    checksView(built),
  ];
  showPreview(el('div', {}, parts));
  // Said in a few words, not the preview read out whole.
  $('preview-status').textContent = `${questions}. The preview is up to date.`;
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

/** A step of the engine's plan, from its words: what, who (unless the
 * step names them, as "Tell the headteacher" does), when and by what time. */
function stepItem(s) {
  const who = s.action === 'notify' ? '' : ` Who: ${s.who_text}.`;
  const when = s.due ? `${s.when}, by ${s.due}` : s.when;
  return el('li', { dataset: { who: s.who, deadline: s.deadline } }, `${s.title}.${who} When: ${when}.`);
}

function examplesView(engine) {
  const items = EXAMPLES.map((example, i) => {
    let headline;
    let explanation = null;
    let outcome = 'none';
    let steps = [];
    let changes = [];
    try {
      const x = engine.explain(exampleRequest(example));
      headline = x.headline;
      if (x.kind === 'decision') {
        outcome = x.outcome;
        explanation = x.text;
        steps = x.steps ?? [];
        changes = [...(x.changes ?? []), ...(x.ruled_out ?? [])];
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
      changes.length > 0 ? el('ul', { class: 'example-changes', dataset: { testid: `example-${i}-changes` } }, changes.map((c) => el('li', {}, c))) : null,
      steps.length > 0 ? el('ol', { class: 'example-steps', dataset: { testid: `example-${i}-steps` } }, steps.map(stepItem)) : null,
      explanation
        ? el('details', { class: 'help' }, el('summary', {}, 'Why, in full'), el('p', { class: 'pre' }, explanation))
        : null,
    );
  });
  return el('div', {}, el('h3', {}, 'What your policy decides'), el('ul', { class: 'examples' }, items));
}

const SHOWN = 8;

/** A list of the engine's sentences, as text, the first `SHOWN` of them. */
function listOf(lines, testid) {
  const shown = lines.slice(0, SHOWN).map((l) => el('li', {}, l));
  if (lines.length > SHOWN) shown.push(el('li', {}, `and ${lines.length - SHOWN} more.`));
  return el('ul', { dataset: { testid } }, shown);
}

/** The lint of the policy's device rules and their differences from
 * national guidance, in the engine's own plain words (`Engine.checks`:
 * the sentences `safeguard lint` and `safeguard diff` print, without rule
 * ids). */
function checksView(engine) {
  let checks;
  try {
    checks = engine.checks(baseline);
  } catch (e) {
    console.warn(e);
    return el('div', { class: 'note-box', dataset: { testid: 'checks-error' } },
      'Your device rules could not be checked, or compared with national guidance.');
  }
  return el('div', {}, lintView(checks.findings), diffView(checks.differences));
}

function lintView(findings) {
  const of = (kind) => findings.filter((f) => f.kind === kind).map((f) => f.text);
  const contradictions = of('contradiction');
  const uncovered = of('uncovered');
  const others = findings.filter((f) => f.kind !== 'contradiction' && f.kind !== 'uncovered').map((f) => f.text);
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
          `${uncovered.length} kind${uncovered.length === 1 ? '' : 's'} of request no rule decides:`),
        listOf(uncovered, 'lint-uncovered-list')),
    others.length === 0
      ? null
      : el('div', {}, el('p', {}, `${others.length} other finding${others.length === 1 ? '' : 's'}:`),
        listOf(others, 'lint-other-list')),
  );
}

function diffView(differences) {
  const side = (which) => differences.filter((d) => d.side === which).map((d) => d.text);
  const more = side('policy');
  const fewer = side('other');
  return el(
    'div',
    { dataset: { testid: 'diff' } },
    el('h3', {}, 'Differences from national guidance (devices)'),
    differences.length === 0
      ? el('p', { dataset: { testid: 'diff-none' } }, 'Your device rules allow and forbid exactly what national guidance does.')
      : el('div', { dataset: { testid: 'diff-list' } },
        more.length === 0 ? null : el('p', {}, 'What your policy allows and national guidance refuses:'),
        more.length === 0 ? null : listOf(more, 'diff-allows-more'),
        fewer.length === 0 ? null : el('p', {}, 'What national guidance allows and your policy refuses:'),
        fewer.length === 0 ? null : listOf(fewer, 'diff-stricter')),
  );
}

if (typeof document !== 'undefined') start();
