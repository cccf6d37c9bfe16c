// The photo consent checker: a static page over the safeguard WebAssembly
// package (bindings/js/dist/web). No framework and no bundler: the browser
// loads this module, which loads the engine.
//
// Everything the page says about a decision comes from the engine's
// response; the page only puts tokens into words. The request shapes are
// those of shared/spec/vocabulary.md (images, devices, sexting).

import { readRoster, PURPOSES } from './roster.js';

// ---------------------------------------------------------------------------
// Words for the engine's tokens. An unknown token falls back to itself with
// underscores as spaces, so a token added to the engine later still shows.

const POLICY_NAMES = {
  baseline: 'National guidance for England (baseline)',
  'squirrels-heath-junior': 'Squirrels Heath Junior School',
  'west-hill-primary': 'West Hill Primary School',
  'lansbury-lawrence-primary': 'Lansbury Lawrence Primary School',
  'stanford-junior-infant': 'Stanford Junior and Infant School',
  'hilldene-primary': 'Hilldene Primary School',
};

const PURPOSE_NAMES = {
  display: 'displays in school',
  website: 'the website',
  prospectus: 'the prospectus',
  social_media: 'social media',
  press: 'the press',
  name_with_image: 'being named with a photo',
  individual_use: 'photos on their own',
};

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

const IMAGE_OUTCOMES = {
  publish: 'Publish',
  publish_with_changes: 'Publish with changes',
  block: 'Do not publish',
};

const DEVICE_OUTCOMES = {
  allow: 'Allowed',
  allow_with_conditions: 'Allowed, on conditions',
  deny: 'Not permitted',
};

const SEXTING_OUTCOMES = {
  child_sexual_abuse: 'Child sexual abuse: refer immediately',
  refer_immediately: 'Refer immediately',
  need_more_information: 'More information needed before deciding',
  dsl_may_manage_in_school: 'The DSL may manage this in school',
};

/** Image changes, as instructions. `exclude_pupil:<id>` is handled apart. */
const CHANGE_TEXT = {
  strip_geodata: 'Remove the location data from the file (download the copy without location below).',
  rename_file: "Rename the file and take pupils' names out of the tags.",
  caption_first_names_only: 'Use first names only in the caption: no surnames.',
  remove_names: "Take pupils' names out of the caption and the video credits.",
  remove_full_names_from_credits: 'Take full names out of the credits: first names at most.',
  confirm_suitably_dressed: 'Check that everyone in the photo is suitably dressed, then record it above.',
};

/** Why an image (or a pupil in it) is ruled out; `pupil` is a name or null. */
function blockedText(token, pupil, value) {
  const who = pupil ?? 'The photo';
  if (token.startsWith('no_consent:')) {
    const purpose = token.slice('no_consent:'.length);
    const recorded = value ? ` (recorded: ${CONSENT_WORDS[value] ?? value})` : '';
    return `${who}: no consent for ${PURPOSE_NAMES[purpose] ?? words(purpose)}${recorded}.`;
  }
  switch (token) {
    case 'restricted':
      return `${who}: must not be shown (restriction: ${RESTRICTION_NAMES[value] ?? value ?? 'recorded'}).`;
    case 'restriction_unknown':
      return `${who}: cannot be published: the roster does not record whether they may be shown (looked after, court order, do not photograph). Record a restriction, or none, first.`;
    case 'left_school':
      return `${who}: has left the school.`;
    case 'individual_permission_needed':
      return `${who}: a photo of them on their own needs individual permission, which is not recorded.`;
    case 'personal_device':
      return 'Taken on a personal device: staff use school equipment only.';
    case 'not_suitably_dressed':
      return 'Someone in the photo is not suitably dressed.';
    case 'not_covered':
      return 'The policy has no rule for this channel, so nothing goes out on it until the headteacher decides.';
    default:
      return `${who}: ${words(token)}.`;
  }
}

const CONDITION_TEXT = {
  switched_off: 'Switched off.',
  switched_off_out_of_sight: 'Switched off and out of sight.',
  silent_mode: 'On silent.',
  bluetooth_off: 'Bluetooth off.',
  hand_in_at_gate: 'Handed in at the gate.',
  hand_in_to_office: 'Handed in to the school office on arrival.',
  staff_areas_only: 'Used in staff-only areas.',
  under_staff_supervision: 'Used under staff supervision.',
  in_presence_of_staff: 'Used with a member of staff present.',
  withhold_caller_id: "Caller id withheld (the staff member's own number hidden).",
  notify_headteacher: 'The headteacher is told.',
  headteacher_permission: "With the headteacher's permission.",
  slt_approval: "With the senior leadership team's approval.",
  register_device: 'The device is registered with the school.',
  personal_use_only: 'For personal use only.',
  delete_before_end_of_day: 'Anything recorded is deleted before the end of the day.',
};

const BREACH_TEXT = {
  confiscate_to_office: 'The device is confiscated and kept in the office.',
  release_to_parent: 'The device is returned to a parent or carer only.',
  report_to_exam_body: 'It is reported to the exam body.',
  staff_disciplinary: 'The staff disciplinary procedure applies.',
};

const PERIOD_NAMES = {
  lesson: 'lesson time',
  break: 'break',
  lunch: 'lunch',
  before_school: 'before school',
  after_school: 'after school',
  exam: 'an exam',
  school_event: 'a school event',
};

/** An unknown fact as the question to answer (as the CLI's --explain asks it). */
const UNKNOWN_QUESTIONS = {
  'media.has_geodata': 'Does the file carry location data? (It could not be read.)',
  'media.suitably_dressed': 'Is everyone in the photo suitably dressed?',
  'pupils.restriction': 'Is any pupil in the photo looked after, under a court order or not to be photographed? (The roster does not say for the pupils left out above.)',
  adult_involved: 'Is anyone involved aged 18 or over?',
  coercion_blackmail_or_grooming: 'Was any young person pressured, blackmailed or groomed (sextortion included)?',
  capacity_to_consent_concern: 'Is there doubt that a young person could consent (for example owing to special educational needs)?',
  content_atypical_for_development: "Does what is known of the imagery suggest sexual acts unusual for the young person's stage of development?",
  content_violent: 'Does what is known of the imagery suggest violence?',
  content_sexual_acts: 'Does the imagery involve sexual acts?',
  immediate_risk_of_harm: 'Is any young person at immediate risk of harm (for example presenting as suicidal or self-harming)?',
  'actor.year_group': 'Which year group is the pupil in?',
  'actor.works_directly_with_children': 'Does this person work directly with children?',
  'context.period': 'Which part of the school day is it (or give the date and time)?',
  'context.children_present': 'Are children present?',
  'context.emergency': 'Is this an emergency?',
  'context.permission_from': 'Who, if anyone, has given permission?',
  'context.parental_request': 'Have the parents asked for this?',
  'context.subjects_consent': 'Have the people photographed consented?',
  'context.school_device_available': 'Is a school device available instead?',
  'context.exception': 'Does the pupil have an agreed exception (medical, SEND adjustment, young carer)?',
  subject_age: 'How old is the young person in the imagery? (Nobody has the role "in the imagery".)',
};

function unknownQuestion(fact) {
  if (fact.startsWith('subject_age:')) {
    return `How old was young person "${fact.slice('subject_age:'.length)}" (in the imagery) on the date of the incident?`;
  }
  return UNKNOWN_QUESTIONS[fact] ?? `Not yet known: ${words(fact)}.`;
}

const CRITERION_TEXT = {
  adult_involved: 'An adult (18 or over) is involved (criterion 1).',
  coercion_blackmail_or_grooming: 'A young person may have been coerced, blackmailed or groomed (criterion 2).',
  capacity_to_consent_concern: "There is concern about a young person's capacity to consent (criterion 2).",
  content_atypical_for_development: "The imagery suggests sexual acts unusual for the young person's stage of development (criterion 3).",
  content_violent: 'The imagery suggests violence (criterion 3).',
  under_13_sexual_acts: 'The imagery involves sexual acts and a child in it is under 13 (criterion 4).',
  immediate_risk_of_harm: 'A young person is at immediate risk of harm because of the sharing (criterion 5).',
};

const REFERRAL_NAMES = { police: 'the police', childrens_social_care: "children's social care" };

const WHO_NAMES = {
  dsl: 'the Designated Safeguarding Lead (DSL)',
  deputy_dsl: 'the deputy DSL',
  online_safety_lead: 'the online-safety lead',
  headteacher: 'the headteacher',
  deputy_head: 'the deputy headteacher',
  chair_of_governors: 'the chair of governors',
  safeguarding_governor: 'the safeguarding governor',
  network_manager: 'the network manager',
  data_protection_officer: 'the data protection officer',
  all_staff: 'all staff',
  school_office: 'the school office',
  young_person: 'the young person',
  parents: 'parents or carers',
  lado: 'the LADO (local authority designated officer)',
  police: 'the police',
  police_999: 'the police on 999',
  police_101: 'the police on 101',
  childrens_social_care: "children's social care",
  ceop: "CEOP (the NCA's child protection command)",
  iwf: 'the Internet Watch Foundation',
  prevent: 'Prevent',
  local_authority: 'the local authority',
  online_safety_helpline: 'the online-safety helpline',
  platform_provider: 'the platform provider',
  exam_body: 'the exam body',
};

const DEADLINE_TEXT = {
  immediately: 'immediately',
  end_of_lesson: 'by the end of the lesson',
  same_day: 'today',
  within_one_working_day: 'within one working day',
  when_facts_established: 'once the facts are established',
  when_service_opens: 'when the service opens',
};

const ACTION_TITLES = {
  report_to_dsl: 'Report it to the DSL',
  do_not_view_copy_share_delete: 'Do not view, copy, share or delete the imagery',
  secure_device: 'Secure the device',
  initial_review_meeting: 'Hold the initial review meeting',
  record_incident: 'Record the incident',
  inform_parents: 'Inform parents or carers',
  refer_to_police: 'Refer to the police',
  refer_to_childrens_social_care: "Refer to children's social care",
  follow_child_sexual_abuse_procedure: 'Follow the child sexual abuse (child-protection) procedure',
  establish_unknown_facts: 'Establish the facts still unknown',
  escalate_if_concerns_arise: 'Escalate if concerns arise',
  stop_contact_do_not_pay: 'Stop contact and do not pay',
  report_to_ceop: 'Report to CEOP',
  report_remove: 'Use Report Remove to take the images down',
  support_victim: 'Support the victim',
  record_decision_not_to_inform_parents: 'Record the decision not to inform parents',
  delete: 'Delete the images',
  preserve_evidence: 'Keep the evidence',
  quarantine_device: 'Take the device out of use and lock it away',
  block_url: 'Block the web address',
  review_filtering: 'Review the filtering and monitoring',
  do_not_view_imagery: 'Do not view, copy or share the imagery',
  report_url_to_iwf: 'Report the web addresses to the IWF',
  delete_copies: 'Delete the copies',
  delete_copies_when_police_direct: 'Delete copies only as the police direct',
  request_removal: 'Ask for it to be removed',
  no_blame: 'No blame: close the screen and reassure',
  apply_sanctions: 'Apply the sanctions',
  anti_bullying_procedure: 'Follow the anti-bullying procedure',
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
};

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

const $ = (id) => document.getElementById(id);

/** `el('p', { class: 'x' }, 'text', child)`: an element with attributes and children. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'text') node.textContent = v;
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

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

/** An engine error (a JS Error with code, path) as one sentence. */
function errorText(e) {
  const where = e && e.path ? ` at ${e.path}` : '';
  const code = e && e.code ? ` [${e.code}${where}]` : '';
  return `${e && e.message ? e.message : String(e)}${code}`;
}

function errorBox(message) {
  return el('div', { class: 'error-box', role: 'alert' }, message);
}

// ---------------------------------------------------------------------------
// State.

/** The loaded package (module namespace), the current engine and its policy id. */
let wasm = null;
let engine = null;
/** Pupils as the request carries them, and the CSV line each came from. */
let roster = [];
let rosterLines = [];
/** Photos picked: see addPhoto for the shape. */
const photos = [];
let nextPhotoNumber = 1;
/** After the first check, edits re-check at once so results never go stale. */
let photosChecked = false;

// ---------------------------------------------------------------------------
// Start-up.

async function start() {
  fillStaticControls();
  wireRoster();
  wirePhotos();
  wireDevices();
  wireSexting();

  const status = $('engine-status');
  try {
    // Imported at run time so a missing build gives a message, not a blank page.
    wasm = await import('../dist/web/safeguard_wasm.js');
    await wasm.default();
  } catch (e) {
    status.classList.add('error');
    status.textContent =
      'The rules engine could not be loaded. Build it first: run scripts/demo from the repository ' +
      `(it builds bindings/js and serves this page). Details: ${e && e.message ? e.message : e}`;
    return;
  }

  const select = $('policy');
  const ids = wasm.presets();
  select.replaceChildren(...ids.map((id) => el('option', { value: id }, POLICY_NAMES[id] ?? id)));
  select.value = ids.includes('baseline') ? 'baseline' : ids[0];
  select.disabled = false;
  loadPolicy();
  select.addEventListener('change', () => {
    loadPolicy();
    recheck();
  });
  $('photo-files').disabled = false;
  status.textContent = `Rules engine ready (safeguard ${wasm.engineVersion()}).`;
  status.classList.add('ready');
  document.body.dataset.ready = 'true';
}

function loadPolicy() {
  const id = $('policy').value;
  try {
    const next = wasm.Engine.fromPreset(id);
    if (engine && typeof engine.free === 'function') engine.free();
    engine = next;
    $('policy-info').textContent = `Version ${engine.policyVersion}; digest ${engine.policyDigest.slice(0, 12)}…`;
    $('footer-info').textContent =
      `safeguard ${wasm.engineVersion()} (WebAssembly); policy ${engine.policyId} version ${engine.policyVersion}, ` +
      `digest ${engine.policyDigest}.`;
  } catch (e) {
    $('policy-info').textContent = `This policy could not be loaded: ${errorText(e)}`;
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
    setRoster(await file.text(), file.name);
  });
  $('load-sample-roster').addEventListener('click', async () => {
    try {
      const response = await fetch('sample-roster.csv', { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      // The file picker no longer names the roster in use.
      $('roster-file').value = '';
      setRoster(await response.text(), 'sample-roster.csv');
    } catch (e) {
      $('roster-status').textContent = '';
      $('roster-errors').replaceChildren(errorBox(`The sample roster could not be loaded: ${e.message}`));
    }
  });
}

function setRoster(text, name) {
  const { pupils, lines, errors, warnings } = readRoster(text);
  roster = pupils;
  rosterLines = lines;
  const errorList = $('roster-errors');
  errorList.replaceChildren();
  if (errors.length > 0) {
    errorList.append(
      el(
        'div',
        { class: 'error-box', role: 'alert' },
        el('p', {}, `${errors.length} row${errors.length === 1 ? '' : 's'} of ${name} could not be read and ${errors.length === 1 ? 'was' : 'were'} left out:`),
        el('ul', {}, errors.map((e) => el('li', { dataset: { line: e.line } }, `Line ${e.line}: ${e.message}.`))),
      ),
    );
  }
  if (warnings.length > 0) {
    errorList.append(el('div', { class: 'note-box' }, el('ul', {}, warnings.map((w) => el('li', {}, `${capitalise(w)}.`)))));
  }
  $('roster-status').textContent = `${pupils.length} pupil${pupils.length === 1 ? '' : 's'} loaded from ${name}.`;
  renderRosterTable();
  for (const photo of photos) renderPupilChoices(photo);
  recheck();
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

function pupilName(id) {
  const p = roster.find((x) => x.id === id);
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
    recheck();
  });
  $('check-photos').addEventListener('click', () => checkPhotos(true));
  $('channel').addEventListener('change', recheck);
}

/** Re-checks after an edit, once the user has asked for a first check. */
function recheck() {
  if (photosChecked) checkPhotos(false);
}

async function addPhoto(file) {
  const n = nextPhotoNumber++;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const photo = {
    n,
    id: `photo-${n}`,
    file,
    bytes,
    info: null,
    infoError: null,
    depicted: new Set(),
    compositionTouched: false,
    url: URL.createObjectURL(file),
    strippedUrl: null,
    strippedError: null,
  };
  if (wasm) {
    try {
      photo.info = wasm.inspectImage(bytes);
    } catch (e) {
      photo.infoError = e;
    }
    if (photo.info && photo.info.has_location) {
      try {
        const stripped = wasm.stripLocation(bytes);
        // As the CLI does: a copy offered as safe is checked, not trusted.
        if (wasm.inspectImage(stripped).has_location) throw new Error('the copy still carries location data');
        photo.strippedUrl = URL.createObjectURL(new Blob([stripped], { type: file.type || 'application/octet-stream' }));
      } catch (e) {
        photo.strippedError = e;
      }
    }
  }
  photos.push(photo);
  $('photo-list').append(photoCard(photo));
  renderPupilChoices(photo);
}

/** `Sports Day.JPG` → `Sports Day-no-location.JPG`. */
function strippedName(name) {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}-no-location${name.slice(dot)}` : `${name}-no-location`;
}

function photoCard(photo) {
  const p = `photo-${photo.n}`;
  const isVideo = photo.file.type.startsWith('video/');
  const field = (id, label, control, hint, wide = false) =>
    el('div', { class: wide ? 'field wide' : 'field' }, el('label', { for: id }, label), control, hint ? el('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
  const select = (id, options, value) => {
    const s = el('select', { id, dataset: { testid: id } }, options.map(([v, t]) => el('option', { value: v }, t)));
    s.value = value;
    return s;
  };

  const card = el(
    'article',
    { class: 'photo-card', id: p, dataset: { testid: 'photo-card', photo: photo.id }, 'aria-labelledby': `${p}-title` },
    el(
      'div',
      { class: 'photo-head' },
      thumbnail(photo),
      el(
        'div',
        {},
        el('h3', { id: `${p}-title` }, photo.file.name),
        el('p', { class: 'hint' }, `${formatBytes(photo.file.size)}${photo.info ? `, ${photo.info.format.toUpperCase()}` : ''}`),
        metadataNotice(photo),
        el('button', { type: 'button', class: 'link-button', id: `${p}-remove`, dataset: { testid: `${p}-remove` } }, `Remove ${photo.file.name}`),
      ),
    ),
    el(
      'div',
      { class: 'grid three' },
      field(`${p}-caption`, 'Caption', el('input', { type: 'text', id: `${p}-caption`, dataset: { testid: `${p}-caption` }, autocomplete: 'off' }), null, true),
      field(`${p}-tags`, 'Tags', el('input', { type: 'text', id: `${p}-tags`, dataset: { testid: `${p}-tags` }, autocomplete: 'off', 'aria-describedby': `${p}-tags-hint` }), 'Separate tags with commas.'),
      field(`${p}-credits`, 'Credits (videos)', el('input', { type: 'text', id: `${p}-credits`, dataset: { testid: `${p}-credits` }, autocomplete: 'off' })),
      field(`${p}-kind`, 'Kind', select(`${p}-kind`, [['photo', 'Photo'], ['video', 'Video']], isVideo ? 'video' : 'photo')),
      field(`${p}-composition`, 'Who is in it', select(`${p}-composition`, [['group', 'A group'], ['individual', 'One pupil on their own']], 'group')),
      field(`${p}-device`, 'Taken on', select(`${p}-device`, [['school_device', 'A school device'], ['personal_device', 'A personal device']], 'school_device')),
      field(`${p}-dressed`, 'Suitably dressed?', select(`${p}-dressed`, [['', 'Not checked yet'], ['yes', 'Yes'], ['no', 'No']], '')),
    ),
    el('fieldset', { class: 'pupils', id: `${p}-pupils`, dataset: { testid: `${p}-pupils` } }, el('legend', {}, 'Pupils in the photo')),
    el('div', { class: 'result-region', id: `${p}-result`, 'aria-live': 'polite', dataset: { testid: `${p}-result` } }),
  );

  card.querySelector(`#${p}-composition`).addEventListener('change', () => {
    photo.compositionTouched = true;
  });
  card.querySelector(`#${p}-remove`).addEventListener('click', () => {
    const i = photos.indexOf(photo);
    if (i >= 0) photos.splice(i, 1);
    URL.revokeObjectURL(photo.url);
    if (photo.strippedUrl) URL.revokeObjectURL(photo.strippedUrl);
    card.remove();
    recheck();
    if (photos.length === 0 || !photosChecked) $('photos-summary').textContent = `${photo.file.name} removed.`;
    $('photo-files').focus();
  });
  // Any settled edit (not every keystroke) re-checks once a check was asked for.
  card.addEventListener('change', recheck);
  return card;
}

/** The photo's preview; a placeholder when the browser cannot show the
 * format (HEIC, raw files, or a file that is only metadata). */
function thumbnail(photo) {
  const img = el('img', { class: 'thumb', src: photo.url, alt: '' });
  img.addEventListener('error', () => {
    img.replaceWith(el('div', { class: 'thumb no-preview', dataset: { testid: `photo-${photo.n}-no-preview` } }, 'No preview'));
  });
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

/** What the file itself gives away, and the download of a clean copy. */
function metadataNotice(photo) {
  const p = `photo-${photo.n}`;
  const box = el('div', { class: 'metadata', id: `${p}-metadata`, dataset: { testid: `${p}-metadata` } });
  if (!wasm) return box;
  if (photo.infoError) {
    box.classList.add('warn');
    box.append(
      el('p', {}, `The file's metadata could not be read (${errorText(photo.infoError)}). ` +
        'Whether it carries location data is unknown, so the check asks for it to be removed.'),
    );
    return box;
  }
  const info = photo.info;
  if (info.has_location) {
    box.classList.add('warn');
    const fields = info.location_fields.map((f) => LOCATION_FIELD_NAMES[f] ?? words(f));
    let where = '';
    if (info.location) {
      where = ` It shows where the photo was taken: ${degrees(info.location.latitude, 'N', 'S')}, ${degrees(info.location.longitude, 'E', 'W')}.`;
    }
    box.append(el('p', { dataset: { testid: `${p}-location` } }, el('strong', {}, 'Location data found: '), `${listText(fields)}.${where}`));
    if (photo.strippedUrl) {
      const name = strippedName(photo.file.name);
      box.append(
        el(
          'p',
          {},
          el('a', { class: 'download', href: photo.strippedUrl, download: name, id: `${p}-download`, dataset: { testid: `${p}-download` } }, `Download ${name}`),
          ' (the same photo with the location removed; the picture itself is unchanged).',
        ),
      );
    } else if (photo.strippedError) {
      box.append(errorBox(`A copy without location could not be made: ${errorText(photo.strippedError)}`));
    }
  } else {
    box.append(el('p', { dataset: { testid: `${p}-location` } }, 'No location data found in this file.'));
  }
  if (info.identifying && info.identifying.length > 0) {
    const found = info.identifying.map((f) => IDENTIFYING_NAMES[f.field] ?? words(f.field));
    box.append(el('p', { class: 'hint' }, `The file also records ${listText(found)} (not shown here).`));
  }
  return box;
}

/** The roster as checkboxes in a photo card, keeping ticks across reloads. */
function renderPupilChoices(photo) {
  const p = `photo-${photo.n}`;
  const fieldset = $(`${p}-pupils`);
  if (!fieldset) return;
  const ids = new Set(roster.map((x) => x.id));
  for (const id of [...photo.depicted]) if (!ids.has(id)) photo.depicted.delete(id);
  const legend = el('legend', {}, 'Pupils in the photo');
  if (roster.length === 0) {
    fieldset.replaceChildren(legend, el('p', { class: 'hint' }, 'Load a roster (step 2) to choose pupils.'));
    return;
  }
  const boxes = roster.map((pupil) => {
    const id = `${p}-pupil-${pupil.id}`;
    const box = el('input', { type: 'checkbox', id, value: pupil.id, dataset: { testid: id } });
    box.checked = photo.depicted.has(pupil.id);
    box.addEventListener('change', () => {
      if (box.checked) photo.depicted.add(pupil.id);
      else photo.depicted.delete(pupil.id);
      // One pupil alone is an individual photo unless the user said otherwise.
      if (!photo.compositionTouched) {
        $(`${p}-composition`).value = photo.depicted.size === 1 ? 'individual' : 'group';
      }
    });
    return el('div', { class: 'check' }, box, el('label', { for: id }, `${pupil.first_name} ${pupil.last_name}`, el('span', { class: 'muted' }, ` (${pupil.id})`)));
  });
  fieldset.replaceChildren(legend, el('div', { class: 'checks' }, boxes));
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
  };
  const caption = value('caption').trim();
  if (caption) media.caption = caption;
  const tags = value('tags').split(',').map((t) => t.trim()).filter(Boolean);
  if (tags.length) media.tags = tags;
  const credits = value('credits').trim();
  if (credits) media.credits = credits;
  // The finding in the file itself; left out (unknown) when it could not be read.
  if (photo.info) media.has_geodata = photo.info.has_location;
  const dressed = value('dressed');
  if (dressed) media.suitably_dressed = dressed === 'yes';
  return media;
}

function checkPhotos(asked) {
  const summary = $('photos-summary');
  if (!engine) return;
  if (photos.length === 0) {
    if (asked) summary.textContent = 'Choose one or more photos first.';
    return;
  }
  photosChecked = true;
  const channel = $('channel').value;
  // One gallery request: the roster once, every photo with the ids of the
  // pupils in it. Names in captions are looked for across the whole roster.
  const request = {
    schema_version: 1,
    domain: 'images',
    channel,
    roster,
    images: photos.map((photo) => ({ id: photo.id, media: mediaOf(photo), pupils: [...photo.depicted] })),
  };
  let response;
  try {
    response = engine.evaluate(request);
  } catch (e) {
    let where = '';
    // A roster error points at `$.roster[i]`: name the CSV line too.
    const m = e && e.path ? /^\$\.roster\[(\d+)\]/.exec(e.path) : null;
    if (m && rosterLines[Number(m[1])]) where = ` (roster line ${rosterLines[Number(m[1])]})`;
    summary.replaceChildren(errorBox(`The photos could not be checked: ${errorText(e)}${where}`));
    return;
  }
  const counts = { publish: 0, publish_with_changes: 0, block: 0 };
  response.gallery.forEach((item, i) => {
    const photo = photos[i];
    counts[item.outcome] = (counts[item.outcome] ?? 0) + 1;
    $(`photo-${photo.n}-result`).replaceChildren(imageResult(photo, item));
  });
  const parts = [];
  if (counts.publish) parts.push(`${counts.publish} may be published as it is`);
  if (counts.publish_with_changes) parts.push(`${counts.publish_with_changes} may be published with changes`);
  if (counts.block) parts.push(`${counts.block} must not be published`);
  summary.textContent =
    `Checked ${photos.length} photo${photos.length === 1 ? '' : 's'} for ${CHANNEL_NAMES[channel] ?? words(channel)} ` +
    `under ${POLICY_NAMES[engine.policyId] ?? engine.policyId}: ${listText(parts)}.`;
}

function reasonsList(reasons) {
  return el(
    'ul',
    { class: 'reasons' },
    reasons.map((r) =>
      el(
        'li',
        { dataset: { rule: r.rule } },
        r.summary,
        el('span', { class: 'cite' }, `${r.cite.source}, “${r.cite.section}” · rule ${r.rule}`),
      ),
    ),
  );
}

function section(title, testid, items) {
  if (!items || items.length === 0) return null;
  return el('div', { class: 'result-part', dataset: { testid } }, el('h4', {}, title), el('ul', {}, items));
}

function imageResult(photo, item) {
  const p = `photo-${photo.n}`;
  const pupilValue = (id, token) => {
    const pupil = roster.find((x) => x.id === id);
    if (!pupil) return null;
    if (token.startsWith('no_consent:')) return pupil.consent[token.slice('no_consent:'.length)];
    if (token === 'restricted') return pupil.restriction;
    return null;
  };
  const changes = item.changes.map((c) => {
    let text;
    if (c.startsWith('exclude_pupil:')) {
      text = `Leave out ${pupilName(c.slice('exclude_pupil:'.length))}: crop or blur them, or choose another photo.`;
    } else {
      text = CHANGE_TEXT[c] ?? `${capitalise(words(c))}.`;
    }
    return el('li', { dataset: { change: c } }, text);
  });
  const blocked = item.blocked.map((b) =>
    el('li', { dataset: { reason: b.reason, pupil: b.pupil ?? '' } }, blockedText(b.reason, b.pupil ? pupilName(b.pupil) : null, b.pupil ? pupilValue(b.pupil, b.reason) : null)),
  );
  const actions = item.actions.map((a) =>
    el('li', { dataset: { action: a.action } }, `${ACTION_TITLES[a.action] ?? capitalise(words(a.action))} (${WHO_NAMES[a.who] ?? words(a.who)}, ${DEADLINE_TEXT[a.deadline] ?? words(a.deadline)}): ${a.detail}`),
  );
  const unknowns = item.unknowns.map((u) => el('li', { dataset: { unknown: u } }, unknownQuestion(u)));
  return el(
    'div',
    { class: `result outcome-${item.outcome}`, dataset: { outcome: item.outcome } },
    el('h4', { class: 'outcome-line' }, 'Decision: ', el('span', { class: 'outcome-label', id: `${p}-outcome`, dataset: { testid: `${p}-outcome` } }, IMAGE_OUTCOMES[item.outcome] ?? words(item.outcome))),
    section('Before publishing', `${p}-changes`, changes),
    section(item.outcome === 'block' ? 'Why it cannot go out' : 'Who cannot appear, and why', `${p}-blocked`, blocked),
    section('Still to check', `${p}-unknowns`, unknowns),
    section('What to do', `${p}-actions`, actions),
    el('div', { class: 'result-part', dataset: { testid: `${p}-reasons` } }, el('h4', {}, 'Policy rules applied'), reasonsList(item.reasons)),
  );
}

// ---------------------------------------------------------------------------
// Devices.

function wireDevices() {
  $('device-form').addEventListener('submit', (event) => {
    event.preventDefault();
    decideDevice();
  });
}

function triBool(id) {
  const v = $(id).value;
  return v === '' ? undefined : v === 'yes';
}

function decideDevice() {
  const out = $('device-result');
  if (!engine) return;
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
  let d;
  try {
    d = engine.evaluate(request);
  } catch (e) {
    out.replaceChildren(errorBox(`No decision: ${errorText(e)}`));
    return;
  }
  const notes = [];
  if (d.period) notes.push(el('p', {}, `Decided for ${PERIOD_NAMES[d.period] ?? words(d.period)}.`));
  if (d.decided_by) notes.push(el('p', {}, `No rule of this policy covers this; ${WHO_NAMES[d.decided_by] ?? words(d.decided_by)} decides.`));
  out.replaceChildren(
    el(
      'div',
      { class: `result outcome-${d.outcome}`, dataset: { outcome: d.outcome } },
      el('h3', { class: 'outcome-line' }, 'Decision: ', el('span', { class: 'outcome-label', id: 'device-outcome', dataset: { testid: 'device-outcome' } }, DEVICE_OUTCOMES[d.outcome] ?? words(d.outcome))),
      notes,
      section('Conditions', 'device-conditions', (d.conditions ?? []).map((c) => el('li', { dataset: { condition: c } }, CONDITION_TEXT[c] ?? `${capitalise(words(c))}.`))),
      section('If the rule is broken', 'device-breach', (d.on_breach ?? []).map((b) => el('li', {}, BREACH_TEXT[b] ?? `${capitalise(words(b))}.`))),
      section('Still unknown (each could change the answer)', 'device-unknowns', d.unknowns.map((u) => el('li', {}, unknownQuestion(u)))),
      el('div', { class: 'result-part' }, el('h4', {}, 'Policy rules applied'), reasonsList(d.reasons)),
    ),
  );
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
}

function addPerson(id, age, role) {
  const n = ++personCount;
  const p = `sx-person-${n}`;
  const roleSelect = el('select', { id: `${p}-role`, dataset: { testid: `${p}-role` } }, SEXTING_ROLES.map(([v, t]) => el('option', { value: v }, t)));
  roleSelect.value = role;
  // Each control has its own label (the column headers are not labels).
  const cell = (label, forId, control) => el('td', {}, el('label', { for: forId, class: 'visually-hidden' }, `${label} of young person ${n}`), control);
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
  const out = $('sexting-result');
  if (!engine) return;
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
  let d;
  try {
    d = engine.evaluate(request);
  } catch (e) {
    out.replaceChildren(errorBox(`No decision: ${errorText(e)}`));
    return;
  }
  const referrals = (d.referral_to ?? []).map((r) => REFERRAL_NAMES[r] ?? words(r));
  let headline = SEXTING_OUTCOMES[d.outcome] ?? words(d.outcome);
  if (referrals.length && (d.outcome === 'refer_immediately' || d.outcome === 'child_sexual_abuse')) {
    headline += ` to ${listText(referrals)}`;
  }
  // One plan (SPEC §1.8): whom to tell is part of `actions`, each step once
  // with one deadline; a step one of the reasons required (a referral) says
  // which rule.
  const ruled = new Set(d.reasons.map((r) => r.rule));
  // A referral outside the school names the rule or criterion that required it.
  const REFERRAL_ACTIONS = new Set(['refer_to_police', 'refer_to_childrens_social_care', 'report_to_ceop']);
  const REFERRAL_WHO = new Set(['police', 'police_999', 'police_101', 'childrens_social_care', 'lado', 'ceop', 'iwf', 'prevent', 'local_authority']);
  const isReferral = (a) => REFERRAL_ACTIONS.has(a.action) || REFERRAL_WHO.has(a.who);
  const actionItem = (a) =>
    el(
      'li',
      { dataset: { action: a.action, who: a.who, deadline: a.deadline } },
      el('strong', {}, a.action === 'notify' ? `Tell ${WHO_NAMES[a.who] ?? words(a.who)}` : ACTION_TITLES[a.action] ?? capitalise(words(a.action))),
      ` (${a.action === 'notify' ? '' : `${WHO_NAMES[a.who] ?? words(a.who)}, `}${DEADLINE_TEXT[a.deadline] ?? words(a.deadline)}). ${a.detail}`,
      a.contact ? el('span', { class: 'cite' }, `Contact: ${a.contact}`) : null,
      isReferral(a) && ruled.has(a.rule) ? el('span', { class: 'cite' }, `Required by: rule ${a.rule}`) : null,
    );
  out.replaceChildren(
    el(
      'div',
      { class: `result outcome-${d.outcome}`, dataset: { outcome: d.outcome } },
      el('h3', { class: 'outcome-line' }, 'Decision: ', el('span', { class: 'outcome-label', id: 'sexting-outcome', dataset: { testid: 'sexting-outcome' } }, `${headline}.`)),
      d.outcome === 'need_more_information'
        ? el('p', {}, 'No referral criterion is known to hold, but the facts below are not yet known; until they are, do not manage the case in school alone.')
        : null,
      d.outcome === 'dsl_may_manage_in_school'
        ? el('p', {}, "The DSL may still refer to the police or children's social care at any time if new information or concerns come to light.")
        : null,
      section('Referral criteria that hold', 'sexting-criteria', (d.criteria ?? []).map((c) => el('li', { dataset: { criterion: c } }, CRITERION_TEXT[c] ?? `${capitalise(words(c))}.`))),
      section('Still unknown (each could change the answer)', 'sexting-unknowns', d.unknowns.map((u) => el('li', { dataset: { unknown: u } }, unknownQuestion(u)))),
      d.actions.length ? el('div', { class: 'result-part' }, el('h4', {}, 'What to do now'), el('ol', { dataset: { testid: 'sexting-actions' } }, d.actions.map(actionItem))) : null,
      section('Initial review: consider', 'sexting-checklist', (d.review_checklist ?? []).map((c) => el('li', {}, c.question))),
      el('div', { class: 'result-part' }, el('h4', {}, 'Policy rules applied'), reasonsList(d.reasons)),
    ),
  );
}

start();
