//! The committed C header must be what cbindgen generates from the source.
//! Regenerate with `UPDATE_HEADER=1 cargo test -p safeguard-ffi --test header`.
//!
//! Two things are added to cbindgen's output here, because cbindgen's
//! configuration cannot say them: the `SAFEGUARD_VERSION_*` macros, taken
//! from the crate's version so that they cannot go stale, and plain C
//! comments: the doc comments are written for rustdoc, whose link brackets
//! (``[`sg_evaluate`]``) and `# Safety` headings mean nothing to a C reader.

use std::path::PathBuf;

/// The header as it should be committed.
fn generated_header() -> String {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
    config.after_includes = Some(version_macros());
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    generated
        .lines()
        .map(|line| plain_comment(line) + "\n")
        .collect()
}

/// The version macros, from the crate's version.
fn version_macros() -> String {
    format!(
        "\n// The version of this header: the version of the library it was made\n\
         // for, as sg_version() gives it at run time.\n\
         #define SAFEGUARD_VERSION_MAJOR {}\n\
         #define SAFEGUARD_VERSION_MINOR {}\n\
         #define SAFEGUARD_VERSION_PATCH {}\n\
         #define SAFEGUARD_VERSION \"{}\"",
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION"),
    )
}

/// A line of the header with rustdoc's markup turned into plain words if it
/// is a comment: ``[`name`]`` and ``[`name`](target)`` become `` `name` ``,
/// and `# Safety` becomes `Safety:`. Code lines are returned as they are.
fn plain_comment(line: &str) -> String {
    let Some(at) = line.find("//") else {
        return line.to_owned();
    };
    let (code, comment) = line.split_at(at);
    if !code.trim().is_empty() {
        return line.to_owned();
    }
    if comment.trim_end() == "// # Safety" {
        return format!("{code}// Safety:");
    }
    let mut plain = String::new();
    let mut rest = comment;
    while let Some(open) = rest.find("[`") {
        let Some(close) = rest[open + 2..].find("`]").map(|c| open + 2 + c) else {
            break;
        };
        plain.push_str(&rest[..open]);
        plain.push_str(&rest[open + 1..close + 1]);
        rest = &rest[close + 2..];
        if rest.starts_with('(') {
            if let Some(end) = rest.find(')') {
                rest = &rest[end + 1..];
            }
        }
    }
    plain.push_str(rest);
    format!("{code}{plain}")
}

#[test]
fn committed_header_matches_the_source() {
    let generated = generated_header();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../bindings/c/include/safeguard.h");
    if std::env::var_os("UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "bindings/c/include/safeguard.h is out of date; run UPDATE_HEADER=1 cargo test -p safeguard-ffi --test header"
    );
}

/// The header says what a C caller needs in C's own terms: the version
/// macros, the enums' names where a format or result is passed in, and no
/// rustdoc markup left in a comment.
#[test]
fn the_header_is_plain_c() {
    let header = generated_header();
    let version = format!(
        "#define SAFEGUARD_VERSION \"{}\"\n",
        env!("CARGO_PKG_VERSION")
    );
    assert!(header.contains(&version), "{version}");
    let major = format!(
        "#define SAFEGUARD_VERSION_MAJOR {}\n",
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert!(header.contains(&major), "{major}");
    for typed in [
        "size_t len, sg_format format, sg_engine **out)",
        "const char *sg_error_message(sg_result result);",
    ] {
        assert!(header.contains(typed), "{typed}");
    }
    assert!(!header.contains("uint32_t format"));
    assert!(!header.contains("sg_format_number") && !header.contains("sg_result_number"));
    for markup in ["[`", "`]", "# Safety"] {
        assert!(!header.contains(markup), "{markup}");
    }
}

/// Rustdoc's links and headings become plain words; code is left alone.
#[test]
fn comments_lose_their_rustdoc_markup() {
    let cases = [
        (
            "// freed with [`sg_string_free`]; see [`sg_evaluate`].",
            "// freed with `sg_string_free`; see `sg_evaluate`.",
        ),
        (
            "  // as [`sg_lint`](crate::sg_lint) does",
            "  // as `sg_lint` does",
        ),
        ("// # Safety", "// Safety:"),
        ("// a [`dangling", "// a [`dangling"),
        ("int a[`x`];", "int a[`x`];"),
        ("#endif // [`x`]", "#endif // [`x`]"),
    ];
    for (line, want) in cases {
        assert_eq!(plain_comment(line), want, "{line}");
    }
}
