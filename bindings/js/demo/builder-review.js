// The annual review on the policy builder page (issue 24, point 5): the
// engine's review of the policy being built (`Engine.review`, what
// `safeguard review` reports), readable on the page and downloadable as
// Markdown and as a printable HTML page.
//
// Why it is built this way:
// - The report on the page is built from the review's typed fields, every
//   string put in as text (dom.js `el`), never as HTML: a policy's words
//   (a school's section headings, a custom rule's summary) cannot become
//   markup or script here.
// - The engine's own printable HTML (every string escaped by the engine,
//   no script, a content security policy that loads nothing) is never
//   inserted into this page or framed in it: it is only offered as a
//   download, to open and print on its own. The Markdown likewise.
// - The review is of the policy the preview shows: the page drops it as
//   soon as an answer changes and writes it again with the preview.

import { el } from './dom.js';

/** Headings of the review's areas. */
const AREAS = {
  sexting: 'Sharing nudes and semi-nudes',
  devices: 'Mobile phones and other devices',
  images: 'Photos and videos of pupils',
  escalation: 'Reporting and escalating concerns',
};

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function linesView(lines, testid, line) {
  const items = lines.lines.map((l) => el('li', {}, line(l)));
  if (lines.more > 0) items.push(el('li', {}, `and ${lines.more} more.`));
  return el('ul', { dataset: { testid } }, items);
}

function devicesLine(l) {
  return l.sections.length > 0 ? `${l.text} (your policy: ${l.sections.join('; ')})` : l.text;
}

function guidanceView(report) {
  if (report.guidance.length === 0) {
    return el('p', { dataset: { testid: 'review-guidance-none' } }, 'No change in national guidance that the engine knows of took effect after your policy\'s date.');
  }
  const open = report.guidance.filter((g) => !g.addressed).length;
  const items = report.guidance.map((g) => {
    let status;
    if (g.set_aside) status = 'Your policy sets aside the national rule that carries this change.';
    else if (g.addressed) status = `Your policy's own text touches on this: ${g.addressed_in.join('; ')}. Check it says what the change asks.`;
    else status = 'Your policy\'s own text does not address this: national guidance applies, and your text should say how your school does it.';
    return el(
      'li',
      { dataset: { addressed: String(g.addressed), testid: 'review-change' } },
      el('strong', {}, `${g.change.title} (from ${g.took_effect})`),
      el('p', {}, g.change.what_changed),
      el('p', { class: 'hint' }, g.change.source),
      el('p', {}, status),
    );
  });
  return el(
    'div',
    {},
    el('p', { dataset: { testid: 'review-guidance-summary' } },
      `${plural(report.guidance.length, 'change', 'changes')} in national guidance since your policy's date; ` +
      `your policy's own text does not address ${open} of them.`),
    el('ul', { class: 'review-changes', dataset: { testid: 'review-guidance' } }, items),
  );
}

function rulesByArea(rules, testid) {
  const areas = [...new Set(rules.map((r) => r.area))];
  return el('div', { dataset: { testid } }, areas.map((area) => el(
    'div',
    {},
    el('h4', {}, AREAS[area] ?? area),
    el('ul', {}, rules.filter((r) => r.area === area).map((r) =>
      el('li', {}, r.summary, el('span', { class: 'muted' }, ` (${r.cited}${r.required ? '; every school keeps this' : ''})`)))),
  )));
}

/** The review `report` (an `Engine.review()` object) as page content. */
export function reviewView(report) {
  const dated = report.dated
    ? `Dated ${report.dated}.`
    : 'Its date could not be read, so every change in national guidance is listed.';
  const sections = [
    el('p', { dataset: { testid: 'review-about' } }, `${report.name}, version ${report.version}. ${dated}`),
    el('h3', {}, 'Changes in national guidance since the policy\'s date'),
    guidanceView(report),
    el('h3', {}, 'Where your policy is stricter than national guidance (devices)'),
    report.stricter.lines.length === 0
      ? el('p', { dataset: { testid: 'review-stricter' } }, 'Nowhere: your device rules forbid nothing that national guidance allows.')
      : linesView(report.stricter, 'review-stricter', devicesLine),
    el('h3', {}, 'Where your policy allows more than national guidance (devices)'),
    report.allows_more.lines.length === 0
      ? el('p', { dataset: { testid: 'review-allows-more' } }, 'Nowhere: your device rules allow nothing that national guidance forbids.')
      : linesView(report.allows_more, 'review-allows-more', devicesLine),
    el('h3', {}, 'Contradictions and gaps'),
    report.findings.lines.length === 0
      ? el('p', { dataset: { testid: 'review-findings' } }, 'None found in your device rules.')
      : linesView(report.findings, 'review-findings', (l) => l),
    el('h3', {}, 'What your policy says in its own words'),
    report.own_rules.length === 0
      ? el('p', { dataset: { testid: 'review-own' } }, 'No rule of its own: it follows national guidance throughout.')
      : el('details', { class: 'help' }, el('summary', { dataset: { testid: 'review-own' } }, plural(report.own_rules.length, 'rule of its own', 'rules of its own')),
          rulesByArea(report.own_rules, 'review-own-list')),
    el('h3', {}, 'Where your policy relies on national defaults'),
    el('details', { class: 'help' }, el('summary', { dataset: { testid: 'review-defaults' } },
      `${plural(report.national_defaults.length, 'national rule', 'national rules')}, unchanged`),
    rulesByArea(report.national_defaults, 'review-defaults-list')),
  ];
  if (report.set_aside.length > 0) {
    sections.push(
      el('h3', {}, 'National defaults your policy sets aside'),
      rulesByArea(report.set_aside, 'review-set-aside'),
    );
  }
  return el('div', { class: 'review', dataset: { testid: 'review' } }, sections);
}
