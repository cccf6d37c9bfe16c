// Types of the `safeguard-engine` package's main entry (the main module:
// deciding, explaining, image metadata; `authoring.d.ts` types the
// `safeguard-engine/authoring` entry, which adds the analyses and the
// policy builder): the engine's API, written by hand, over the wire format (schema_version 1), which `wire.d.ts`
// declares: the requests, the decision, the explanation, the lint report,
// an image's metadata and the error envelope. wire.d.ts is generated from the JSON Schemas
// in schema/ (themselves generated from the Rust types) by
// scripts/gen-types.mjs, and a test fails when it is out of date: change
// the Rust types, never wire.d.ts. Tokens are unions of string literals,
// never `any`. The same declarations serve the browser build (`dist/web`)
// and the Node build (`dist/node`).

export * from "./wire.js";
import type {
  Decision,
  DevicesRequest,
  Domain,
  ErrorCode,
  EscalationRequest,
  FindingKind,
  Explanation,
  GalleryRequest,
  ImageInfo,
  LintReport,
  ImagesRequest,
  Outcome,
  Request,
  SextingRequest,
} from "./wire.js";

/**
 * The id of a built-in policy, `"baseline"` first: a union of string
 * literals that build.sh writes from the engine's own `presets()` (one per
 * file in core/presets/), so a new school needs no edit here.
 */
export type { PresetId } from "../dist/presets.js";
import type { PresetId } from "../dist/presets.js";

export type PolicyId =
  | PresetId
  // A policy loaded with Engine.fromPolicy has its own id.
  | (string & {});

// ---------------------------------------------------------------------------
// Each domain's decision
// ---------------------------------------------------------------------------

/**
 * The outcomes each domain answers with: subsets of the generated
 * `Outcome` (the schema lists them all in one set; `Subset` makes tsc
 * refuse a token the schema does not have). Written by hand: a test checks
 * every scenario's outcome against its domain's list, and that together
 * they are the schema's outcomes.
 */
type Subset<T extends Outcome> = T;
export type SextingOutcome = Subset<
  "child_sexual_abuse" | "refer_immediately" | "need_more_information" | "dsl_may_manage_in_school"
>;
export type DevicesOutcome = Subset<"allow" | "allow_with_conditions" | "deny">;
export type ImagesOutcome = Subset<"publish" | "publish_with_changes" | "block">;
export type EscalationOutcome = Subset<"notify">;

export type SextingDecision = Decision & { domain: "sexting"; outcome: SextingOutcome };
export type DevicesDecision = Decision & { domain: "devices"; outcome: DevicesOutcome };
export type ImagesDecision = Decision & { domain: "images"; outcome: ImagesOutcome };
export type EscalationDecision = Decision & { domain: "escalation"; outcome: EscalationOutcome };

/** The decision type for a request type. */
export type DecisionFor<R> = R extends SextingRequest
  ? SextingDecision
  : R extends DevicesRequest
    ? DevicesDecision
    : R extends ImagesRequest | GalleryRequest
      ? ImagesDecision
      : R extends EscalationRequest
        ? EscalationDecision
        : Decision;

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/**
 * The codes this package throws: every wire code but those only the C ABI
 * (`null_argument`) and the CLI (`io`, `usage`) report.
 */
export type ThrownCode = Exclude<ErrorCode, "null_argument" | "io" | "usage">;

/**
 * What every function of this package throws: an `Error` whose `name` is
 * `"SafeguardError"`. `message` is the engine's message.
 */
export interface SafeguardError extends Error {
  name: "SafeguardError";
  code: ThrownCode;
  /** JSON path of the offending value, e.g. `$.young_people[1].date_of_birth`. */
  path: string | null;
  /** 1-based line and column (policy documents, and JSON syntax errors). */
  line: number | null;
  column: number | null;
  /** The floor rule a `floor_violation` names. */
  rule: string | null;
  /** The wire error object as text: `{"schema_version":1,"error":{...}}`, as the C ABI gives it. */
  json: string;
  /** evaluateMany only: the 0-based index of the request that failed. */
  index?: number;
}

/** One answer a question of the policy builder allows. */
export interface QuestionChoice {
  id: string;
  /** The answer, in plain words. */
  label: string;
  /** True for the choice the national baseline makes. */
  national_default: boolean;
}

/** One decision point of a school's policy (`questions()`). */
export interface Question {
  /** Stable id, `<domain>.<name>`, as an answers file names it. */
  id: string;
  domain: Domain;
  /** The question, in plain words. */
  prompt: string;
  /** What national guidance says, and when to choose otherwise. */
  help: string;
  /** The id of the choice the national baseline makes. */
  default: string;
  /** The question whose rules this one's year groups narrow, or null. */
  narrows: string | null;
  choices: QuestionChoice[];
}

/** A school's answers to the question model (`buildPolicy`). */
export interface Answers {
  school: { id: string; name: string; version: string; source: string };
  /** One per question answered; a question left out keeps national guidance. */
  answers?: {
    question: string;
    choice: string;
    /** Year groups, inclusive, for a question that takes them. */
    years?: [number, number];
    /** Required for any choice but the national default. */
    cite?: { source: string; section: string };
  }[];
  [field: string]: unknown;
}

/** An error in words (`explainError`, and `explain` of a refused request). */
export interface ErrorExplanation {
  kind: "refused";
  /** The wire error object, unchanged. */
  error: { code: ErrorCode; message: string; path?: string; line?: number; column?: number; rule?: string };
  /** What failed, in one sentence. */
  headline: string;
  /** The part of the input that is wrong, in words. */
  field: string;
  /** What belongs there, in words. */
  expected: string;
  /** The whole explanation as one paragraph. */
  text: string;
}

/** The devices diff of two policies (`Engine.diff`, `safeguard diff --json`). */
export interface DiffReport {
  differences: {
    side: "policy" | "other";
    allowed_by: string;
    denied_by: string;
    /** The line in words. */
    message: string;
    [field: string]: unknown;
  }[];
  [field: string]: unknown;
}

/**
 * The devices lint of a policy and its diff against another, line by line
 * in plain English with no rule id, token or field name (`Engine.checks`):
 * what the policy builder's preview shows.
 */
export interface ChecksInWords {
  /** The lint's findings, in the order `safeguard lint` lists them. */
  findings: { kind: FindingKind; text: string }[];
  /**
   * The differences: `side` `"policy"` for what this policy allows and the
   * other refuses, `"other"` for the reverse.
   */
  differences: { side: "policy" | "other"; text: string }[];
}

/** A rule of a policy as a reader sees it (`Engine.review`). */
export interface ReviewRule {
  area: "sexting" | "devices" | "images" | "escalation";
  /** What it says, in words. */
  summary: string;
  /** Where it comes from: the school's section, or a national document and section. */
  cited: string;
  /** A national rule every school must keep. */
  required: boolean;
}

/** A devices line of the review, in words, with the school's sections that decide it. */
export interface ReviewDevicesLine {
  text: string;
  sections: string[];
}

/** A list the review stops at 25 lines; `more` counts the rest. */
export interface ReviewLines<T> {
  lines: T[];
  more: number;
}

/**
 * The annual review of a policy (`Engine.review`, `safeguard review`): the
 * typed report, its Markdown and its printable HTML page (every string
 * escaped by the engine).
 */
export interface ReviewReport {
  policy: { id: string; version: string; digest: string };
  name: string;
  version: string;
  source: string;
  /** The policy's date in words, as read at its earliest; null when none can be read. */
  dated: string | null;
  national: { id: string; version: string; digest: string };
  /** Each change in national guidance on or after the policy's date, oldest first. */
  guidance: {
    change: {
      id: string;
      took_effect: string;
      title: string;
      source: string;
      what_changed: string;
      carried_by: string[];
    };
    /** The date it took effect, in words. */
    took_effect: string;
    /** The policy's own text touches on it. */
    addressed: boolean;
    addressed_in: string[];
    /** The policy removes a national rule that carries it. */
    set_aside: boolean;
  }[];
  /** Devices: what national guidance allows and this policy does not. */
  stricter: ReviewLines<ReviewDevicesLine>;
  /** Devices: what this policy allows and national guidance does not. */
  allows_more: ReviewLines<ReviewDevicesLine>;
  own_rules: ReviewRule[];
  national_defaults: ReviewRule[];
  set_aside: ReviewRule[];
  /** Contradictions and gaps in the devices rules, as sentences. */
  findings: ReviewLines<string>;
  /** The report as Markdown (`safeguard review`). */
  markdown: string;
  /** The report as one self-contained printable HTML page (`safeguard review --html`). */
  html: string;
}

// ---------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------

/**
 * A decision engine: one loaded, validated policy. (The authoring module's
 * `Engine`, `safeguard-engine/authoring`, adds lint, diff, checks and
 * review.)
 */
export class Engine {
  protected constructor();
  /** A built-in policy; throws `unknown_policy`. */
  static fromPreset(id: PolicyId): Engine;
  /** Your own policy document (validated against the baseline's floor). Default format `"toml"`. */
  static fromPolicy(text: string, format?: "toml" | "json"): Engine;
  /** Decides a request given as an object or JSON text. */
  evaluate<R extends Request>(request: R): DecisionFor<R>;
  evaluate(request: string): Decision;
  /** JSON text in, the engine's exact response text out (as Rust, the CLI, C and Python give it). */
  evaluateJson(request: string): string;
  /** Decides requests in order; the first that fails throws with its `index`. */
  evaluateMany(requests: Array<Request | string>): Decision[];
  /**
   * Decides a request and explains the decision in plain English: the
   * headline, the steps, the questions, the rules with their citations and
   * the `text` that every binding and the CLI print alike.
   */
  explain(request: Request | string): Explanation;
  /** {@link Engine.explain} as the engine's exact JSON text. */
  explainJson(request: Request | string): string;
  readonly policyId: string;
  readonly policyVersion: string;
  readonly policyDigest: string;
  /** Releases the engine's memory now; the object must not be used again. */
  free(): void;
}

/** The ids of the built-in policies, `"baseline"` first. */
export function presets(): PolicyId[];
/** Format, location and identifying metadata of an image file (JPEG, PNG, TIFF, WebP, HEIC/AVIF). */
export function inspectImage(bytes: Uint8Array | ArrayBuffer): ImageInfo;
/** The same file without its location metadata; the pixel data is byte-identical. */
export function stripLocation(bytes: Uint8Array | ArrayBuffer): Uint8Array;
/** The same file without its location and without the metadata that identifies a person or a moment (photographer, owner, copyright, serial numbers, dates); the pixel data is byte-identical. */
export function stripIdentifying(bytes: Uint8Array | ArrayBuffer): Uint8Array;
/** The engine's version (`"0.1.0"`). */
export function engineVersion(): string;
/**
 * An error in plain English: a `SafeguardError`'s `json` (or any error
 * envelope the engine writes), as the refusal object `explain` gives.
 * Throws `invalid_argument` for text that is no such error.
 */
export function explainError(errorJson: string): ErrorExplanation;

/** What `init` accepts: the `.wasm` (URL, Response, bytes or compiled module). */
export type InitInput = string | URL | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the WebAssembly module; call once and await it before anything
 * else. In the browser build it fetches `safeguard_wasm_bg.wasm` next to
 * the script unless given the module or its bytes. In the Node build the
 * module is already loaded and this does nothing.
 */
export default function init(
  input?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<unknown>;

/** Loads the module synchronously from its bytes or a compiled module. */
export function initSync(module: { module: BufferSource | WebAssembly.Module } | BufferSource | WebAssembly.Module): unknown;
