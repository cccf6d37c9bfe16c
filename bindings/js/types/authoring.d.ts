// Types of the `safeguard-engine/authoring` entry: the authoring module,
// which has everything the main entry has (index.d.ts) and adds the
// analyses of a policy (lint, diff, checks, the annual review) and the
// policy builder (questions, contacts, buildPolicy, readAnswers). It is a
// WebAssembly module of its own, loaded with its own `init`: an `Engine`
// of one module cannot be passed to the other (`diff` and `checks` take
// this module's engines). Its `Engine` is declared as extending the main
// entry's for the methods they share; at run time they are two classes.

export * from "./index.js";
import { Engine as DecidingEngine } from "./index.js";
import type {
  Answers,
  ChecksInWords,
  DiffReport,
  InitInput,
  LintReport,
  PolicyId,
  Question,
  ReviewReport,
} from "./index.js";

/** A decision engine with the analyses of its policy. */
export class Engine extends DecidingEngine {
  protected constructor();
  /** A built-in policy; throws `unknown_policy`. */
  static fromPreset(id: PolicyId): Engine;
  /** Your own policy document (validated against the baseline's floor). Default format `"toml"`. */
  static fromPolicy(text: string, format?: "toml" | "json"): Engine;
  /**
   * The devices lint report, as `safeguard lint --json` prints it. Throws a
   * `SafeguardError` with code `too_complex` when the policy's rules cut
   * the request space too finely to analyse within 1 GiB.
   */
  lint(): LintReport;
  /**
   * What this policy allows that `other` denies, and the reverse, over the
   * devices rules: the report `safeguard diff --json` prints. Throws
   * `too_complex` as {@link Engine.lint} does.
   */
  diff(other: Engine): DiffReport;
  /**
   * {@link Engine.lint} of this policy and {@link Engine.diff} against
   * `other`, in plain English line by line, with no rule id (as `safeguard
   * lint` and `safeguard diff` word them, without their `Rule ids:`
   * lines). Throws `too_complex` as {@link Engine.lint} does.
   */
  checks(other: Engine): ChecksInWords;
  /**
   * The annual review of the policy, for governors and the DSL, as
   * `safeguard review` reports it, with its Markdown and printable HTML.
   * Throws `too_complex` as {@link Engine.lint} does.
   */
  review(): ReviewReport;
}

/**
 * The policy builder's question model, in the order a person is asked:
 * each question with its choices and the national default (the baseline's).
 */
export function questions(): Question[];
/** A person or local body a school may name (`contacts()`). */
export interface Contact {
  /** The engine's token, as an answers file's `roles` or `bodies` names it. */
  who: string;
  /** Its name in words, as a heading ("Designated Safeguarding Lead (DSL)"). */
  label: string;
}
/**
 * The people (the answers file's `roles`) and the local bodies (`bodies`) a
 * school may name, in the order the terminal offers them.
 */
export function contacts(): { people: Contact[]; bodies: Contact[] };
/**
 * The policy TOML a school's answers build (an answers file as an object or
 * JSON text), loaded and checked as `safeguard policy new --answers` does.
 * Throws `SafeguardError` (`missing_field` for an answer that departs from
 * national guidance without a citation, `invalid_value` at the answer's
 * path, `floor_violation`, ...).
 */
export function buildPolicy(answers: Answers | string): string;
/**
 * An answers file, TOML or JSON text (default `"json"`), read as the builder
 * reads it and given back as an object (`json::read_answers`): a school's
 * TOML file can be reopened and built from JSON unchanged. Only its shape is
 * checked; throws `SafeguardError` at the file's path.
 */
export function readAnswers(text: string, format?: "toml" | "json"): Answers;
/**
 * Loads the authoring WebAssembly module; call once and await it before
 * anything else. In the browser build it fetches
 * `safeguard_authoring_bg.wasm` next to the script unless given the module
 * or its bytes. In the Node build the module is already loaded and this
 * does nothing.
 */
export default function init(
  input?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<unknown>;

/** Loads the module synchronously from its bytes or a compiled module. */
export function initSync(module: { module: BufferSource | WebAssembly.Module } | BufferSource | WebAssembly.Module): unknown;
