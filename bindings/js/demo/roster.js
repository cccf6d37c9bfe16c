// The class roster: a small CSV parser and the mapping from CSV rows to the
// pupils of an images request (shared/spec/vocabulary.md, `images`).
//
// Plain ES module with no DOM use, so Node can import it too
// (bindings/js/tests/e2e/roster.test.mjs).

/** The columns the page understands, in the order of the sample file. */
export const ROSTER_COLUMNS = [
  'pupil_id',
  'first_name',
  'last_name',
  'on_roll',
  'left_on',
  'restriction',
  'consent_display',
  'consent_website',
  'consent_prospectus',
  'consent_social_media',
  'consent_press',
  'consent_name_with_image',
  'consent_individual_use',
];

/** Consent purposes of the vocabulary, each read from `consent_<purpose>`. */
export const PURPOSES = [
  'display',
  'website',
  'prospectus',
  'social_media',
  'press',
  'name_with_image',
  'individual_use',
];

export const CONSENT_VALUES = ['yes', 'no', 'not_asked', 'withdrawn'];
export const RESTRICTIONS = ['none', 'looked_after', 'court_order', 'do_not_photograph'];

const REQUIRED = ['pupil_id', 'first_name', 'last_name'];

/**
 * Parses CSV text (RFC 4180 as spreadsheets write it): fields separated by
 * commas, records by CRLF, LF or CR; a field in double quotes may hold
 * commas, line breaks and doubled quotes (`""` is one `"`). A byte-order
 * mark at the start is ignored.
 *
 * Returns `{ records, errors }`: each record is `{ line, fields }`, where
 * `line` is the 1-based line the record starts on (so messages can point
 * at the spreadsheet row); errors are `{ line, message }` for structural
 * problems (an unterminated quote, text after a closing quote).
 */
export function parseCsv(text) {
  const records = [];
  const errors = [];
  let i = 0;
  let line = 1;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const n = text.length;

  while (i < n) {
    const start = line;
    const fields = [];
    let field = '';
    let bad = false;
    // One record: fields until an unquoted line break or the end.
    for (;;) {
      if (i < n && text[i] === '"') {
        // Quoted field.
        i++;
        let closed = false;
        while (i < n) {
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\r' || c === '\n') {
            // A line break inside quotes belongs to the field; count it
            // (CRLF once) so later line numbers stay right.
            if (c === '\r' && text[i + 1] === '\n') {
              field += '\r';
              i++;
            }
            line++;
          }
          field += text[i];
          i++;
        }
        if (!closed) {
          errors.push({ line: start, message: 'a quoted field is never closed (a " is missing)' });
          bad = true;
        } else if (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          errors.push({ line, message: 'text follows a closing quote (write "" for a quote inside a quoted field)' });
          bad = true;
          // Skip to the end of the field so the rest of the file still parses.
          while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') i++;
        }
      } else {
        // Unquoted field: up to the next comma or line break.
        while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          field += text[i];
          i++;
        }
      }
      fields.push(field);
      field = '';
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    // End of record: consume one line break (CRLF, LF or CR).
    if (i < n && text[i] === '\r') i++;
    if (i < n && text[i] === '\n') i++;
    line++;
    if (!bad) records.push({ line: start, fields });
  }
  return { records, errors };
}

/** `Consent Website ` → `consent_website`. */
function normaliseHeader(name) {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** A consent cell as a vocabulary token, or null when it is not one. */
function consentValue(cell) {
  const v = cell.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (v === '') return 'not_asked';
  return CONSENT_VALUES.includes(v) ? v : null;
}

/** `yes`/`no` (also true/false, y/n, 1/0); empty means the default. */
function yesNo(cell, fallback) {
  const v = cell.trim().toLowerCase();
  if (v === '') return fallback;
  if (['yes', 'y', 'true', '1'].includes(v)) return true;
  if (['no', 'n', 'false', '0'].includes(v)) return false;
  return null;
}

/** A real calendar date written YYYY-MM-DD. */
function isDate(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/**
 * Reads a roster CSV. Returns `{ pupils, errors, warnings }`:
 * - `pupils`: the pupils of the valid rows, each exactly as the images
 *   request's `pupils` / gallery `roster` entries are written
 *   (`{ id, first_name, last_name, on_roll, left_on?, consent, restriction? }`;
 *   `restriction` is left out where the cell is empty or there is no such
 *   column: not recorded is unknown, never `none`),
 *   with `line` (the CSV line) kept beside it in a separate array `lines`;
 * - `errors`: `{ line, message }` for every row left out, and for a bad
 *   header (then no pupil is read);
 * - `warnings`: columns that were ignored.
 */
export function readRoster(text) {
  const { records, errors: csvErrors } = parseCsv(text);
  const errors = csvErrors.map((e) => ({ ...e }));
  const warnings = [];
  const pupils = [];
  const lines = [];

  // Blank lines (a spreadsheet's trailing empty rows) are not rows.
  const rows = records.filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === '') && !r.fields.every((f) => f.trim() === ''));
  if (rows.length === 0) {
    errors.push({ line: 1, message: 'the file is empty: the first row must name the columns' });
    return { pupils, lines, errors, warnings };
  }
  const header = rows[0];
  const names = header.fields.map(normaliseHeader);
  const col = new Map();
  names.forEach((name, index) => {
    if (!ROSTER_COLUMNS.includes(name)) {
      warnings.push(`column "${header.fields[index].trim()}" is not one the checker uses, so it was ignored`);
    } else if (col.has(name)) {
      errors.push({ line: header.line, message: `column "${name}" appears twice` });
    } else {
      col.set(name, index);
    }
  });
  const missing = REQUIRED.filter((c) => !col.has(c));
  if (missing.length > 0) {
    errors.push({
      line: header.line,
      message: `the first row must name the columns; missing: ${missing.join(', ')}`,
    });
  }
  if (errors.some((e) => e.line === header.line)) return { pupils, lines, errors, warnings };
  if (!col.has('restriction')) {
    warnings.push('there is no restriction column, so no pupil\'s restriction is recorded: no pupil can be published until one (or none) is recorded for them');
  }

  const seen = new Map();
  for (const row of rows.slice(1)) {
    const problems = [];
    if (row.fields.length !== names.length) {
      errors.push({
        line: row.line,
        message: `has ${row.fields.length} field${row.fields.length === 1 ? '' : 's'} but the first row names ${names.length} (a comma in a name must be inside double quotes)`,
      });
      continue;
    }
    const get = (name) => (col.has(name) ? row.fields[col.get(name)] : '');
    const id = get('pupil_id').trim();
    const first = get('first_name').trim();
    const last = get('last_name').trim();
    if (id === '') problems.push('pupil_id is empty');
    else if (seen.has(id)) problems.push(`pupil_id "${id}" is already used on line ${seen.get(id)}`);
    if (first === '') problems.push('first_name is empty');
    if (last === '') problems.push('last_name is empty');

    const onRoll = yesNo(get('on_roll'), true);
    if (onRoll === null) problems.push(`on_roll is "${get('on_roll').trim()}"; use yes or no`);
    const leftOn = get('left_on').trim();
    if (leftOn !== '') {
      if (!isDate(leftOn)) problems.push(`left_on is "${leftOn}"; use a date written YYYY-MM-DD`);
      else if (onRoll === true) problems.push('left_on is given but on_roll is yes (set on_roll to no for a pupil who has left)');
    }
    // An empty cell, or no restriction column, is not `none`: nobody has
    // recorded whether the pupil may be shown, so the restriction is left
    // out of the request and the engine will not publish the pupil.
    const restriction = get('restriction').trim().toLowerCase().replace(/[\s-]+/g, '_');
    if (restriction !== '' && !RESTRICTIONS.includes(restriction)) {
      problems.push(`restriction is "${get('restriction').trim()}"; use one of ${RESTRICTIONS.join(', ')}`);
    }
    const consent = {};
    for (const purpose of PURPOSES) {
      const name = `consent_${purpose}`;
      const value = consentValue(get(name));
      if (value === null) {
        problems.push(`${name} is "${get(name).trim()}"; use yes, no, withdrawn or not_asked`);
      } else {
        consent[purpose] = value;
      }
    }
    if (problems.length > 0) {
      errors.push({ line: row.line, message: problems.join('; ') });
      continue;
    }
    seen.set(id, row.line);
    const pupil = { id, first_name: first, last_name: last, on_roll: onRoll };
    if (leftOn !== '') pupil.left_on = leftOn;
    pupil.consent = consent;
    if (restriction !== '') pupil.restriction = restriction;
    pupils.push(pupil);
    lines.push(row.line);
  }
  return { pupils, lines, errors, warnings };
}
