//! `safeguard`: the rules engine from the command line.
//!
//! ```text
//! safeguard eval [--policy ID|PATH] [--domain D] [--explain | --explain-json] [--jsonl] [FILE|-]
//! safeguard presets
//! safeguard policy show ID [--resolved]
//! safeguard policy check PATH
//! safeguard policy new [--answers FILE | --save-answers FILE] [-o OUT]
//! safeguard lint ID|PATH [--json] [--memory-limit MIB]
//! safeguard diff ID|PATH ID|PATH [--json] [--memory-limit MIB]
//! safeguard review ID|PATH [--html] [-o FILE] [--memory-limit MIB]
//! safeguard image inspect FILE [--explain]
//! safeguard image strip FILE -o OUT [--in-place]
//! ```
//! plus the global `--json-errors`.
//!
//! The CLI is a thin shell around `safeguard-engine`: it reads files, picks the
//! policy, and prints; every decision and every error comes from the engine
//! unchanged, so the CLI answers exactly as the library, the C ABI and the
//! bindings do for the same request. Its own concerns are the ones a shell
//! user and a script both have:
//! - **Exit codes a script can branch on**: 0 success; 2 the input was wrong
//!   (a bad request, policy or image: any engine error but `internal`; and
//!   usage errors, clap's own or a command's, such as `image strip` asked to
//!   overwrite its input); 1 reading or writing failed, or the engine hit a
//!   bug.
//! - **Errors on stderr** as `error[<code>]: <message>` for people, or with
//!   `--json-errors` as the engine's own JSON error object for programs.
//! - **No policy given** means each request is decided under the preset its
//!   `"policy"` field names, so a file of requests for different schools can
//!   be run through one command.
//!
//! Modules: [`builder`] (a school's policy from its answers to the
//! question model), [`ask`] (the questions asked in a terminal), [`eval`] (single and JSONL evaluation; `--explain` prints the
//! engine's own plain-English explanation, `--explain-json` its JSON), [`scenario`] (running example files as they
//! stand), [`input`] (reading requests and policies safely), [`policies`]
//! (listing, showing and checking policies), [`lint`] (linting and
//! diffing policies), [`review`] (the annual review report), [`image`] (a photo's location and identifying
//! metadata, and a copy without the location), [`failure`] (errors and exit
//! codes).
#![forbid(unsafe_code)]

mod ask;
mod builder;
mod eval;
mod failure;
mod image;
mod input;
mod lint;
mod policies;
mod review;
mod scenario;

use clap::{Parser, Subcommand, ValueEnum};
use failure::{Failure, EXIT_BAD_INPUT, EXIT_OK};
use safeguard_engine::Domain;
use std::path::PathBuf;
use std::process::ExitCode;

/// Decide school online-safety questions under a school's policy.
#[derive(Debug, Parser)]
#[command(name = "safeguard", version, about, long_about = None)]
struct Cli {
    /// Report errors on stderr as one JSON object, `{"schema_version":1,"error":{"code",...}}`.
    #[arg(long, global = true)]
    json_errors: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate a request (JSON) and print the decision.
    Eval(EvalArgs),
    /// List the built-in policies: id, name and version, tab-separated.
    Presets,
    /// Show or check policy documents.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Lint a policy's device rules over every possible request:
    /// contradictions, shadowed rules, uncovered requests, floor loosening.
    /// Exits 0 whatever it finds; 2 with `too_complex` when the rules cut
    /// the request space too finely to analyse within the memory limit.
    Lint {
        /// A preset id or a policy file (.toml, or .json).
        #[arg(value_name = "ID|PATH")]
        policy: String,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// The most memory the analysis may use, in MiB.
        #[arg(long, value_name = "MIB", default_value_t = lint::DEFAULT_MEMORY_MIB, value_parser = clap::value_parser!(u64).range(1..))]
        memory_limit: u64,
    },
    /// Show what policy A allows that policy B denies, and the reverse,
    /// over every possible devices request.
    Diff {
        /// A preset id or a policy file.
        #[arg(value_name = "A")]
        a: String,
        /// A preset id or a policy file.
        #[arg(value_name = "B")]
        b: String,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// The most memory the analysis may use, in MiB.
        #[arg(long, value_name = "MIB", default_value_t = lint::DEFAULT_MEMORY_MIB, value_parser = clap::value_parser!(u64).range(1..))]
        memory_limit: u64,
    },
    /// Write the annual review of a policy for governors and the DSL:
    /// national guidance changed since its date that it does not address,
    /// where it is stricter than national guidance and where it relies on
    /// it, contradictions and gaps. Markdown, or a printable HTML page.
    Review {
        /// A preset id or a policy file (.toml, or .json).
        #[arg(value_name = "ID|PATH")]
        policy: String,
        /// Write a self-contained HTML page (for print) instead of Markdown.
        #[arg(long)]
        html: bool,
        /// Where to write the report; standard output without it.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The most memory each analysis may use, in MiB.
        #[arg(long, value_name = "MIB", default_value_t = lint::DEFAULT_MEMORY_MIB, value_parser = clap::value_parser!(u64).range(1..))]
        memory_limit: u64,
    },
    /// Check a photo for location and identifying metadata, or write a copy
    /// without the location.
    #[command(subcommand)]
    Image(ImageCommand),
}

#[derive(Debug, clap::Args)]
struct EvalArgs {
    /// A preset id or a policy file (.toml, or .json). Without it each
    /// request is decided under the preset its "policy" field names.
    #[arg(long, value_name = "ID|PATH")]
    policy: Option<String>,

    /// The domain, for requests that leave out their "domain" field.
    #[arg(long, value_enum, value_name = "DOMAIN")]
    domain: Option<DomainArg>,

    /// Explain the decision in plain English instead of printing JSON.
    #[arg(long, conflicts_with = "jsonl")]
    explain: bool,

    /// Print the explanation as one line of JSON (with --jsonl, one per
    /// line): the headline, steps, questions, rules and the "text" --explain
    /// prints, as the C, Python and JavaScript bindings give it.
    #[arg(long, conflicts_with_all = ["explain", "domain"])]
    explain_json: bool,

    /// One request per input line, one response (or error object) per output line.
    #[arg(long)]
    jsonl: bool,

    /// The request file (or a scenario file with a "request" object); `-` is stdin.
    #[arg(value_name = "FILE", default_value = "-")]
    file: PathBuf,
}

#[derive(Debug, Subcommand)]
enum PolicyCommand {
    /// Print a preset's TOML as written, or with --resolved the complete policy.
    Show {
        /// A preset id (or a policy file).
        #[arg(value_name = "ID")]
        id: String,
        /// Print the resolved policy: every inherited rule spelled out.
        #[arg(long)]
        resolved: bool,
    },
    /// Load a policy file (.toml or .json) and check it against the floor.
    Check {
        #[arg(value_name = "PATH")]
        path: PathBuf,
    },
    /// Write a school's policy (TOML, extending the national baseline) from
    /// its answers to the question model: from an answers file
    /// (schema/answers.schema.json), or, without --answers, by asking the
    /// questions in the terminal (Enter keeps the national default, ? shows
    /// help, - skips).
    New {
        /// The answers file (.toml, or .json).
        #[arg(long, value_name = "FILE")]
        answers: Option<PathBuf>,
        /// When asking in the terminal: where to save the answers (.toml, or
        /// .json), to give them back later with --answers.
        #[arg(long, value_name = "FILE", conflicts_with = "answers")]
        save_answers: Option<PathBuf>,
        /// Where to write the policy; without it, standard output (with
        /// --answers) or the file the terminal session asks for.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum ImageCommand {
    /// Report what a photo (JPEG, PNG, TIFF, WebP, HEIC, AVIF) carries:
    /// location and identifying fields, as one line of JSON.
    Inspect {
        /// The image file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Explain in plain English instead of printing JSON.
        #[arg(long)]
        explain: bool,
    },
    /// Write a copy of a photo without its location metadata (and, with
    /// --all-identifying, without the photographer, owner, copyright,
    /// serial numbers, dates, titles, captions, keywords and name tags);
    /// the picture itself is copied byte for
    /// byte. Reports what was removed on stderr.
    Strip {
        /// The image file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Where to write the copy (replaced atomically if it exists).
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
        /// Allow OUT to be FILE itself, replacing the original.
        #[arg(long)]
        in_place: bool,
        /// Remove the identifying metadata too: photographer, owner,
        /// copyright, camera and lens serial numbers, dates and times,
        /// titles, captions, comments, keywords and name tags.
        #[arg(long)]
        all_identifying: bool,
    },
}

/// The wire domains, as command-line values.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum DomainArg {
    Sexting,
    Devices,
    Images,
    Escalation,
}

impl From<DomainArg> for Domain {
    fn from(d: DomainArg) -> Self {
        match d {
            DomainArg::Sexting => Domain::Sexting,
            DomainArg::Devices => Domain::Devices,
            DomainArg::Images => Domain::Images,
            DomainArg::Escalation => Domain::Escalation,
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let json_errors = cli.json_errors;
    match run(cli) {
        Ok(code) => code,
        // The reader closed stdout (`| head`): stop quietly.
        Err(failure) if failure.is_broken_pipe() => ExitCode::from(EXIT_OK),
        Err(failure) => {
            if json_errors {
                eprintln!("{}", failure.to_json());
            } else {
                eprintln!("{}", failure.to_text());
            }
            failure.exit_code()
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Eval(args) => {
            let engine = args.policy.as_deref().map(input::load_policy).transpose()?;
            let domain = args.domain.map(Domain::from);
            let style = if args.explain {
                eval::Style::Explain
            } else if args.explain_json {
                eval::Style::ExplainJson
            } else {
                eval::Style::Json
            };
            if args.jsonl {
                eval::jsonl(engine.as_ref(), &args.file, domain, style)
            } else {
                eval::single(engine.as_ref(), &args.file, domain, style)
            }
        }
        Command::Presets => policies::list().map(|()| ExitCode::from(EXIT_OK)),
        Command::Policy(PolicyCommand::Show { id, resolved }) => {
            policies::show(&id, resolved).map(|()| ExitCode::from(EXIT_OK))
        }
        Command::Policy(PolicyCommand::Check { path }) => {
            policies::check(&path).map(|()| ExitCode::from(EXIT_OK))
        }
        Command::Policy(PolicyCommand::New {
            answers,
            save_answers,
            output,
        }) => match answers {
            Some(answers) => builder::new(&answers, output.as_deref()),
            None => builder::interactive(output.as_deref(), save_answers.as_deref()),
        }
        .map(|()| ExitCode::from(EXIT_OK)),
        Command::Lint {
            policy,
            json,
            memory_limit,
        } => lint::lint(&policy, json, memory_limit),
        Command::Diff {
            a,
            b,
            json,
            memory_limit,
        } => lint::diff(&a, &b, json, memory_limit),
        Command::Review {
            policy,
            html,
            output,
            memory_limit,
        } => review::review(&policy, html, output.as_deref(), memory_limit),
        Command::Image(ImageCommand::Inspect { file, explain }) => {
            image::inspect(&file, explain).map(|()| ExitCode::from(EXIT_OK))
        }
        Command::Image(ImageCommand::Strip {
            file,
            output,
            in_place,
            all_identifying,
        }) => {
            let remove = if all_identifying {
                image::Remove::Identifying
            } else {
                image::Remove::Location
            };
            image::strip(&file, &output, in_place, remove).map(|()| ExitCode::from(EXIT_OK))
        }
    }
}

/// A command line clap rejected. Help and version go out as clap prints
/// them; a real usage error exits 2 and, under `--json-errors`, is reported
/// as a JSON object with code `usage` so a program sees one error format.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(if e.use_stderr() {
            EXIT_BAD_INPUT
        } else {
            EXIT_OK
        });
    }
    if std::env::args_os().any(|a| a == "--json-errors") {
        let rendered = e.to_string();
        let message = rendered.lines().next().unwrap_or_default();
        let message = message.strip_prefix("error: ").unwrap_or(message);
        eprintln!("{}", Failure::usage(message).to_json());
    } else {
        let _ = e.print();
    }
    ExitCode::from(EXIT_BAD_INPUT)
}
