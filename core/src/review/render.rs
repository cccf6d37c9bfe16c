//! A [`Review`] as Markdown and as a printable HTML page.
//!
//! Both come from one list of blocks (`blocks`: headings, paragraphs,
//! list items, the closing "about" line), so the two cannot say different
//! things; each layout escapes every string it is given, the fixed words
//! included, so nothing a policy says (its name, a summary, a section
//! heading) can become a link, an image, markup or script.

use super::{Area, GuidanceNote, Lines, Review, RuleNote};
use crate::explain::escape_markdown;
use std::fmt::Write;

/// One block of the report.
enum Block {
    Title(String),
    Heading(String),
    Subheading(String),
    Paragraph(String),
    Item(String),
    About(String),
}

/// "1 change", "2 changes".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Sections in quotes, joined: "“6. Personal mobile phones”; “Appendix 3”".
fn quoted(sections: &[String]) -> String {
    let quoted: Vec<String> = sections.iter().map(|s| format!("“{s}”")).collect();
    quoted.join("; ")
}

fn guidance_blocks(out: &mut Vec<Block>, review: &Review) {
    out.push(Block::Heading(
        "Changes in national guidance since the policy was written".into(),
    ));
    out.push(Block::Paragraph(match &review.dated {
        Some(date) => format!(
            "The policy's date is read as {date}. The changes in national guidance that this review knows of and that took effect from then on are listed here, with whether one of the policy's own rules speaks to each. This review does not know every change (it does not follow each yearly edition of Keeping children safe in education, for example): read it beside the DSL's own list."
        ),
        None => "The policy's date could not be read from its version or its document's title, so every change in national guidance this review knows of is listed. This review does not know every change (it does not follow each yearly edition of Keeping children safe in education, for example): read it beside the DSL's own list.".into(),
    }));
    let open = review.guidance.iter().filter(|g| !g.addressed).count();
    out.push(Block::Paragraph(if review.guidance.is_empty() {
        "No change in national guidance known to this review took effect after the policy's date."
            .into()
    } else {
        format!(
            "{} {}; {open} of them not spoken to by any of the policy's own rules.",
            count(review.guidance.len(), "change", "changes"),
            if review.dated.is_some() {
                "since the policy's date"
            } else {
                "listed"
            },
        )
    }));
    // Those not addressed first: they are what the review must act on.
    let ordered = review
        .guidance
        .iter()
        .filter(|g| !g.addressed)
        .chain(review.guidance.iter().filter(|g| g.addressed));
    for g in ordered {
        guidance_note(out, g);
    }
}

fn guidance_note(out: &mut Vec<Block>, g: &GuidanceNote) {
    out.push(Block::Subheading(format!(
        "{} (took effect {})",
        g.change.title, g.took_effect
    )));
    out.push(Block::Paragraph(g.change.what_changed.into()));
    out.push(Block::Paragraph(format!("Source: {}.", g.change.source)));
    let set_aside = if g.set_aside {
        " The policy also sets aside a national rule that carries this change, in favour of its own: check that its own rule meets this guidance."
    } else {
        ""
    };
    out.push(Block::Paragraph(if g.addressed {
        format!(
            "Touched on: a rule of the policy's own, under {}, speaks to this topic. That does not mean it meets the guidance (the rule may be older than it): check its text against the guidance.{set_aside}",
            quoted(&g.addressed_in)
        )
    } else {
        format!(
            "Not addressed: none of the policy's own rules speaks to this topic.{set_aside}"
        )
    }));
}

fn devices_blocks(
    out: &mut Vec<Block>,
    heading: &str,
    intro: &str,
    none: &str,
    lines: &Lines<super::DevicesNote>,
) {
    out.push(Block::Heading(heading.into()));
    if lines.lines.is_empty() {
        out.push(Block::Paragraph(none.into()));
        return;
    }
    out.push(Block::Paragraph(intro.into()));
    for line in &lines.lines {
        out.push(Block::Item(if line.sections.is_empty() {
            format!("{}.", capitalise(&line.text))
        } else {
            format!(
                "{} (the policy: {}).",
                capitalise(&line.text),
                quoted(&line.sections)
            )
        }));
    }
    more(out, lines.more);
}

fn more(out: &mut Vec<Block>, n: usize) {
    if n > 0 {
        out.push(Block::Paragraph(format!(
            "And {} more, not listed here.",
            count(n, "line", "lines")
        )));
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Rules grouped by area, each area a subheading.
fn rule_blocks(out: &mut Vec<Block>, rules: &[RuleNote]) {
    for area in [Area::Sexting, Area::Devices, Area::Images, Area::Escalation] {
        let mut first = true;
        for r in rules.iter().filter(|r| r.area == area) {
            if first {
                out.push(Block::Subheading(area.title().into()));
                first = false;
            }
            out.push(Block::Item(format!("{} ({})", r.summary, r.cited)));
        }
    }
}

fn blocks(review: &Review) -> Vec<Block> {
    let mut out = vec![Block::Title(format!(
        "Annual review of the online-safety policy: {}",
        review.name
    ))];
    out.push(Block::Paragraph(format!(
        "Policy version: {}. Document: {}.",
        review.version, review.source
    )));
    out.push(Block::Paragraph(
        "This report compares the policy with current national guidance for England, for the governing body and the designated safeguarding lead to review each year.".into(),
    ));
    guidance_blocks(&mut out, review);
    devices_blocks(
        &mut out,
        "Where the policy is stricter than national guidance",
        "Phones and other devices: national guidance allows these, and the policy does not.",
        "Phones and other devices: the policy forbids nothing that national guidance allows.",
        &review.stricter,
    );
    devices_blocks(
        &mut out,
        "Where the policy allows more than national guidance",
        "Phones and other devices: the policy allows these, and national guidance does not. The rules every school must keep still apply whatever the policy says.",
        "Phones and other devices: the policy allows nothing that national guidance forbids.",
        &review.allows_more,
    );
    out.push(Block::Heading(
        "What the policy says in its own words".into(),
    ));
    if review.own_rules.is_empty() {
        out.push(Block::Paragraph(
            "The policy has no rules of its own: it follows national guidance throughout.".into(),
        ));
    } else {
        out.push(Block::Paragraph(
            "The policy's own rules, which add to or reword national guidance, with the section of its document each comes from.".into(),
        ));
        rule_blocks(&mut out, &review.own_rules);
    }
    out.push(Block::Heading(
        "Where the policy relies on national defaults".into(),
    ));
    let (required, defaults): (Vec<RuleNote>, Vec<RuleNote>) = review
        .national_defaults
        .iter()
        .cloned()
        .partition(|r| r.required);
    out.push(Block::Paragraph(format!(
        "These national rules apply to the school as national guidance words them, because the policy does not word them itself: {} every school must keep, and {} the school could change.",
        count(required.len(), "rule", "rules"),
        count(defaults.len(), "default", "defaults")
    )));
    if !defaults.is_empty() {
        out.push(Block::Subheading(
            "National defaults the school could change".into(),
        ));
        for r in &defaults {
            out.push(Block::Item(format!(
                "{}: {} ({})",
                r.area.title(),
                r.summary,
                r.cited
            )));
        }
    }
    if !required.is_empty() {
        out.push(Block::Subheading("Rules every school must keep".into()));
        for r in &required {
            out.push(Block::Item(format!(
                "{}: {} ({})",
                r.area.title(),
                r.summary,
                r.cited
            )));
        }
    }
    out.push(Block::Heading(
        "National defaults the policy sets aside".into(),
    ));
    if review.set_aside.is_empty() {
        out.push(Block::Paragraph(
            "None: every national default still applies unless the policy words it its own way."
                .into(),
        ));
    } else {
        out.push(Block::Paragraph(
            "The policy removes these national defaults in favour of its own rules.".into(),
        ));
        for r in &review.set_aside {
            out.push(Block::Item(format!(
                "{}: {} ({})",
                r.area.title(),
                r.summary,
                r.cited
            )));
        }
    }
    out.push(Block::Heading("Contradictions and gaps".into()));
    if review.findings.lines.is_empty() {
        out.push(Block::Paragraph(
            "The check of the policy's rules on phones and other devices found no contradictions and no gaps.".into(),
        ));
    } else {
        out.push(Block::Paragraph(
            "From a check of the policy's rules on phones and other devices against every request they could be asked.".into(),
        ));
        for f in &review.findings.lines {
            out.push(Block::Item(f.clone()));
        }
        more(&mut out, review.findings.more);
    }
    out.push(Block::About(format!(
        "About this report: policy {}, version {}, digest {}; compared with the national baseline version {}; safeguard {}.",
        review.policy.id,
        review.policy.version,
        review.policy.digest,
        review.national.version,
        crate::ENGINE_VERSION
    )));
    out
}

impl Review {
    /// The report as Markdown: every string escaped, so it shows exactly
    /// these words.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let mut in_list = false;
        for block in blocks(self) {
            let item = matches!(block, Block::Item(_));
            if in_list && !item {
                out.push('\n');
            }
            in_list = item;
            let _ = match block {
                Block::Title(t) => writeln!(out, "# {}\n", escape_markdown(&t)),
                Block::Heading(t) => writeln!(out, "## {}\n", escape_markdown(&t)),
                Block::Subheading(t) => writeln!(out, "### {}\n", escape_markdown(&t)),
                Block::Paragraph(t) => writeln!(out, "{}\n", escape_markdown(&t)),
                Block::Item(t) => writeln!(out, "- {}", escape_markdown(&t)),
                Block::About(t) => writeln!(out, "---\n\n{}", escape_markdown(&t)),
            };
        }
        out
    }

    /// The report as one self-contained HTML page, for print: no script,
    /// nothing loaded from elsewhere, every string HTML-escaped.
    pub fn to_html(&self) -> String {
        let esc = |s: &str| html_escape::encode_safe(s).into_owned();
        let mut out = String::from(concat!(
            "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        ));
        let _ = writeln!(out, "<title>Annual review: {}</title>", esc(&self.name));
        out.push_str(concat!(
            "<style>\n",
            "body{font:11pt/1.45 Georgia,\"Times New Roman\",serif;color:#111;max-width:46em;margin:2em auto;padding:0 1em}\n",
            "h1{font-size:1.6em;margin-bottom:.3em}h2{font-size:1.25em;border-bottom:1px solid #888;margin-top:1.8em}\n",
            "h3{font-size:1.05em;margin:1.2em 0 .3em}li{margin:.25em 0}\n",
            ".about{font-size:.85em;color:#444;border-top:1px solid #888;margin-top:2em;padding-top:.5em;word-break:break-all}\n",
            "@page{margin:2cm}\n",
            "@media print{body{max-width:none;margin:0;padding:0}h2,h3{break-after:avoid;page-break-after:avoid}li,p{break-inside:avoid;page-break-inside:avoid}}\n",
            "</style>\n</head>\n<body>\n<main>\n",
        ));
        let mut in_list = false;
        for block in blocks(self) {
            let item = matches!(block, Block::Item(_));
            if in_list && !item {
                out.push_str("</ul>\n");
            } else if item && !in_list {
                out.push_str("<ul>\n");
            }
            in_list = item;
            let _ = match block {
                Block::Title(t) => writeln!(out, "<h1>{}</h1>", esc(&t)),
                Block::Heading(t) => writeln!(out, "<h2>{}</h2>", esc(&t)),
                Block::Subheading(t) => writeln!(out, "<h3>{}</h3>", esc(&t)),
                Block::Paragraph(t) => writeln!(out, "<p>{}</p>", esc(&t)),
                Block::Item(t) => writeln!(out, "<li>{}</li>", esc(&t)),
                Block::About(t) => writeln!(out, "<p class=\"about\">{}</p>", esc(&t)),
            };
        }
        if in_list {
            out.push_str("</ul>\n");
        }
        out.push_str("</main>\n</body>\n</html>\n");
        out
    }
}
