// The photo consent checker: a static page over the safeguard WebAssembly
// package (bindings/js/dist/web). No framework and no bundler: the browser
// loads this module, which loads the engine.
//
// Why it is built this way:
// - Every word about a decision is the engine's: the page shows
//   `engine.explain(request)` (headline, changes, who is ruled out, the
//   questions still open, the steps, the rules by document and section) and
//   writes no decision wording of its own, so it says what the CLI, C,
//   Python and the JSON API say. The page's own words are about the page:
//   what to do next on it, the roster's values, what a file records.
// - It fails safe. A decision is shown only when the page knows enough to
//   ask for it: a school chosen, the photo's file read by the engine, and
//   staff having said who is in it (at least one pupil, or "no pupil can be
//   identified"). Until then the card says what is needed, never a decision.
//   A roster file with any error is not loaded at all: the roster in use and
//   every photo's ticks stay as they were. A file the engine cannot read is
//   "Cannot check this file", with no decision and no download.
// - The download is the copy to publish: location removed, the other
//   identifying metadata (photographer, owner, copyright, serial numbers,
//   dates, and the titles, captions, comments, keywords and name tags
//   stored in the file) removed when chosen (`stripIdentifying`; the pixels stay byte
//   for byte), and, when the decision asks for a rename, named
//   `photo-N.ext`. It is offered only with a decision that allows
//   publishing. Which fields hold names (the file name, the tags, the
//   caption, the credits) is the engine's to say (`named_in`, in its change
//   sentences): the page renames its copy and leaves the other changes, in
//   the engine's words, to staff.
// The request shapes are those of shared/spec/vocabulary.md.

import { readRoster, PURPOSES } from './roster.js';
import { $, el, showEngineMissing } from './dom.js';

// ---------------------------------------------------------------------------
// Words for the page's own data: school names, the roster's values and what
// a file records. (The decision's words come from the engine.)

/** The built-in policies by id; "baseline" is the national guidance alone. */
const SCHOOL_NAMES = {
  baseline: 'National guidance only (no school policy)',
  'squirrels-heath-junior': 'Squirrels Heath Junior School',
  'west-hill-primary': 'West Hill Primary School',
  'lansbury-lawrence-primary': 'Lansbury Lawrence Primary School',
  'stanford-junior-infant': 'Stanford Junior and Infant School',
  'hilldene-primary': 'Hilldene Primary School',
};

/** Consent as the roster records it: refused and not asked are told apart. */
const CONSENT_WORDS = {
  yes: 'yes',
  no: 'refused',
  not_asked: 'not asked',
  withdrawn: 'withdrawn',
};

const RESTRICTION_NAMES = {
  none: 'none',
  looked_after: 'looked-after child',
  court_order: 'court order',
  do_not_photograph: 'do not photograph',
};

const CHANNEL_NAMES = {
  internal_display: 'a display inside school',
  learning_platform: 'the learning platform',
  website: 'the school website',
  online_prospectus: 'the online prospectus',
  printed_prospectus: 'the printed prospectus',
  social_media: 'social media',
  newsletter: 'the newsletter',
  press: 'the press',
  external_presentation: 'an external presentation',
  internal_assessment: 'internal assessment records',
};

const LOCATION_FIELD_NAMES = {
  exif_gps: 'GPS position (EXIF)',
  xmp_location: 'place or position (XMP)',
  iptc_location: 'place names (IPTC)',
};

const IDENTIFYING_NAMES = {
  artist: "the photographer's name",
  owner_name: "the camera owner's name",
  copyright: 'a copyright notice',
  camera_serial: "the camera's serial number",
  lens_serial: "the lens's serial number",
  date_taken: 'when it was taken',
  contact_info: "the creator's contact details",
  descriptive_text: 'a title, caption, comment, keywords or name tags',
};

/** The largest file the engine reads (its limit, 50 MiB). */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** Why a file cannot be checked, by the engine's error code. */
const FILE_PROBLEMS = {
  too_large: 'The file is larger than 50 MB, the most the checker reads. Publish a smaller copy (for example one exported for the web) and check that instead.',
  invalid_image:
    'The file is not a picture the checker can read: it may be damaged or cut short, or not a photo at all (for example a text file renamed .jpg). Check the original file and choose it again.',
  unsupported_image: 'The checker cannot read this kind of file. Save the photo as JPEG, PNG, WebP, TIFF or HEIC and choose that instead.',
};
const FILE_PROBLEM_OTHER = 'The file could not be read. Choose it again, or save it as a JPEG and choose that.';

const SEXTING_FACTS = [
  ['adult_involved', 'Is anyone involved aged 18 or over?'],
  ['coercion_blackmail_or_grooming', 'Coercion, blackmail or grooming?'],
  ['financially_motivated_extortion', 'Money demanded (sextortion)?'],
  ['capacity_to_consent_concern', 'Concern about capacity to consent?'],
  ['content_atypical_for_development', 'Acts unusual for their development?'],
  ['content_violent', 'Violent content?'],
  ['content_sexual_acts', 'Sexual acts?'],
  ['ai_generated_or_manipulated', 'AI-generated or manipulated?'],
  ['immediate_risk_of_harm', 'Immediate risk of harm?'],
  ['shared_widely', 'Shared widely?'],
  ['previous_incidents', 'Previous incidents?'],
  ['parental_involvement_would_risk_child', 'Would telling parents put the child at risk?'],
];

const SEXTING_ROLES = [
  ['subject', 'In the imagery'],
  ['sender', 'Sent it'],
  ['recipient', 'Received it'],
  ['sharer', 'Shared it on'],
];

// ---------------------------------------------------------------------------
// Small DOM helpers. User data only ever goes in through textContent or
// attribute values, never as HTML.

// `$` and `el` are in dom.js.

function words(token) {
  return String(token).replace(/_/g, ' ');
}

function capitalise(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "a", "a and b", "a, b and c". */
function listText(items) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A select for a yes/no fact that may be unknown ("" = not known, left out). */
function fillTriState(select) {
  select.replaceChildren(
    el('option', { value: '' }, 'Not known'),
    el('option', { value: 'yes' }, 'Yes'),
    el('option', { value: 'no' }, 'No'),
  );
}

/** An engine error as words for a person: never its message or JSON path. */
function problemText(e) {
  return FILE_PROBLEMS[e && e.code] ?? FILE_PROBLEM_OTHER;
}

function errorBox(...content) {
  return el('div', { class: 'error-box', role: 'alert' }, ...content);
}

/** `DO NOT PUBLISH this image.` → `Do not publish this image`: the engine's
 * headline up to its first colon or full stop, as a short label. */
function shortLabel(headline) {
  const head = String(headline).split(/[:.]/)[0].trim().toLowerCase();
  return capitalise(head);
}

/** Nothing the page shows may be a JSON path or a raw error: a last guard. */
function isPlainWords(s) {
  return typeof s === 'string' && s.trim() !== '' && !/\$\.|\[\w*_\w*\]/.test(s);
}

// ---------------------------------------------------------------------------
// State.

/** The loaded package (module namespace), the engine of the chosen school. */
let wasm = null;
let engine = null;
/** Pupils as the request carries them, the CSV line of each, and the file. */
let roster = [];
let rosterName = '';
/** Photos chosen: see addPhoto for the shape. */
const photos = [];
let nextPhotoNumber = 1;

// ---------------------------------------------------------------------------
// Start-up.

async function start() {
  fillStaticControls();
  wireSchool();
  wireRoster();
  wirePhotos();
  wireDevices();
  wireSexting();
  renderAll();

  const status = $('engine-status');
  try {
    // Imported at run time so a missing build gives a message, not a blank page.
    wasm = await import('../dist/web/safeguard_wasm.js');
    await wasm.default();
  } catch (e) {
    showEngineMissing(status, e);
    return;
  }

  const select = $('policy');
  const ids = wasm.presets();
  // No default: staff choose their school first. The national guidance
  // alone comes last, as the choice for a school without its own policy.
  const schools = ids.filter((id) => id !== 'baseline');
  if (ids.includes('baseline')) schools.push('baseline');
  select.replaceChildren(
    el('option', { value: '' }, 'Choose your school…'),
    ...schools.map((id) => el('option', { value: id }, SCHOOL_NAMES[id] ?? id)),
  );
  select.value = '';
  select.disabled = false;
  $('photo-files').disabled = false;
  status.textContent = `Rules engine ready (safeguard ${wasm.engineVersion()}). Choose your school to begin.`;
  status.classList.add('ready');
  $('footer-info').textContent = `safeguard ${wasm.engineVersion()} (WebAssembly).`;
  document.body.dataset.ready = 'true';
}

function wireSchool() {
  $('policy').addEventListener('change', () => {
    loadSchool();
    renderAll();
  });
  $('channel').addEventListener('change', renderAll);
}

function loadSchool() {
  const id = $('policy').value;
  if (engine && typeof engine.free === 'function') engine.free();
  engine = null;
  $('policy-info').textContent = '';
  if (!id || !wasm) {
    $('policy-info').textContent = 'No school chosen yet: nothing is decided until you choose one.';
    return;
  }
  try {
    engine = wasm.Engine.fromPreset(id);
    $('policy-info').textContent = `${SCHOOL_NAMES[id] ?? id}: policy version ${engine.policyVersion}.`;
    $('engine-status').textContent = `Rules engine ready (safeguard ${wasm.engineVersion()}).`;
  } catch (e) {
    console.warn(e);
    $('policy-info').textContent = 'This school\'s policy could not be loaded. Choose another, or reload the page.';
  }
}

function fillStaticControls() {
  for (const s of document.querySelectorAll('select.tri')) fillTriState(s);
  // The engine reads no clock: the page supplies today's date as a default.
  const today = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  $('sx-date').value = `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
  const facts = $('sx-facts');
  for (const [fact, label] of SEXTING_FACTS) {
    const id = `sx-fact-${fact}`;
    const select = el('select', { id, dataset: { testid: id, fact } });
    fillTriState(select);
    facts.append(el('div', { class: 'field' }, el('label', { for: id }, label), select));
  }
}

// ---------------------------------------------------------------------------
// Roster.

function wireRoster() {
  $('roster-file').addEventListener('change', async (event) => {
    const file = event.target.files && event.target.files[0];
    if (!file) return;
    let text;
    try {
      text = await file.text();
    } catch (e) {
      console.warn(e);
      rosterRefused(file.name, [{ line: 1, message: 'the file could not be read' }], []);
      return;
    }
    setRoster(text, file.name);
  });
  $('load-sample-roster').addEventListener('click', async () => {
    try {
      const response = await fetch('sample-roster.csv', { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      $('roster-file').value = '';
      setRoster(await response.text(), 'sample-roster.csv');
    } catch (e) {
      console.warn(e);
      $('roster-errors').replaceChildren(errorBox('The sample roster could not be loaded. Reload the page and try again.'));
    }
  });
}

/**
 * Loads a roster only when every row reads: a file with any error changes
 * nothing (the roster in use and every photo's ticks stay as they were), so
 * a pupil can never drop out of a photo, and its decision change, because
 * a line of a new file was wrong.
 */
function setRoster(text, name) {
  const { pupils, errors, warnings } = readRoster(text);
  if (errors.length > 0 || pupils.length === 0) {
    const all = errors.length > 0 ? errors : [{ line: 2, message: 'there are no pupils after the first row' }];
    rosterRefused(name, all, warnings);
    return;
  }
  roster = pupils;
  rosterName = name;
  const notes = $('roster-errors');
  notes.replaceChildren();
  if (warnings.length > 0) {
    notes.append(el('div', { class: 'note-box' }, el('ul', {}, warnings.map((w) => el('li', {}, `${capitalise(w)}.`)))));
  }
  $('roster-status').textContent = `${pupils.length} pupil${pupils.length === 1 ? '' : 's'} loaded from ${name}.`;
  renderRosterTable();
  for (const photo of photos) renderPupilChoices(photo);
  renderAll();
}

function rosterRefused(name, errors, warnings) {
  const kept = roster.length > 0
    ? `The roster in use is still ${rosterName} (${roster.length} pupil${roster.length === 1 ? '' : 's'}), and every photo keeps the pupils chosen for it.`
    : 'No roster is loaded yet.';
  $('roster-errors').replaceChildren(
    errorBox(
      el('p', {}, el('strong', {}, `${name} was not loaded: nothing in it was used.`), ` ${kept} Correct the file and load it again.`),
      el('ul', {}, errors.map((e) => el('li', { dataset: { line: e.line } }, `Line ${e.line}: ${e.message}.`))),
      warnings.length > 0 ? el('ul', {}, warnings.map((w) => el('li', {}, `${capitalise(w)}.`))) : null,
    ),
  );
  $('roster-status').textContent = `${name} was not loaded (${errors.length} problem${errors.length === 1 ? '' : 's'}, listed by line below).`;
}

function consentCell(value) {
  return el('td', { class: `consent consent-${value}` }, CONSENT_WORDS[value] ?? value);
}

function renderRosterTable() {
  const body = $('roster-table').querySelector('tbody');
  body.replaceChildren(
    ...roster.map((p) =>
      el(
        'tr',
        { dataset: { pupil: p.id } },
        el('td', {}, p.id),
        el('td', {}, `${p.first_name} ${p.last_name}`),
        el('td', {}, p.on_roll ? 'yes' : `no${p.left_on ? ` (left ${p.left_on})` : ''}`),
        el('td', {}, p.restriction ? RESTRICTION_NAMES[p.restriction] : 'not recorded'),
        PURPOSES.map((purpose) => consentCell(p.consent[purpose])),
      ),
    ),
  );
  $('roster-table-wrap').hidden = roster.length === 0;
}

function pupilOf(id) {
  return roster.find((x) => x.id === id) ?? null;
}

/** Who a pupil is, as a roster row says it: what a tick was made for. */
function identity(pupil) {
  return `${pupil.first_name}\u0000${pupil.last_name}`;
}

/**
 * The ids chosen for `photo` that the roster now loaded does not hold as
 * the pupil who was chosen: not on it at all, or another child under the
 * same id (two classes' rosters may both number from p01). A tick is never
 * carried over to a different child, so such a photo has no decision until
 * staff choose again.
 */
function unsettled(photo) {
  return [...photo.depicted].filter((id) => {
    const pupil = pupilOf(id);
    return !pupil || photo.chosenAs.get(id) !== identity(pupil);
  });
}

function pupilName(id) {
  const p = pupilOf(id);
  return p ? `${p.first_name} ${p.last_name} (${id})` : id;
}

// ---------------------------------------------------------------------------
// Photos.

function wirePhotos() {
  $('photo-files').addEventListener('change', async (event) => {
    const files = Array.from(event.target.files ?? []);
    for (const file of files) await addPhoto(file);
    // Clear the picker so choosing the same file again adds it again.
    event.target.value = '';
    renderAll();
  });
}

async function addPhoto(file) {
  const n = nextPhotoNumber++;
  const photo = {
    n,
    id: `photo-${n}`,
    file,
    bytes: null,
    info: null,
    /** Why the engine cannot read the file, in words; null when it can. */
    problem: null,
    depicted: new Set(),
    // For each chosen id, who it was chosen as (see `unsettled`).
    chosenAs: new Map(),
    nobody: false,
    compositionTouched: false,
    url: null,
    copy: null,
  };
  if (file.size > MAX_FILE_BYTES) {
    // Not even read: the engine would refuse it (too_large).
    photo.problem = FILE_PROBLEMS.too_large;
  } else {
    try {
      photo.bytes = new Uint8Array(await file.arrayBuffer());
      photo.info = wasm.inspectImage(photo.bytes);
    } catch (e) {
      photo.problem = problemText(e);
      photo.info = null;
    }
  }
  if (!photo.problem) photo.url = URL.createObjectURL(file);
  photos.push(photo);
  $('photo-list').append(photoCard(photo));
  renderPupilChoices(photo);
}

/** `Sports Day.JPG` → `.JPG` (empty when there is none). */
function extension(name) {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}

/** `Sports Day.JPG` → `Sports Day-no-location.JPG`. */
function strippedName(name) {
  const ext = extension(name);
  return `${name.slice(0, name.length - ext.length)}-no-location${ext}`;
}

function photoCard(photo) {
  const p = `photo-${photo.n}`;
  const card = el('article', { class: 'photo-card', id: p, dataset: { testid: 'photo-card', photo: photo.id }, 'aria-labelledby': `${p}-title` });
  const remove = el('button', { type: 'button', class: 'link-button', id: `${p}-remove`, dataset: { testid: `${p}-remove` } }, `Remove ${photo.file.name}`);
  remove.addEventListener('click', () => {
    const i = photos.indexOf(photo);
    if (i >= 0) photos.splice(i, 1);
    if (photo.url) URL.revokeObjectURL(photo.url);
    if (photo.copy) URL.revokeObjectURL(photo.copy.url);
    card.remove();
    renderAll();
    $('photos-summary').textContent = `${photo.file.name} removed. ${$('photos-summary').textContent}`;
    $('photo-files').focus();
  });
  const head = el(
    'div',
    { class: 'photo-head' },
    thumbnail(photo),
    el(
      'div',
      { class: 'photo-about' },
      el('h3', { id: `${p}-title` }, `Photo ${photo.n}: ${photo.file.name}`),
      el('p', { class: 'hint' }, `${formatBytes(photo.file.size)}${photo.info ? `, ${photo.info.format.toUpperCase()}` : ''}`),
      metadataNotice(photo),
      remove,
    ),
  );
  if (photo.problem) {
    // Nothing to describe: the engine cannot read the file.
    card.append(head, el('div', { class: 'result-region', id: `${p}-result`, 'aria-live': 'polite', dataset: { testid: `${p}-result` } }));
    return card;
  }

  const isVideo = photo.file.type.startsWith('video/');
  const field = (id, label, control, hint, wide = false) =>
    el('div', { class: wide ? 'field wide' : 'field' }, el('label', { for: id }, label), control, hint ? el('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
  const select = (id, options, value) => {
    const s = el('select', { id, dataset: { testid: id } }, options.map(([v, t]) => el('option', { value: v }, t)));
    s.value = value;
    return s;
  };
  card.append(
    head,
    el('fieldset', { class: 'pupils', id: `${p}-pupils`, dataset: { testid: `${p}-pupils` } }, el('legend', {}, 'Who is in it')),
    el(
      'details',
      { class: 'photo-details', id: `${p}-more` },
      el('summary', {}, 'Caption, tags and how it was taken'),
      el(
        'div',
        { class: 'grid three' },
        field(`${p}-caption`, 'Caption', el('input', { type: 'text', id: `${p}-caption`, dataset: { testid: `${p}-caption` }, autocomplete: 'off' }), null, true),
        field(`${p}-tags`, 'Tags', el('input', { type: 'text', id: `${p}-tags`, dataset: { testid: `${p}-tags` }, autocomplete: 'off', 'aria-describedby': `${p}-tags-hint` }), 'Separate tags with commas.'),
        field(`${p}-credits`, 'Credits (videos)', el('input', { type: 'text', id: `${p}-credits`, dataset: { testid: `${p}-credits` }, autocomplete: 'off' })),
        field(`${p}-kind`, 'Kind', select(`${p}-kind`, [['photo', 'Photo'], ['video', 'Video']], isVideo ? 'video' : 'photo')),
        field(`${p}-composition`, 'Group or one pupil', select(`${p}-composition`, [['group', 'A group'], ['individual', 'One pupil on their own']], 'group')),
        field(`${p}-device`, 'Taken on', select(`${p}-device`, [['school_device', 'A school device'], ['personal_device', 'A personal device']], 'school_device')),
        field(`${p}-dressed`, 'Suitably dressed?', select(`${p}-dressed`, [['', 'Not checked yet'], ['yes', 'Yes'], ['no', 'No']], '')),
      ),
    ),
    el('div', { class: 'result-region', id: `${p}-result`, 'aria-live': 'polite', dataset: { testid: `${p}-result` } }),
  );
  card.querySelector(`#${p}-composition`).addEventListener('change', () => {
    photo.compositionTouched = true;
  });
  // Any settled edit (not every keystroke) decides again.
  // Decided again as staff type, so no decision for an earlier caption or
  // tags (and its download) stays on screen while they do.
  card.querySelector(`#${p}-more`).addEventListener('change', renderAll);
  card.querySelector(`#${p}-more`).addEventListener('input', renderAll);
  return card;
}

/** The photo's preview; a placeholder when the browser cannot show it. */
function thumbnail(photo) {
  const placeholder = () => el('div', { class: 'thumb no-preview', dataset: { testid: `photo-${photo.n}-no-preview` } }, 'No preview');
  if (!photo.url) return placeholder();
  const img = el('img', { class: 'thumb', src: photo.url, alt: '' });
  img.addEventListener('error', () => img.replaceWith(placeholder()));
  return img;
}

function formatBytes(n) {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function degrees(value, positive, negative) {
  return `${Math.abs(value).toFixed(5)}° ${value < 0 ? negative : positive}`;
}

/** Whether this build of the engine can remove identifying metadata. */
function canStripIdentifying() {
  return Boolean(wasm) && typeof wasm.stripIdentifying === 'function';
}

/** What the file itself gives away (the engine's reading of it). */
function metadataNotice(photo) {
  const p = `photo-${photo.n}`;
  // A file the engine cannot read: its card's result says so, once.
  if (photo.problem) return null;
  const box = el('div', { class: 'metadata', id: `${p}-metadata`, dataset: { testid: `${p}-metadata` } });
  const info = photo.info;
  if (info.has_location) {
    box.classList.add('warn');
    const fields = info.location_fields.map((f) => LOCATION_FIELD_NAMES[f] ?? words(f));
    let where = '';
    if (info.location) {
      where = ` It shows where the photo was taken: ${degrees(info.location.latitude, 'N', 'S')}, ${degrees(info.location.longitude, 'E', 'W')}.`;
    }
    box.append(el('p', { dataset: { testid: `${p}-location` } }, el('strong', {}, 'Location data found: '), `${listText(fields)}.${where}`));
    box.append(el('p', { class: 'hint' }, 'The copy to publish, offered with the decision, has the location removed.'));
  } else {
    box.append(el('p', { dataset: { testid: `${p}-location` } }, 'No location data found in this file.'));
  }
  if (info.unreadable_metadata) {
    box.classList.add('warn');
    box.append(el('p', { class: 'hint', dataset: { testid: `${p}-unreadable` } }, 'Some of the information stored in this file could not be read, so it may hide a location. The copy to publish, offered with the decision, has it removed.'));
  }
  if (info.identifying && info.identifying.length > 0) {
    const found = info.identifying.map((f) => IDENTIFYING_NAMES[f.field] ?? words(f.field));
    const said = `The file also records ${listText(found)} (not shown here).`;
    if (canStripIdentifying()) {
      const id = `${p}-strip-identifying`;
      const box2 = el('input', { type: 'checkbox', id, checked: true, dataset: { testid: id } });
      box2.addEventListener('change', renderAll);
      box.append(el('p', { class: 'hint' }, said), el('div', { class: 'check' }, box2, el('label', { for: id }, 'Remove these from the copy to publish too')));
    } else {
      box.append(el('p', { class: 'hint', dataset: { testid: `${p}-identifying` } }, `${said} This page cannot remove them: remove them with your photo software before publishing if they should not go out.`));
    }
  }
  return box;
}

/** The compact "who is in it": the chosen pupils, a collapsed picker with a
 * search box, and the explicit "no pupil can be identified" choice. */
function renderPupilChoices(photo) {
  const p = `photo-${photo.n}`;
  const fieldset = $(`${p}-pupils`);
  if (!fieldset) return;
  const legend = el('legend', {}, 'Who is in it');
  const nobodyId = `${p}-nobody`;
  const nobody = el('input', { type: 'checkbox', id: nobodyId, dataset: { testid: nobodyId } });
  nobody.checked = photo.nobody;
  nobody.addEventListener('change', () => {
    photo.nobody = nobody.checked;
    renderAll();
  });
  const nobodyRow = el('div', { class: 'check nobody' }, nobody, el('label', { for: nobodyId }, 'No pupil can be identified in this photo'));
  const chosen = el('p', { class: 'chosen', id: `${p}-chosen`, dataset: { testid: `${p}-chosen` } });
  const showChosen = () => {
    const names = [...photo.depicted].map((id) => pupilName(id));
    chosen.textContent = names.length ? `Chosen: ${names.join(', ')}.` : 'No pupil chosen yet.';
  };
  showChosen();
  if (roster.length === 0) {
    fieldset.replaceChildren(legend, chosen, el('p', { class: 'hint' }, 'Load the class roster (step 2) to choose pupils.'), nobodyRow);
    return;
  }
  const summaryText = () => `Choose pupils (${photo.depicted.size} of ${roster.length} chosen)`;
  const summary = el('summary', { id: `${p}-picker-summary` }, summaryText());
  const findId = `${p}-find`;
  const find = el('input', { type: 'search', id: findId, autocomplete: 'off', dataset: { testid: findId } });
  const rows = roster.map((pupil) => {
    const id = `${p}-pupil-${pupil.id}`;
    const box = el('input', { type: 'checkbox', id, value: pupil.id, dataset: { testid: id } });
    box.checked = photo.depicted.has(pupil.id);
    box.addEventListener('change', () => {
      if (box.checked) {
        photo.depicted.add(pupil.id);
        photo.chosenAs.set(pupil.id, identity(pupil));
      } else {
        photo.depicted.delete(pupil.id);
        photo.chosenAs.delete(pupil.id);
      }
      // One pupil alone is an individual photo unless the user said otherwise.
      if (!photo.compositionTouched) {
        $(`${p}-composition`).value = photo.depicted.size === 1 ? 'individual' : 'group';
      }
      summary.textContent = summaryText();
      showChosen();
      renderAll();
    });
    const row = el('div', { class: 'check', dataset: { search: `${pupil.first_name} ${pupil.last_name} ${pupil.id}`.toLowerCase() } }, box, el('label', { for: id }, `${pupil.first_name} ${pupil.last_name}`, el('span', { class: 'muted' }, ` (${pupil.id})`)));
    return row;
  });
  find.addEventListener('input', () => {
    const q = find.value.trim().toLowerCase();
    for (const row of rows) row.hidden = q !== '' && !row.dataset.search.includes(q);
  });
  const picker = el(
    'details',
    { class: 'picker', id: `${p}-picker`, dataset: { testid: `${p}-picker` } },
    summary,
    el('div', { class: 'field' }, el('label', { for: findId }, 'Find a pupil by name or id'), find),
    el('div', { class: 'checks' }, rows),
  );
  // Ticks of pupils not on this roster, or whose id now names another
  // child, are kept (a later roster may have them) and named, so the photo
  // gets no decision until they are resolved.
  const missing = unsettled(photo);
  const missingNote = missing.length
    ? el('p', { class: 'note-box', dataset: { testid: `${p}-unsettled` } }, `Chosen but not on the roster now loaded as the pupil chosen: ${missing.join(', ')}. Load the roster that has them, or `,
        ...missing.map((id, i) => {
          const b = el('button', { type: 'button', class: 'link-button' }, `unchoose ${id}`);
          b.addEventListener('click', () => {
            photo.depicted.delete(id);
            photo.chosenAs.delete(id);
            renderPupilChoices(photo);
            renderAll();
          });
          return i === 0 ? b : [', ', b];
        }), '.')
    : null;
  fieldset.replaceChildren(...[legend, chosen, missingNote, picker, nobodyRow].filter(Boolean));
}

/** The media object of the vocabulary for one photo card. */
function mediaOf(photo) {
  const p = `photo-${photo.n}`;
  const value = (suffix) => $(`${p}-${suffix}`).value;
  const media = {
    kind: value('kind'),
    composition: value('composition'),
    filename: photo.file.name,
    captured_on: value('device'),
    // The engine's own reading of the file (a photo it cannot read is never sent).
    has_geodata: photo.info.has_location,
  };
  const caption = value('caption').trim();
  if (caption) media.caption = caption;
  const tags = value('tags').split(',').map((t) => t.trim()).filter(Boolean);
  if (tags.length) media.tags = tags;
  const credits = value('credits').trim();
  if (credits) media.credits = credits;
  const dressed = value('dressed');
  if (dressed) media.suitably_dressed = dressed === 'yes';
  return media;
}

/**
 * What a photo still needs before it can be decided, as
 * `{ short, text }` for the summary table and the card; null when ready.
 */
function whatIsNeeded(photo) {
  if (photo.problem) return { short: 'Cannot check this file', text: photo.problem };
  if (!engine) return { short: 'Choose your school (step 1)', text: 'Choose your school in step 1: there is no decision until you do.' };
  if (roster.length === 0) {
    // Without the class list no name in the caption, tags or file name can
    // be recognised, so not even "no pupil can be identified" is decided.
    return { short: 'Load the class roster (step 2)', text: 'Load the class roster in step 2: names in the caption, tags and file name are looked for in it, so there is no decision until you do.' };
  }
  const missing = unsettled(photo);
  if (missing.length) {
    return { short: 'A chosen pupil is not on the roster', text: `Pupil ${missing.join(', ')} is chosen for this photo but the roster now loaded does not have them as the pupil chosen (not there, or another child under that id). There is no decision until the roster has them or they are unchosen.` };
  }
  if (photo.nobody && photo.depicted.size > 0) {
    return { short: 'Say who is in it', text: 'Pupils are chosen and "No pupil can be identified in this photo" is ticked too. Untick one of them: there is no decision until then.' };
  }
  if (!photo.nobody && photo.depicted.size === 0) {
    return {
      short: 'Say who is in it',
      text: 'Who is in this photo? Choose each pupil who can be identified in it, or tick "No pupil can be identified in this photo". There is no decision until you do.',
    };
  }
  return null;
}

/** Decides every ready photo (one gallery request) and redraws the cards,
 * the summary table and the status line. */
function renderAll() {
  const ready = photos.filter((photo) => !whatIsNeeded(photo));
  const results = new Map();
  let failed = false;
  if (engine && ready.length > 0) {
    const request = galleryRequest(ready);
    try {
      const response = engine.evaluate(request);
      response.gallery.forEach((item, i) => results.set(ready[i], { item, index: i }));
    } catch (e) {
      console.warn(e);
      failed = true;
    }
    // The engine's own words for each photo (see explainPhoto). A photo is
    // shown decided only with its words: if they cannot be had, no photo is.
    let galleryWords = null;
    try {
      for (const [photo, r] of results) {
        r.words = explainPhoto(photo, r.item, () => {
          galleryWords ??= engine.explain(request);
          return galleryWords;
        }, r.index);
      }
    } catch (e) {
      console.warn(e);
      results.clear();
      failed = true;
    }
  }
  for (const photo of photos) {
    const region = $(`photo-${photo.n}-result`);
    if (!region) continue;
    const needed = whatIsNeeded(photo);
    const r = results.get(photo);
    if (needed && photo.problem) {
      region.replaceChildren(el('div', { class: 'result outcome-unreadable', dataset: { outcome: 'unreadable' } },
        el('h4', { class: 'outcome-line' }, el('span', { class: 'outcome-label', id: `photo-${photo.n}-outcome`, dataset: { testid: `photo-${photo.n}-outcome` } }, 'Cannot check this file')),
        el('p', {}, photo.problem, ' No decision is given for it, and there is nothing to publish.')));
    } else if (needed) {
      region.replaceChildren(el('div', { class: 'needed', dataset: { testid: `photo-${photo.n}-needed` } }, el('p', {}, el('strong', {}, 'No decision yet. '), needed.text)));
    } else if (!r) {
      region.replaceChildren(errorBox(failed ? 'The engine could not check the photos. Reload the page and try again.' : 'No decision yet.'));
    } else {
      region.replaceChildren(photoResult(photo, r.item, r.words));
    }
  }
  renderSummary(results, failed);
}

function galleryRequest(ready) {
  // One gallery request: the roster once, each photo with the ids of the
  // pupils in it, so names in captions are looked for across the class.
  return {
    schema_version: 1,
    domain: 'images',
    channel: $('channel').value,
    roster,
    images: ready.map((photo) => ({ id: photo.id, media: mediaOf(photo), pupils: [...photo.depicted] })),
  };
}

const sameJson = (a, b) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/**
 * The engine's explanation of one photo's decision. The photo alone, as a
 * single-image request with the pupils in it, is explained in full
 * (headline, changes, who is ruled out, questions, steps, rules) when its
 * decision is the gallery's, which it is unless a caption or tag names a
 * pupil of the class who is not in the photo (the gallery looks for every
 * roster name). Otherwise the gallery's own sentence for the photo is the
 * explanation, with the single request's questions (which names do not
 * change) and the photo's rules.
 */
function explainPhoto(photo, item, galleryExplanation, index) {
  const single = {
    schema_version: 1,
    domain: 'images',
    channel: $('channel').value,
    media: mediaOf(photo),
    pupils: [...photo.depicted].map(pupilOf),
  };
  let x = null;
  let d = null;
  try {
    d = engine.evaluate(single);
    x = engine.explain(single);
  } catch (e) {
    console.warn(e);
  }
  const same =
    d && d.outcome === item.outcome && sameJson(d.changes, item.changes) && sameJson(d.blocked, item.blocked) &&
    sameJson(d.unknowns, item.unknowns) && sameJson(d.reasons.map((r) => r.rule), item.reasons.map((r) => r.rule));
  if (same) return { ...x, full: true };
  const g = galleryExplanation();
  const ruleIds = new Set(item.reasons.map((r) => r.rule));
  return {
    full: false,
    outcome: item.outcome,
    headline: g.gallery[index],
    label: x && d && d.outcome === item.outcome ? shortLabel(x.headline) : null,
    questions: x && d && sameJson(d.unknowns, item.unknowns) ? x.questions : [],
    changes: [],
    ruled_out: [],
    steps: x && d && sameJson(d.actions, item.actions) ? x.steps : [],
    rules: g.rules.filter((r) => ruleIds.has(r.rule)),
    decided_under: g.decided_under,
    digest: g.digest,
  };
}

/** Who a pupil the engine names by id is, from the roster: the engine's
 * sentences say why they are ruled out (refused, withdrawn or never asked,
 * a restriction, left the school); the page adds only their name. */
function onRoster(id) {
  const pupil = id ? pupilOf(id) : null;
  return pupil ? `${id} is ${pupil.first_name} ${pupil.last_name} on the roster.` : null;
}

function photoResult(photo, item, x) {
  const p = `photo-${photo.n}`;
  const label = x.full ? shortLabel(x.headline) : x.label ?? shortLabel(x.headline.replace(/^[^:]*:\s*/, ''));
  photo.label = label;
  photo.changeCount = x.full ? x.changes.length : null;
  const ruledOut = x.full
    ? x.ruled_out.map((sentence, i) => {
        const b = item.blocked[i];
        const note = onRoster(b?.pupil);
        return el('li', { dataset: { reason: b?.reason ?? '', pupil: b?.pupil ?? '' } }, sentence, note ? el('span', { class: 'cite', dataset: { testid: `${p}-roster-record` } }, note) : null);
      })
    : item.blocked.map((b) => onRoster(b.pupil)).filter(Boolean).map((note) => el('li', {}, note));
  // The pupils to leave out, by id: a change sentence naming one (the
  // engine quotes the id) gets their name from the roster beside it.
  const excluded = item.changes.filter((c) => c.startsWith('exclude_pupil:')).map((c) => c.slice('exclude_pupil:'.length));
  return explanationView(x, p, {
    label,
    changes: x.full
      ? x.changes.map((c) => {
          const id = excluded.find((e) => c.includes(`"${e}"`));
          const who = onRoster(id);
          return el('li', { dataset: { pupil: id ?? '' } }, c, who ? el('span', { class: 'cite' }, who) : null);
        })
      : [],
    ruledOut,
    ruledOutTitle: x.full ? 'Who or what cannot be published' : 'On the roster',
    afterChanges: item.outcome === 'block' ? null : copyToPublish(photo, item.changes.includes('rename_file')),
  });
}

/** The name of the copy to publish when the decision asks for a rename. */
function renamedName(photo) {
  return `photo-${photo.n}${extension(photo.file.name).toLowerCase()}`;
}

/**
 * The copy to publish, offered with a decision that allows publishing:
 * the location removed (always, when the file has one or has metadata the
 * engine cannot read, which might hold one), identifying metadata removed
 * when chosen and the engine can, and named `photo-N.ext` when the decision
 * asks for the file to be renamed. Each copy made is read again by the
 * engine and refused if it still carries a location, or the identifying
 * metadata chosen for removal. What went besides the location is said: an
 * unreadable block, and details stored in a block the location could not
 * be cleaned out of (a compressed PNG text chunk goes whole).
 */
function copyToPublish(photo, renamed) {
  const p = `photo-${photo.n}`;
  const identifying = canStripIdentifying() && Boolean($(`${p}-strip-identifying`)?.checked);
  const key = `${renamed}|${identifying}`;
  if (!photo.copy || photo.copy.key !== key) {
    if (photo.copy) URL.revokeObjectURL(photo.copy.url);
    photo.copy = null;
    try {
      let bytes = photo.bytes;
      const done = [];
      const stripped = photo.info.has_location || Boolean(photo.info.unreadable_metadata);
      if (stripped) {
        bytes = wasm.stripLocation(bytes);
        if (photo.info.has_location) done.push('location removed');
        if (photo.info.unreadable_metadata) done.push('metadata that could not be read removed, as it might hold a location');
        if (!identifying) {
          const kept = new Set((wasm.inspectImage(bytes).identifying ?? []).map((i) => i.field));
          if ((photo.info.identifying ?? []).some((i) => !kept.has(i.field))) {
            done.push('other details stored with the location removed with it');
          }
        }
      }
      if (identifying) {
        bytes = wasm.stripIdentifying(bytes);
        done.push("photographer, owner, copyright, serial numbers and dates removed");
      }
      const left = wasm.inspectImage(bytes);
      if (left.has_location) throw new Error('the copy still carries location data');
      if (identifying && left.identifying?.length) throw new Error('the copy still carries identifying metadata');
      const name = renamed ? renamedName(photo) : stripped ? strippedName(photo.file.name) : photo.file.name;
      if (renamed) done.push('named without pupils\' names');
      const url = URL.createObjectURL(new Blob([bytes], { type: photo.file.type || 'application/octet-stream' }));
      photo.copy = { key, url, name, done };
    } catch (e) {
      console.warn(e);
      return errorBox('A copy to publish could not be made from this file, so do not publish it from this page.');
    }
  }
  const { url, name, done } = photo.copy;
  return el(
    'div',
    { class: 'result-part copy', dataset: { testid: `${p}-copy` } },
    el('h5', {}, 'The copy to publish'),
    el('p', {},
      el('a', { class: 'download', href: url, download: name, id: `${p}-download`, dataset: { testid: `${p}-download` } }, `Download ${name}`),
      ` ${done.length ? `(${listText(done)}; the picture itself is unchanged)` : '(the file as it is)'}. Publish this copy, with the other changes listed made.`),
  );
}

/** The summary table of every photo and its decision, and the status line. */
function renderSummary(results, failed) {
  const table = $('summary-table');
  const body = table.querySelector('tbody');
  body.replaceChildren(
    ...photos.map((photo) => {
      const needed = whatIsNeeded(photo);
      const r = results.get(photo);
      let decision;
      let next;
      let outcome;
      if (needed) {
        decision = photo.problem ? 'Cannot check this file' : 'No decision yet';
        next = photo.problem ? 'Nothing to publish' : needed.short;
        outcome = photo.problem ? 'unreadable' : 'none';
      } else if (r) {
        decision = photo.label ?? '';
        outcome = r.item.outcome;
        // The count of the engine's change sentences (unknown when the
        // card shows the gallery's one sentence).
        const n = photo.changeCount;
        next = outcome === 'block' ? 'Nothing to publish' : outcome === 'publish' ? 'Nothing' : n ? `${n} change${n === 1 ? '' : 's'} before publishing` : 'The changes on its card';
      } else {
        decision = 'No decision yet';
        next = 'Reload the page';
        outcome = 'none';
      }
      return el(
        'tr',
        { dataset: { testid: `summary-photo-${photo.n}`, outcome } },
        el('td', {}, el('a', { href: `#photo-${photo.n}` }, `Photo ${photo.n}: ${photo.file.name}`)),
        el('td', { class: `summary-decision outcome-${outcome}` }, decision),
        el('td', {}, next),
      );
    }),
  );
  $('summary-wrap').hidden = photos.length === 0;
  const status = $('photos-summary');
  if (photos.length === 0) {
    status.textContent = '';
    return;
  }
  const decided = [...results.keys()].length;
  const where = CHANNEL_NAMES[$('channel').value] ?? words($('channel').value);
  const school = engine ? SCHOOL_NAMES[engine.policyId] ?? engine.policyId : null;
  status.textContent = failed
    ? 'The engine could not check the photos. Reload the page and try again.'
    : `${decided} of ${photos.length} photo${photos.length === 1 ? '' : 's'} decided${school ? ` for ${where} under ${school}` : ''}.`;
}

// ---------------------------------------------------------------------------
// The engine's explanation, shown as it is (images, devices, sexting).

/** A titled list of an explanation; `level` is its heading's tag. */
function list(level, title, testid, items, ordered = false) {
  if (!items || items.length === 0) return null;
  return el('div', { class: 'result-part', dataset: { testid } }, el(level, {}, title), el(ordered ? 'ol' : 'ul', {}, items));
}

function textItems(sentences) {
  return (sentences ?? []).filter(isPlainWords).map((s) => el('li', {}, s));
}

function stepItem(s) {
  const bits = [el('strong', {}, s.title)];
  const when = s.due ? `${s.when} (by ${s.due})` : s.when;
  bits.push(s.action === 'notify' ? ` (${when}).` : ` (${s.who_text}, ${when}).`);
  if (s.detail) bits.push(` ${s.detail}`);
  if (s.contact) bits.push(el('span', { class: 'cite' }, `Contact: ${s.contact}`));
  if (s.required_by) bits.push(el('span', { class: 'cite' }, `Required by: ${s.required_by}`));
  return el('li', { dataset: { action: s.action, who: s.who, deadline: s.deadline } }, bits);
}

/**
 * An explanation (`engine.explain`) as HTML, in the order a person acts:
 * the headline, any caution, what holds, what is unknown, the conditions
 * or changes, who is ruled out, the steps, then the rules by document and
 * section and, folded away for audit, the policy's version and digest.
 * `extra` holds the page's own parts for a photo (see photoResult).
 */
function explanationView(x, prefix, extra = {}) {
  // A photo's decision sits under its card's h3; a form's under its h2.
  const level = extra.label ? 'h4' : 'h3';
  const sub = extra.label ? 'h5' : 'h4';
  const rules = (x.rules ?? []).map((r) =>
    el('li', { dataset: { rule: r.rule } }, r.summary, el('span', { class: 'cite' }, `${r.document}, section “${r.section}”`)),
  );
  return el(
    'div',
    { class: `result outcome-${x.outcome}`, dataset: { outcome: x.outcome } },
    el(level, { class: 'outcome-line' },
      extra.label ? el('span', { class: 'outcome-label', id: `${prefix}-outcome`, dataset: { testid: `${prefix}-outcome` } }, extra.label) : null,
      el('span', { class: extra.label ? 'headline small' : 'headline', id: `${prefix}-headline`, dataset: { testid: `${prefix}-headline` } }, x.headline)),
    x.caution ? el('p', { class: 'caution', dataset: { testid: `${prefix}-caution` } }, x.caution) : null,
    list(sub, 'Referral criteria that hold', `${prefix}-criteria`, textItems(x.criteria)),
    list(sub, 'Still unknown (each could change the answer)', `${prefix}-unknowns`, (x.questions ?? []).map((q) => el('li', { dataset: { unknown: q.fact } }, q.question))),
    list(sub, 'Conditions', `${prefix}-conditions`, textItems(x.conditions)),
    list(sub, 'If the rule is broken', `${prefix}-breach`, textItems(x.if_broken)),
    x.no_rule ? el('p', {}, x.no_rule) : null,
    list(sub, 'Changes needed before publishing', `${prefix}-changes`, extra.changes ?? textItems(x.changes)),
    extra.afterChanges ?? null,
    list(sub, extra.ruledOutTitle ?? 'Who or what cannot be published', `${prefix}-blocked`, extra.ruledOut ?? textItems(x.ruled_out)),
    list(sub, 'What to do now', `${prefix}-actions`, (x.steps ?? []).map(stepItem), true),
    list(sub, 'Initial review: consider', `${prefix}-checklist`, textItems(x.checklist)),
    list(sub, 'Why: the rules applied', `${prefix}-reasons`, rules),
    el('details', { class: 'about', dataset: { testid: `${prefix}-about` } },
      el('summary', {}, 'About this decision'),
      el('p', {}, x.decided_under ?? ''),
      el('p', { class: 'digest' }, `Policy digest (for your records): ${x.digest ?? ''}`)),
  );
}

/** A request the engine refused, in words: its own explanation of the
 * refusal when it gives one (its headline, then its text, which names the
 * field in words and what is expected), else a plain sentence; never a
 * JSON path or an error code. */
function refusedView(x, fallback, prefix) {
  const parts = [];
  const text = x && typeof x.text === 'string' ? x.text.trim() : '';
  // The text repeats the headline first; it is shown once, in bold.
  const rest = x && text.startsWith(x.headline) ? text.slice(x.headline.length).trim() : text;
  if (x && x.kind === 'refused' && isPlainWords(x.headline) && isPlainWords(rest)) {
    parts.push(el('p', {}, el('strong', {}, x.headline)));
    parts.push(el('p', { class: 'pre', dataset: { testid: `${prefix}-refused-text` } }, rest));
  } else {
    parts.push(el('p', {}, fallback));
  }
  const box = errorBox(...parts);
  box.dataset.testid = `${prefix}-refused`;
  return box;
}

/** The engine's explanation of a refusal carried by a thrown error, if any. */
function refusalOf(e) {
  if (e && e.explanation) return e.explanation;
  try {
    const j = JSON.parse(e && e.json);
    return j.explanation ?? j.error?.explanation ?? null;
  } catch {
    return null;
  }
}

/** Asks the engine to explain `request`; the view of the answer or of the
 * refusal. */
function decide(request, prefix, fallback) {
  if (!engine) return errorBox('Choose your school in step 1 first: nothing is decided until you do.');
  let x;
  try {
    x = engine.explain(request);
  } catch (e) {
    console.warn(e);
    return refusedView(refusalOf(e), fallback, prefix);
  }
  if (x.kind === 'refused') return refusedView(x, fallback, prefix);
  return explanationView(x, prefix);
}

// ---------------------------------------------------------------------------
// Devices.

function wireDevices() {
  $('device-form').addEventListener('submit', (event) => {
    event.preventDefault();
    decideDevice();
  });
  clearOnEdit('device-form', 'device-result');
}

/** An answer on screen is for the answers it was given: once any of them
 * changes (or the school does), it is taken away and the region says to
 * decide again, so nobody acts on an answer to other facts. */
function clearOnEdit(formId, resultId) {
  const stale = () => {
    const region = $(resultId);
    if (!region.hasChildNodes() || region.dataset.stale === 'true') return;
    region.dataset.stale = 'true';
    region.replaceChildren(el('p', { class: 'hint', dataset: { testid: `${resultId}-stale` } },
      'The answers have changed. Press Decide to see the answer for them.'));
  };
  for (const type of ['input', 'change', 'click']) {
    $(formId).addEventListener(type, (event) => {
      if (type === 'click' && !(event.target instanceof HTMLButtonElement && event.target.type === 'button')) return;
      stale();
    });
  }
  $('policy').addEventListener('change', stale);
}

/** Shows `node` as the current answer in the region `resultId`. */
function showResult(resultId, node) {
  const region = $(resultId);
  delete region.dataset.stale;
  region.replaceChildren(node);
}

function triBool(id) {
  const v = $(id).value;
  return v === '' ? undefined : v === 'yes';
}

function decideDevice() {
  const actor = { role: $('dev-role').value };
  if ($('dev-year').value !== '') actor.year_group = Number($('dev-year').value);
  const works = triBool('dev-works-with-children');
  if (works !== undefined) actor.works_directly_with_children = works;
  const context = { location: $('dev-location').value };
  if ($('dev-period').value) context.period = $('dev-period').value;
  if ($('dev-at').value) context.at = $('dev-at').value.slice(0, 16);
  const bools = [
    ['children_present', 'dev-children-present'],
    ['emergency', 'dev-emergency'],
    ['parental_request', 'dev-parental-request'],
    ['subjects_consent', 'dev-subjects-consent'],
    ['school_device_available', 'dev-school-device'],
  ];
  for (const [name, id] of bools) {
    const v = triBool(id);
    if (v !== undefined) context[name] = v;
  }
  if ($('dev-permission').value) context.permission_from = $('dev-permission').value;
  if ($('dev-exception').value) context.exception = $('dev-exception').value;
  const request = {
    schema_version: 1,
    domain: 'devices',
    actor,
    device: { kind: $('dev-kind').value, owner: $('dev-owner').value },
    action: $('dev-action').value,
    context,
  };
  showResult('device-result', decide(request, 'device', 'The engine could not decide with what was entered. Check each answer (the date and time especially) and try again.'));
}

// ---------------------------------------------------------------------------
// Sexting (sharing nudes and semi-nudes): the referral decision.

let personCount = 0;

function wireSexting() {
  $('sx-add-person').addEventListener('click', () => {
    const row = addPerson('', '', 'sender');
    row.querySelector('input').focus();
  });
  addPerson('a', '14', 'subject');
  addPerson('b', '15', 'recipient');
  $('sexting-form').addEventListener('submit', (event) => {
    event.preventDefault();
    decideSexting();
  });
  clearOnEdit('sexting-form', 'sexting-result');
}

function addPerson(id, age, role) {
  const n = ++personCount;
  const p = `sx-person-${n}`;
  const roleSelect = el('select', { id: `${p}-role`, dataset: { testid: `${p}-role` } }, SEXTING_ROLES.map(([v, t]) => el('option', { value: v }, t)));
  roleSelect.value = role;
  // Each control has its own label; on a narrow screen the labels show and
  // each young person is a block instead of a table row.
  const cell = (label, forId, control) => el('td', {}, el('label', { for: forId, class: 'visually-hidden cell-label' }, `${label} of young person ${n}`), control);
  const row = el(
    'tr',
    { dataset: { person: String(n) } },
    cell('Id', `${p}-id`, el('input', { type: 'text', id: `${p}-id`, value: id, size: 6, dataset: { testid: `${p}-id` } })),
    cell('Age', `${p}-age`, el('input', { type: 'number', id: `${p}-age`, value: age, min: 0, max: 25, dataset: { testid: `${p}-age` } })),
    cell('Date of birth', `${p}-dob`, el('input', { type: 'date', id: `${p}-dob`, dataset: { testid: `${p}-dob` } })),
    cell('Role', `${p}-role`, roleSelect),
    cell('Additional needs', `${p}-needs`, el('input', { type: 'checkbox', id: `${p}-needs`, dataset: { testid: `${p}-needs` } })),
    el('td', {}, el('button', { type: 'button', class: 'link-button', id: `${p}-remove` }, `Remove young person ${n}`)),
  );
  row.querySelector(`#${p}-remove`).addEventListener('click', () => {
    row.remove();
    $('sx-add-person').focus();
  });
  $('sx-people').querySelector('tbody').append(row);
  return row;
}

function decideSexting() {
  const young_people = [...$('sx-people').querySelectorAll('tbody tr')].map((row) => {
    const n = row.dataset.person;
    const v = (s) => $(`sx-person-${n}-${s}`);
    const person = { id: v('id').value.trim(), role: v('role').value };
    if (v('age').value !== '') person.age = Number(v('age').value);
    if (v('dob').value) person.date_of_birth = v('dob').value;
    if (v('needs').checked) person.additional_needs = true;
    return person;
  });
  const facts = {};
  for (const [fact] of SEXTING_FACTS) {
    const value = $(`sx-fact-${fact}`).value;
    if (value) facts[fact] = value; // left out = unknown
  }
  const request = { schema_version: 1, domain: 'sexting', incident_date: $('sx-date').value, young_people, facts };
  showResult('sexting-result',
    decide(
      request,
      'sexting',
      'The engine could not decide with what was entered. Check the date of the incident, and that each young person has an id and an age or a date of birth, then try again.',
    ),
  );
}

start();
