// The school's named people, local bodies and timetable on the policy
// builder page (issue 24): plain form sections whose values go into the
// answers file's `roles`, `bodies` and `timetable`, as the engine reads
// them (core/src/contacts.rs, core/src/civil/timetable.rs).
//
// Why it is built this way:
// - The page checks nothing itself. Whatever is typed goes to the engine,
//   and a missing title, a date that is no date or a lunch outside the day
//   is the engine's error. Each input carries the JSON path the engine's
//   errors use (`$.roles.dsl.title`), so an error is shown next to the
//   field it points at, in the page's plain words for the error's code:
//   never the engine's message, which may quote what was typed.
// - A reopened answers file goes through unchanged: a person or body the
//   form does not list (the police's 999 line, the school office), and a
//   field the form does not show for one it lists, are kept as they are,
//   and a citation of another document than the school's policy keeps it
//   (one of the school's policy follows its title as typed now).
// - Skipped is national guidance: a person or body left empty is not in
//   the answers file (the baseline's contact applies), nor is an empty
//   timetable (the baseline's school day applies).

import { $, el } from './dom.js';

/** The people and the local bodies the form lists, by the answers
 * file's table: the engine's (`contacts()`, the `Who` tokens a school may
 * name, with their names in words, as the terminal offers them), set when
 * the sections are drawn. None is written here, so a party the engine
 * adds needs no edit to the page. */
let listed = { roles: [], bodies: [] };

/** A contact's fields on the form: [key, label, input type]. */
const CONTACT_FIELDS = [
  ['title', 'Title, as your policy names it', 'text'],
  ['name', 'Name', 'text'],
  ['phone', 'Phone', 'tel'],
  ['email', 'Email', 'email'],
];
/** A local body's opening hours, and its out-of-hours route. */
const BODY_FIELDS = [['hours', 'Opening hours, such as Monday to Friday 09:00-17:00', 'text']];
const OUT_OF_HOURS_FIELDS = [
  ['title', 'Out-of-hours service, such as the emergency duty team', 'text'],
  ['phone', 'Its phone', 'tel'],
  ['hours', 'When it answers, such as 18:00-08:00 and weekends', 'text'],
];

/** Breaks and terms shown at least. */
const MIN_BREAKS = 2;
const MIN_TERMS = 6;

/** What a reopened file held that the form shows, by table and person,
 * so what the form does not show is kept (see the module comment). */
let originals = { roles: {}, bodies: {}, timetable: null };
/** A reopened file's people and bodies the form does not list. */
let unlisted = { roles: {}, bodies: {} };
/** Called when a value changes. */
let changed = () => {};

const cid = (table, who, key) => `c-${table}-${who}-${key}`.replace(/_/g, '-');

function input(id, label, type, path, hint) {
  const hintId = hint ? `${id}-hint` : null;
  return el(
    'div',
    { class: 'field', dataset: { field: id } },
    el('label', { for: id }, label),
    el('input', {
      type,
      id,
      dataset: { testid: id, path },
      autocomplete: 'off',
      spellcheck: type === 'text' ? null : 'false',
      'aria-describedby': hintId,
      oninput: changed,
    }),
    hint ? el('p', { class: 'hint', id: hintId }, hint) : null,
  );
}

function contactView(table, who, label) {
  const at = `$.${table}.${who}`;
  const fields = CONTACT_FIELDS.map(([key, text, type]) => input(cid(table, who, key), text, type, `${at}.${key}`));
  if (table === 'bodies') {
    for (const [key, text, type] of BODY_FIELDS) fields.push(input(cid(table, who, key), text, type, `${at}.${key}`));
  }
  const outOfHours = table === 'bodies'
    ? el(
        'fieldset',
        { class: 'nested' },
        el('legend', {}, 'Out of hours'),
        el('div', { class: 'grid two' },
          OUT_OF_HOURS_FIELDS.map(([key, text, type]) =>
            input(cid(table, who, `ooh-${key}`), text, type, `${at}.out_of_hours.${key}`))),
        el('div', { class: 'check' },
          el('input', {
            type: 'checkbox',
            id: cid(table, who, 'ooh-emergency'),
            dataset: { testid: cid(table, who, 'ooh-emergency'), path: `${at}.out_of_hours.emergency_only` },
            onchange: changed,
          }),
          el('label', { for: cid(table, who, 'ooh-emergency') }, 'Only when a child is at immediate risk')),
      )
    : null;
  return el(
    'details',
    { class: 'contact', id: cid(table, who, 'group'), dataset: { testid: cid(table, who, 'group'), table, who } },
    el('summary', {}, label),
    el('fieldset', { class: 'plain', dataset: { groupPath: at } },
      el('legend', { class: 'visually-hidden' }, label),
      el('div', { class: 'grid two' }, fields),
      outOfHours,
      input(cid(table, who, 'section'), 'The section of your policy that names them', 'text', `${at}.cite`)),
  );
}

function spanRow(kind, i, type, label) {
  const id = (end) => `t-${kind}-${i}-${end}`;
  return el(
    'div',
    { class: 'grid two span-row', dataset: { row: kind } },
    input(id('start'), `${label} ${i + 1}: starts`, type, `$.timetable.${kind}[${i}].start`),
    input(id('end'), `${label} ${i + 1}: ends`, type, `$.timetable.${kind}[${i}].end`),
  );
}

function timetableView() {
  return el(
    'section',
    { class: 'panel', 'aria-labelledby': 'h-timetable', dataset: { testid: 'timetable' } },
    el('h2', { id: 'h-timetable' }, 'Your school day and year'),
    el('p', { class: 'hint' }, 'Leave this empty to keep national guidance\'s typical school day (08:45 to 15:15). ' +
      'The engine uses it to tell lessons from breaks and school days from holidays.'),
    el('div', { class: 'grid two' },
      input('t-day-start', 'The school day starts', 'time', '$.timetable.day_start'),
      input('t-day-end', 'The school day ends', 'time', '$.timetable.day_end'),
      input('t-lunch-start', 'Lunch starts', 'time', '$.timetable.lunch.start'),
      input('t-lunch-end', 'Lunch ends', 'time', '$.timetable.lunch.end')),
    el('h3', {}, 'Breaks'),
    el('div', { id: 't-breaks' }),
    el('h3', {}, 'Term dates'),
    el('div', { id: 't-terms' }),
    el('button', { type: 'button', class: 'secondary', id: 't-add-term', dataset: { testid: 't-add-term' }, onclick: () => addRow('terms') }, 'Add another term'),
    el('div', { class: 'field', dataset: { field: 't-closures' } },
      el('label', { for: 't-closures' }, 'Closure days in term (training days, bank holidays)'),
      el('textarea', { id: 't-closures', rows: 3, dataset: { testid: 't-closures', path: '$.timetable.closures' }, 'aria-describedby': 't-closures-hint', spellcheck: 'false', oninput: changed }),
      el('p', { class: 'hint', id: 't-closures-hint' }, 'One date a line, year first, such as 2026-10-23.')),
    input('t-section', 'The section of your policy that gives these times', 'text', '$.timetable.cite'),
  );
}

function addRow(kind) {
  const box = $(`t-${kind}`);
  const i = box.children.length;
  box.append(kind === 'terms' ? spanRow('terms', i, 'date', 'Term') : spanRow('breaks', i, 'time', 'Break'));
  return i;
}

function setRows(kind, n) {
  $(`t-${kind}`).replaceChildren();
  for (let i = 0; i < n; i += 1) addRow(kind);
}

/** The section of one contacts table (`roles` or `bodies`). */
function contactsSection(table, list, heading, hint) {
  const id = table === 'roles' ? 'people' : 'bodies';
  return el(
    'section',
    { class: 'panel', 'aria-labelledby': `h-${id}`, dataset: { testid: id } },
    el('h2', { id: `h-${id}` }, heading),
    el('p', { class: 'hint' }, hint),
    list.map(({ who, label }) => contactView(table, who, label)),
  );
}

/** Renders the people, bodies and timetable sections into `container`;
 * `onChange` is called on every change. `contacts` is the engine's
 * `contacts()`: the people and the bodies to list. */
export function renderSchoolSections(container, onChange, contacts) {
  changed = onChange;
  listed = { roles: contacts.people, bodies: contacts.bodies };
  const people = contactsSection('roles', listed.roles, 'Your school\'s people',
    'The people your policy names. Open one to fill it in; leave it empty to keep national guidance\'s wording ("the designated safeguarding lead").');
  const bodies = contactsSection('bodies', listed.bodies, 'Your local bodies',
    'Who your school refers to, with their numbers, opening hours and the route when they are closed.');
  container.replaceChildren(people, bodies, timetableView());
  setRows('breaks', MIN_BREAKS);
  setRows('terms', MIN_TERMS);
}

const value = (id) => ($(id)?.value ?? '').trim();

/** The school's policy document as the reopened file named it. */
let fileSource = null;

/** The document a citation names: the one a reopened file's `original`
 * cites when that is another document than the school's policy, else the
 * school's policy, `source` (its title as typed now). */
export function citeSource(original, source) {
  const cited = original?.cite?.source;
  return cited !== undefined && cited !== fileSource ? cited : source;
}

/** A citation for a section typed on the form (see `citeSource`). */
function citeOf(section, original, source) {
  return section ? { source: citeSource(original, source), section } : undefined;
}

function withoutEmpty(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined && v !== ''));
}

function contactOf(table, who, source) {
  const original = originals[table][who] ?? {};
  const own = {};
  for (const [key] of CONTACT_FIELDS) own[key] = value(cid(table, who, key));
  if (table === 'bodies') {
    for (const [key] of BODY_FIELDS) own[key] = value(cid(table, who, key));
    const ooh = withoutEmpty({
      title: value(cid(table, who, 'ooh-title')),
      phone: value(cid(table, who, 'ooh-phone')),
      hours: value(cid(table, who, 'ooh-hours')),
    });
    if (Object.keys(ooh).length > 0) {
      if ($(cid(table, who, 'ooh-emergency')).checked) ooh.emergency_only = true;
      own.out_of_hours = ooh;
    }
  }
  own.cite = citeOf(value(cid(table, who, 'section')), original, source);
  const shown = withoutEmpty(own);
  if (Object.keys(shown).length === 0) return null;
  // What the form does not show for this contact is kept as it was.
  const managed = new Set([...CONTACT_FIELDS, ...(table === 'bodies' ? BODY_FIELDS : [])].map(([k]) => k));
  managed.add('cite');
  if (table === 'bodies') managed.add('out_of_hours');
  const kept = Object.fromEntries(Object.entries(original).filter(([k]) => !managed.has(k)));
  return { ...kept, ...shown };
}

function spans(kind) {
  const out = [];
  const rows = $(`t-${kind}`).children.length;
  for (let i = 0; i < rows; i += 1) {
    const span = withoutEmpty({ start: value(`t-${kind}-${i}-start`), end: value(`t-${kind}-${i}-end`) });
    if (Object.keys(span).length > 0) out.push(span);
  }
  return out;
}

function timetableOf(source) {
  const lunch = withoutEmpty({ start: value('t-lunch-start'), end: value('t-lunch-end') });
  const t = withoutEmpty({
    day_start: value('t-day-start'),
    day_end: value('t-day-end'),
  });
  const breaks = spans('breaks');
  if (breaks.length > 0) t.breaks = breaks;
  if (Object.keys(lunch).length > 0) t.lunch = lunch;
  const terms = spans('terms');
  if (terms.length > 0) t.terms = terms;
  const closures = $('t-closures').value.split('\n').map((d) => d.trim()).filter((d) => d !== '');
  if (closures.length > 0) t.closures = closures;
  const cite = citeOf(value('t-section'), originals.timetable, source);
  if (Object.keys(t).length === 0 && !cite) return null;
  if (cite) t.cite = cite;
  return t;
}

/** The answers file's `roles`, `bodies` and `timetable` for what is on the
 * form (with a reopened file's unlisted people and bodies); a table left
 * empty is left out. `source` is the school's policy document. */
export function readSchoolSections(source) {
  const out = {};
  for (const [table, list] of Object.entries(listed)) {
    const contacts = { ...unlisted[table] };
    for (const { who } of list) {
      const c = contactOf(table, who, source);
      if (c) contacts[who] = c;
    }
    if (Object.keys(contacts).length > 0) out[table] = contacts;
  }
  const timetable = timetableOf(source);
  if (timetable) out.timetable = timetable;
  return out;
}

function fill(id, v) {
  const field = $(id);
  if (field) field.value = v ?? '';
}

/** Puts a reopened answers file's people, bodies and timetable on the
 * form; what the form does not list is kept for the downloads. */
export function showSchoolSections(file) {
  fileSource = file.school?.source ?? null;
  originals = { roles: {}, bodies: {}, timetable: file.timetable ?? null };
  unlisted = { roles: {}, bodies: {} };
  for (const [table, list] of Object.entries(listed)) {
    const given = file[table] ?? {};
    const shown = new Set(list.map(({ who }) => who));
    for (const [who, c] of Object.entries(given)) {
      if (shown.has(who)) originals[table][who] = c;
      else unlisted[table][who] = c;
    }
    for (const { who } of list) {
      const c = originals[table][who] ?? {};
      for (const [key] of CONTACT_FIELDS) fill(cid(table, who, key), c[key]);
      if (table === 'bodies') {
        for (const [key] of BODY_FIELDS) fill(cid(table, who, key), c[key]);
        for (const [key] of OUT_OF_HOURS_FIELDS) fill(cid(table, who, `ooh-${key}`), c.out_of_hours?.[key]);
        $(cid(table, who, 'ooh-emergency')).checked = c.out_of_hours?.emergency_only === true;
      }
      fill(cid(table, who, 'section'), c.cite?.section);
      $(cid(table, who, 'group')).open = who in originals[table];
    }
  }
  const t = file.timetable ?? {};
  fill('t-day-start', t.day_start);
  fill('t-day-end', t.day_end);
  fill('t-lunch-start', t.lunch?.start);
  fill('t-lunch-end', t.lunch?.end);
  for (const [kind, min] of [['breaks', MIN_BREAKS], ['terms', MIN_TERMS]]) {
    const list = t[kind] ?? [];
    setRows(kind, Math.max(min, list.length));
    list.forEach((span, i) => {
      fill(`t-${kind}-${i}-start`, span.start);
      fill(`t-${kind}-${i}-end`, span.end);
    });
  }
  $('t-closures').value = (t.closures ?? []).join('\n');
  fill('t-section', t.cite?.section);
}

/** How many people and bodies a reopened file names that the form does
 * not list (kept as they are). */
export function unlistedCount() {
  return Object.keys(unlisted.roles).length + Object.keys(unlisted.bodies).length;
}

// ---------------------------------------------------------------------------
// The engine's errors, next to their fields.

/** The page's words for an error's code at a field: never the engine's
 * message, which may quote what was typed. */
function fieldWords(code, path) {
  if (code === 'missing_field') return 'This is needed here: please fill it in.';
  if (code === 'invalid_date') return 'This is not a date the engine can read: write the year first, such as 2026-09-03.';
  if (code === 'invalid_time') return 'This is not a time the engine can read: write hours and minutes, such as 08:45.';
  if (code === 'floor_violation' && /^\$\.(roles|bodies)\./.test(path)) {
    return 'National rules cannot use this contact as it stands: every route must reach someone when it is meant to. ' +
      'Check its phone numbers, and that its out-of-hours times begin after the school day ends and end before it starts.';
  }
  if (path === '$.timetable') {
    return 'These times and dates do not fit together: the day must start before it ends, each break and lunch ' +
      'must start before it ends and fall within the day, and each term must start before it ends.';
  }
  return 'The engine cannot use what is written here.';
}

/** Takes every field error off the form. */
export function clearFieldErrors() {
  for (const note of document.querySelectorAll('.field-error')) note.remove();
  for (const field of document.querySelectorAll('[aria-invalid="true"]')) {
    field.removeAttribute('aria-invalid');
    const describedBy = (field.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => !id.endsWith('-error'));
    if (describedBy.length > 0) field.setAttribute('aria-describedby', describedBy.join(' '));
    else field.removeAttribute('aria-describedby');
  }
}

/** The field an error path points at: the one whose path is the longest
 * start of it, else the first field inside it (a whole group missing). */
function fieldAt(path) {
  const fields = [...document.querySelectorAll('[data-path]')];
  let best = null;
  for (const f of fields) {
    const p = f.dataset.path;
    const inside = path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`);
    if (inside && (!best || p.length > best.dataset.path.length)) best = f;
  }
  return best ?? fields.find((f) => f.dataset.path.startsWith(`${path}.`) || f.dataset.path.startsWith(`${path}[`)) ?? null;
}

/** Shows the engine's error `error` (a `SafeguardError`) next to the field
 * of the people, bodies or timetable it points at, and gives the heading
 * of that field's section and the words shown (`{ heading, words }`);
 * false when it points at none of them. A path the policy's loader gives without `$`
 * (`timetable`) is read from the root. */
export function markFieldError(error) {
  let path = error?.path;
  if (typeof path !== 'string' || path === '') return false;
  if (!path.startsWith('$')) path = `$.${path}`;
  if (!/^\$\.(roles|bodies|timetable)\b/.test(path)) return false;
  // An error about a whole person or body (a route that reaches nobody)
  // goes at the top of its group.
  const group = document.querySelector(`[data-group-path="${CSS.escape(path)}"]`);
  if (group) {
    group.closest('details')?.setAttribute('open', '');
    const note = el('p', { class: 'field-error', id: `${group.closest('details').id}-error`, role: 'note', dataset: { testid: 'field-error' } }, fieldWords(error.code, path));
    group.prepend(note);
    return { heading: heading(group), words: note.textContent };
  }
  const field = fieldAt(path);
  if (!field) return false;
  field.closest('details')?.setAttribute('open', '');
  const noteId = `${field.id}-error`;
  const note = el('p', { class: 'field-error', id: noteId, dataset: { testid: 'field-error' } }, fieldWords(error.code, path));
  field.parentElement.append(note);
  field.setAttribute('aria-invalid', 'true');
  const describedBy = (field.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  field.setAttribute('aria-describedby', [...describedBy, noteId].join(' '));
  return { heading: heading(field), words: note.textContent };
}

/** The heading of the section `node` is in. */
function heading(node) {
  return node.closest('section')?.querySelector('h2')?.textContent ?? 'this page';
}
