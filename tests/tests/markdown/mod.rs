//! Reading Markdown as a reader sees it, for the tests that show no policy
//! or request text can add markup to the engine's Markdown (the
//! explanation's and the review report's). Shared by `explain.rs` and
//! `review.rs` as `mod markdown;`.

use pulldown_cmark::{Event, Options, Parser};

/// The text a reader of `markdown` sees, block by block (each a line).
pub fn markdown_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, Options::all() - Options::ENABLE_SMART_PUNCTUATION) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(_) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// The markup of `markdown` (what is a heading, a list, an item, bold,
/// a link, ...), with each run of text as one `text`.
pub fn markup(markdown: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for event in Parser::new_ext(markdown, Options::all()) {
        let shape = match event {
            Event::Text(_) => "text".to_string(),
            other => format!("{other:?}"),
        };
        if !(shape == "text" && out.last().is_some_and(|l| l == "text")) {
            out.push(shape);
        }
    }
    out
}
