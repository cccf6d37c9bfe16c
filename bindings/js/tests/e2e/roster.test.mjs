// Unit tests of the demo page's CSV parser and roster mapping
// (bindings/js/demo/roster.js), run by scripts/test-e2e with `node --test`.

import test from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parseCsv, readRoster, ROSTER_COLUMNS } from '../../demo/roster.js';

const HEADER = ROSTER_COLUMNS.join(',');

test('quoted fields, commas and doubled quotes inside quotes, CRLF', () => {
  const { records, errors } = parseCsv('a,"b, c","say ""hi"""\r\n1,,3\r\n');
  assert.deepEqual(errors, []);
  assert.deepEqual(records, [
    { line: 1, fields: ['a', 'b, c', 'say "hi"'] },
    { line: 2, fields: ['1', '', '3'] },
  ]);
});

test('line breaks inside quotes keep later line numbers right; LF, CR and a BOM', () => {
  const { records } = parseCsv('\ufeffa,"x\r\ny"\nb,z\rc,w');
  assert.deepEqual(records, [
    { line: 1, fields: ['a', 'x\r\ny'] },
    { line: 3, fields: ['b', 'z'] },
    { line: 4, fields: ['c', 'w'] },
  ]);
});

test('an unclosed quote and text after a closing quote are errors with lines', () => {
  assert.deepEqual(parseCsv('a,b\n"oops,c\n').errors, [{ line: 2, message: 'a quoted field is never closed (a " is missing)' }]);
  const r = parseCsv('a,b\n"x"y,c\nd,e\n');
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].line, 2);
  assert.deepEqual(r.records.map((x) => x.line), [1, 3]);
});

test('the sample roster maps onto the vocabulary exactly', async () => {
  const text = await readFile(new URL('../../demo/sample-roster.csv', import.meta.url), 'utf8');
  const { pupils, errors, warnings } = readRoster(text);
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, []);
  assert.equal(pupils.length, 8);
  assert.deepEqual(pupils[0], {
    id: 'p01',
    first_name: 'Amy',
    last_name: 'Smith',
    on_roll: true,
    consent: {
      display: 'yes',
      website: 'yes',
      prospectus: 'yes',
      social_media: 'yes',
      press: 'no',
      name_with_image: 'yes',
      individual_use: 'yes',
    },
    restriction: 'none',
  });
  assert.equal(pupils[3].restriction, 'looked_after');
  assert.equal(pupils[5].first_name, 'Mary Jane');
  const leaver = pupils.find((p) => p.id === 'p08');
  assert.equal(leaver.on_roll, false);
  assert.equal(leaver.left_on, '2025-07-18');
});

test('defaults: empty consent is not_asked, missing columns too, on_roll yes, restriction not recorded', () => {
  const { pupils, errors, warnings } = readRoster('Pupil ID,First Name,Last Name,Consent Website\np1,Amy,Smith,\n');
  assert.deepEqual(errors, []);
  // No restriction column: the restriction is left out (unknown), never `none`.
  assert.match(warnings[0], /no restriction column/);
  assert.deepEqual(pupils, [
    {
      id: 'p1',
      first_name: 'Amy',
      last_name: 'Smith',
      on_roll: true,
      consent: {
        display: 'not_asked',
        website: 'not_asked',
        prospectus: 'not_asked',
        social_media: 'not_asked',
        press: 'not_asked',
        name_with_image: 'not_asked',
        individual_use: 'not_asked',
      },
    },
  ]);
});

test('bad rows are reported by line and left out; good rows load', () => {
  const csv = [
    HEADER,
    'p1,Amy,Smith,yes,,none,yes,yes,yes,yes,yes,yes,yes',
    'p1,Raj,Patel,yes,,none,yes,yes,yes,yes,yes,yes,yes',
    'p3,Zoe,Brown,maybe,,none,yes,yes,yes,yes,yes,yes,yes',
    'p4,Liam,Jones,yes,2025-07-01,none,yes,yes,yes,yes,yes,yes,yes',
    'p5,Mia,Khan,no,2025-02-30,secret,yes,sure,yes,yes,yes,yes,yes',
    'p6,,Ali,yes,,none,yes,yes,yes,yes,yes,yes,yes',
    'p7,Noah',
    '',
  ].join('\n');
  const { pupils, errors } = readRoster(csv);
  assert.deepEqual(pupils.map((p) => p.id), ['p1']);
  assert.deepEqual(errors.map((e) => e.line), [3, 4, 5, 6, 7, 8]);
  assert.match(errors[0].message, /pupil_id "p1" is already used on line 2/);
  assert.match(errors[1].message, /on_roll is "maybe"/);
  assert.match(errors[2].message, /left_on is given but on_roll is yes/);
  assert.match(errors[3].message, /left_on is "2025-02-30".*restriction is "secret".*consent_website is "sure"/);
  assert.match(errors[4].message, /first_name is empty/);
  assert.match(errors[5].message, /has 2 fields but the first row names 13/);
});

test('an empty restriction cell is not recorded: left out of the request, never none', () => {
  const csv = [HEADER, 'p1,Amy,Smith,yes,,,yes,yes,yes,yes,yes,yes,yes', 'p2,Raj,Patel,yes,,none,yes,yes,yes,yes,yes,yes,yes'].join('\n');
  const { pupils, errors, warnings } = readRoster(csv);
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, []);
  assert.equal('restriction' in pupils[0], false);
  assert.equal(pupils[1].restriction, 'none');
});

test('a header without the required columns loads nothing; unknown columns are ignored with a warning', () => {
  const r = readRoster('id,name\n1,Amy\n');
  assert.deepEqual(r.pupils, []);
  assert.match(r.errors[0].message, /missing: pupil_id, first_name, last_name/);
  const w = readRoster('pupil_id,first_name,last_name,notes\np1,Amy,Smith,"likes football, chess"\n');
  assert.equal(w.pupils.length, 1);
  assert.equal(w.warnings[0], 'column "notes" is not one the checker uses, so it was ignored');
  assert.match(readRoster('').errors[0].message, /empty/);
});
