// Types of the `safeguard-engine` package: the engine's API and the wire
// format of requests and responses (schema_version 1). Written by hand
// from shared/spec/vocabulary.md and the JSON Schemas in schema/ (which
// are generated from the Rust types); tokens are unions of string
// literals, never `any`. The same declarations serve the browser build
// (`dist/web`) and the Node build (`dist/node`).

// ---------------------------------------------------------------------------
// Common
// ---------------------------------------------------------------------------

/** `"yes" | "no" | "unknown"`; an omitted tri-state fact means `"unknown"`. */
export type Tri = "yes" | "no" | "unknown";
/** `YYYY-MM-DD`. */
export type DateString = string;
/** `YYYY-MM-DDTHH:MM`, local school time. */
export type LocalDateTime = string;

/**
 * The id of a built-in policy, `"baseline"` first: a union of string
 * literals that build.sh writes from the engine's own `presets()` (one per
 * file in core/presets/), so a new school needs no edit here.
 */
export type { PresetId } from "../dist/presets";
import type { PresetId } from "../dist/presets";

export type PolicyId =
  | PresetId
  // A policy loaded with Engine.fromPolicy has its own id.
  | (string & {});

export type Domain = "sexting" | "devices" | "images" | "escalation";

/** Fields every request may carry. */
interface RequestBase {
  /** May be omitted; means 1. */
  schema_version?: 1;
  /** When given, must name the engine's policy (else `policy_mismatch`). */
  policy?: PolicyId | null;
}

// ---------------------------------------------------------------------------
// sexting
// ---------------------------------------------------------------------------

export type PartyRole = "subject" | "sender" | "recipient" | "sharer";

export interface YoungPerson {
  id: string;
  age?: number | null;
  date_of_birth?: DateString | null;
  additional_needs?: boolean | null;
  role: PartyRole;
}

export interface SextingFacts {
  adult_involved?: Tri;
  coercion_blackmail_or_grooming?: Tri;
  financially_motivated_extortion?: Tri;
  capacity_to_consent_concern?: Tri;
  content_atypical_for_development?: Tri;
  content_violent?: Tri;
  content_sexual_acts?: Tri;
  ai_generated_or_manipulated?: Tri;
  immediate_risk_of_harm?: Tri;
  shared_widely?: Tri;
  previous_incidents?: Tri;
  parental_involvement_would_risk_child?: Tri;
}

export interface SextingRequest extends RequestBase {
  domain?: "sexting" | null;
  incident_date: DateString;
  /** When the incident was reported (for the due times of the answer's steps). */
  reported_at?: LocalDateTime | null;
  young_people: YoungPerson[];
  facts?: SextingFacts;
}

export type SextingOutcome =
  | "child_sexual_abuse"
  | "refer_immediately"
  | "need_more_information"
  | "dsl_may_manage_in_school";

export type Criterion =
  | "adult_involved"
  | "coercion_blackmail_or_grooming"
  | "capacity_to_consent_concern"
  | "content_atypical_for_development"
  | "content_violent"
  | "under_13_sexual_acts"
  | "immediate_risk_of_harm";

export type Referral = "police" | "childrens_social_care";

// ---------------------------------------------------------------------------
// devices
// ---------------------------------------------------------------------------

export type ActorRole =
  | "pupil"
  | "teacher"
  | "teaching_assistant"
  | "support_staff"
  | "senior_leader"
  | "headteacher"
  | "volunteer"
  | "contractor"
  | "governor"
  | "visitor"
  | "parent";

export type DeviceKind = "mobile_phone" | "camera" | "tablet" | "smartwatch";
export type Owner = "personal" | "school";

export type DeviceAction =
  | "bring_on_site"
  | "keep_on_person"
  | "use_calls_messages"
  | "call_emergency_services"
  | "take_photo_video"
  | "photograph_pupils"
  | "contact_pupils_or_parents"
  | "bluetooth_transfer"
  | "join_school_wifi"
  | "access_network_files"
  | "store_pupil_data"
  | "use_for_learning";

export type DeviceLocation =
  | "classroom"
  | "toilets"
  | "changing_room"
  | "sleep_area"
  | "staff_room"
  | "office"
  | "reception"
  | "playground"
  | "corridor"
  | "hall"
  | "offsite_trip"
  | "residential_trip"
  | "exam_room";

export type Period =
  | "lesson"
  | "break"
  | "lunch"
  | "before_school"
  | "after_school"
  | "exam"
  | "school_event"
  | "non_school_day";

export type PermissionFrom = "none" | "teacher" | "senior_leadership" | "headteacher";
export type DeviceException = "none" | "medical" | "send_adjustment" | "young_carer";

export interface Actor {
  role: ActorRole;
  /** Pupils only; Reception = 0. */
  year_group?: number | null;
  works_directly_with_children?: boolean | null;
}

export interface Device {
  kind: DeviceKind;
  owner: Owner;
}

export interface DeviceContext {
  location: DeviceLocation;
  period?: Period | null;
  /** Resolves the period from the policy's timetable when `period` is absent. */
  at?: LocalDateTime | null;
  children_present?: boolean | null;
  emergency?: boolean | null;
  permission_from?: PermissionFrom | null;
  parental_request?: boolean | null;
  subjects_consent?: boolean | null;
  school_device_available?: boolean | null;
  exception?: DeviceException | null;
}

export interface DevicesRequest extends RequestBase {
  domain?: "devices" | null;
  actor: Actor;
  device: Device;
  action: DeviceAction;
  context: DeviceContext;
}

export type DevicesOutcome = "allow" | "allow_with_conditions" | "deny";

export type Condition =
  | "switched_off"
  | "switched_off_out_of_sight"
  | "silent_mode"
  | "bluetooth_off"
  | "hand_in_at_gate"
  | "hand_in_to_office"
  | "staff_areas_only"
  | "under_staff_supervision"
  | "in_presence_of_staff"
  | "withhold_caller_id"
  | "notify_headteacher"
  | "headteacher_permission"
  | "slt_approval"
  | "register_device"
  | "personal_use_only"
  | "delete_before_end_of_day";

export type OnBreach =
  | "confiscate_to_office"
  | "release_to_parent"
  | "report_to_exam_body"
  | "staff_disciplinary";

// ---------------------------------------------------------------------------
// images
// ---------------------------------------------------------------------------

export type Channel =
  | "internal_display"
  | "learning_platform"
  | "website"
  | "online_prospectus"
  | "printed_prospectus"
  | "social_media"
  | "newsletter"
  | "press"
  | "external_presentation"
  | "internal_assessment";

export type ConsentValue = "yes" | "no" | "not_asked" | "withdrawn";
export type Restriction = "none" | "looked_after" | "court_order" | "do_not_photograph";

/** Each omitted consent means `"not_asked"`. */
export interface Consents {
  display?: ConsentValue;
  website?: ConsentValue;
  prospectus?: ConsentValue;
  social_media?: ConsentValue;
  press?: ConsentValue;
  name_with_image?: ConsentValue;
  individual_use?: ConsentValue;
}

export interface Pupil {
  id: string;
  first_name: string;
  last_name: string;
  on_roll: boolean;
  left_on?: DateString | null;
  consent?: Consents;
  /**
   * Omitted (or null) means not recorded: unknown, never `"none"`. The
   * pupil is then ruled out (`restriction_unknown`) until one is recorded.
   */
  restriction?: Restriction | null;
}

export interface Media {
  kind: "photo" | "video";
  composition: "individual" | "group";
  caption?: string | null;
  filename?: string | null;
  tags?: string[];
  credits?: string | null;
  has_geodata?: boolean | null;
  captured_on: "school_device" | "personal_device";
  suitably_dressed?: boolean | null;
}

/** One image and the pupils in it. */
export interface ImagesRequest extends RequestBase {
  domain?: "images" | null;
  channel: Channel;
  media: Media;
  pupils: Pupil[];
}

/** One image of a gallery: its pupils are ids in the roster. */
export interface GalleryImage {
  id: string;
  media: Media;
  pupils: string[];
}

/** Many images against one roster (indexed once); answered in `gallery`. */
export interface GalleryRequest extends RequestBase {
  domain?: "images" | null;
  channel: Channel;
  roster: Pupil[];
  images: GalleryImage[];
}

export type ImagesOutcome = "publish" | "publish_with_changes" | "block";

/** `exclude_pupil:<id>` names the pupil. */
export type Change =
  | "strip_geodata"
  | "rename_file"
  | "caption_first_names_only"
  | "remove_names"
  | "remove_full_names_from_credits"
  | `exclude_pupil:${string}`;

/** `no_consent:<purpose>` names the consent purpose. */
export type BlockReason =
  | `no_consent:${string}`
  | "restricted"
  | "restriction_unknown"
  | "left_school"
  | "personal_device"
  | "not_suitably_dressed"
  | "individual_permission_needed"
  | "not_covered";

/** A `no_consent:<purpose>` block's recorded answer: refused, withdrawn or never asked (or omitted). */
export type RecordedConsent = "no" | "withdrawn" | "not_asked";

/** A media field whose pupils' names call for a change. */
export type NamedIn = "caption" | "credits" | "filename" | "tags";

export interface Blocked {
  /** Absent when the whole image is blocked. */
  pupil?: string;
  reason: BlockReason;
  rule: string;
  /** `no_consent:<purpose>` only: the consent the request records for the purpose. */
  consent?: RecordedConsent;
}

export interface GalleryItem {
  image: string;
  outcome: ImagesOutcome;
  reasons: Reason[];
  actions: Action[];
  changes: Change[];
  unknowns: string[];
  blocked: Blocked[];
  /** The fields whose names call for a change (`rename_file` covers the file name and the tags); absent when none. */
  named_in?: NamedIn[];
}

// ---------------------------------------------------------------------------
// escalation
// ---------------------------------------------------------------------------

export type Category =
  | "sexting"
  | "online_sexual_abuse"
  | "indecent_images"
  | "radicalisation"
  | "online_hate"
  | "cyberbullying"
  | "inappropriate_content_accidental"
  | "inappropriate_content_deliberate"
  | "filtering_breach"
  | "staff_misuse"
  | "data_breach"
  | "sexual_harassment"
  | "harmful_social_media_post"
  | "inappropriate_contact"
  | "self_harm_content"
  | "device_policy_breach";

export type ConcernAbout =
  | "pupil"
  | "staff"
  | "headteacher"
  | "dsl"
  | "governor"
  | "parent"
  | "external_adult"
  | "unknown";

/**
 * An omitted flag is not known: the plan reads it as not set, and
 * `unknowns` names it (`flags.<flag>`) where setting it would change the
 * route. Send `false` for what is known not to hold.
 */
export interface EscalationFlags {
  immediate_danger?: boolean;
  criminal_offence_suspected?: boolean;
  criminal_offence_unclear?: boolean;
  illegal_material?: boolean;
  on_school_systems?: boolean;
  outside_school?: boolean;
  other_schools_involved?: boolean;
  ongoing_or_repeated?: boolean;
  threat_to_life?: boolean;
  parental_involvement_would_risk_child?: boolean;
  /**
   * A concern about staff that the reporter says does not meet the harm
   * threshold (KCSIE Part four): recorded and dealt with by the headteacher,
   * no LADO step. Ignored when a harm flag is set or the category is itself
   * child protection.
   */
  low_level_concern?: boolean;
}

export interface EscalationRequest extends RequestBase {
  domain?: "escalation" | null;
  category: Category;
  concern_about: ConcernAbout;
  flags?: EscalationFlags;
  reported_at: LocalDateTime;
}

// ---------------------------------------------------------------------------
// The response envelope (SPEC §2)
// ---------------------------------------------------------------------------

export type Request =
  | SextingRequest
  | DevicesRequest
  | ImagesRequest
  | GalleryRequest
  | EscalationRequest;

export type Outcome = SextingOutcome | DevicesOutcome | ImagesOutcome | "notify";

export type ActionToken =
  | "report_to_dsl"
  | "do_not_view_copy_share_delete"
  | "secure_device"
  | "initial_review_meeting"
  | "record_incident"
  | "inform_parents"
  | "refer_to_police"
  | "refer_to_childrens_social_care"
  | "follow_child_sexual_abuse_procedure"
  | "establish_unknown_facts"
  | "escalate_if_concerns_arise"
  | "stop_contact_do_not_pay"
  | "report_to_ceop"
  | "report_remove"
  | "support_victim"
  | "record_decision_not_to_inform_parents"
  | "notify"
  | "preserve_evidence"
  | "quarantine_device"
  | "block_url"
  | "review_filtering"
  | "do_not_view_imagery"
  | "report_url_to_iwf"
  | "delete"
  | "delete_copies"
  | "delete_copies_when_police_direct"
  | "request_removal"
  | "no_blame"
  | "apply_sanctions"
  | "anti_bullying_procedure";

export type Who =
  | "dsl"
  | "deputy_dsl"
  | "online_safety_lead"
  | "headteacher"
  | "deputy_head"
  | "chair_of_governors"
  | "safeguarding_governor"
  | "network_manager"
  | "data_protection_officer"
  | "all_staff"
  | "school_office"
  | "young_person"
  | "parents"
  | "lado"
  | "police"
  | "police_999"
  | "police_101"
  | "childrens_social_care"
  | "ceop"
  | "iwf"
  | "prevent"
  | "local_authority"
  | "online_safety_helpline"
  | "platform_provider"
  | "exam_body";

export type Deadline =
  | "immediately"
  | "end_of_lesson"
  | "same_day"
  | "within_one_working_day"
  | "when_facts_established"
  | "when_service_opens";

export interface Cite {
  source: string;
  section: string;
}

export interface Reason {
  /** Stable rule id, e.g. `devices.floor.no_devices_in_toilets`. */
  rule: string;
  summary: string;
  cite: Cite;
}

export interface Action {
  action: ActionToken;
  who: Who;
  deadline: Deadline;
  /** Absolute local time the step is due (escalation, and sexting with `reported_at`). */
  due?: string;
  detail: string;
  /** The school's own contact for the recipient. */
  contact?: string;
  rule: string;
}

export interface ChecklistItem {
  item: string;
  question: string;
}

export interface PolicyRef {
  id: string;
  version: string;
  /** SHA-256 (hex) of the canonical policy. */
  digest: string;
}

/** Every domain's answer; the domain-specific fields are present only for their domain. */
export interface Decision<O extends Outcome = Outcome> {
  schema_version: 1;
  domain: Domain;
  outcome: O;
  reasons: Reason[];
  /** One ordered plan: each step once, with one deadline; a referral cites the rule that required it. */
  actions: Action[];
  /** devices: what must hold for `allow_with_conditions`. */
  conditions: Condition[];
  /** images: what must change before publishing. */
  changes: Change[];
  /** Facts that would change the outcome if known. */
  unknowns: string[];
  criteria?: Criterion[];
  unknown_criteria?: Criterion[];
  referral_to?: Referral[];
  review_checklist?: ChecklistItem[];
  on_breach?: OnBreach[];
  decided_by?: Who;
  period?: Period;
  blocked?: Blocked[];
  /** Images: the fields whose names call for a change; absent when none. */
  named_in?: NamedIn[];
  gallery?: GalleryItem[];
  policy: PolicyRef;
  engine: string;
}

export type SextingDecision = Decision<SextingOutcome> & { domain: "sexting" };
export type DevicesDecision = Decision<DevicesOutcome> & { domain: "devices" };
export type ImagesDecision = Decision<ImagesOutcome> & { domain: "images" };
export type EscalationDecision = Decision<"notify"> & { domain: "escalation" };

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
// Lint (devices)
// ---------------------------------------------------------------------------

export type FindingKind = "contradiction" | "shadowed_rule" | "uncovered" | "loosens_floor";

export interface Tally {
  classes: number;
  requests: number;
}

/** A part of the request space; an absent list means every value. */
export interface Scope {
  roles?: ActorRole[];
  year_groups?: number[];
  devices?: DeviceKind[];
  owner?: Owner[];
  actions?: DeviceAction[];
  locations?: DeviceLocation[];
  periods?: Period[];
  exception?: DeviceException[];
  [dimension: string]: string[] | number[] | undefined;
}

export interface Finding {
  kind: FindingKind;
  rules: string[];
  shadowed_by?: string[];
  message: string;
  count?: Tally;
  scope?: Scope;
  example?: DevicesRequest;
}

export interface LintReport {
  policy: PolicyRef;
  rules: number;
  space: Tally;
  counts: Record<FindingKind, number>;
  uncovered: Tally;
  /** Every denial of a member of staff by a rule carries `staff_disciplinary`. */
  staff_breach_disciplinary: boolean;
  findings: Finding[];
}

// ---------------------------------------------------------------------------
// Image metadata
// ---------------------------------------------------------------------------

export type ImageFormat = "jpeg" | "png" | "tiff" | "webp" | "heic" | "avif";
export type LocationField = "exif_gps" | "xmp_location" | "iptc_location";
export type IdentifyingField =
  | "artist"
  | "owner_name"
  | "copyright"
  | "camera_serial"
  | "lens_serial"
  | "date_taken"
  | "contact_info"
  | "descriptive_text";
export type MetadataSource = "exif" | "xmp" | "iptc" | "png_text" | "jpeg_comment";

export interface ImageInfo {
  format: ImageFormat;
  /** Whether any location metadata is present. */
  has_location: boolean;
  /** The position (WGS 84 decimal degrees), when one could be read. */
  location: { latitude: number; longitude: number } | null;
  location_fields: LocationField[];
  /** Which identifying fields are present (never their values). */
  identifying: { field: IdentifyingField; sources: MetadataSource[] }[];
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

export type ErrorCode =
  | "invalid_json"
  | "invalid_toml"
  | "unknown_field"
  | "missing_field"
  | "duplicate_field"
  | "invalid_value"
  | "invalid_date"
  | "too_large"
  | "unknown_policy"
  | "policy_mismatch"
  | "unsupported_domain"
  | "floor_violation"
  | "invalid_image"
  | "unsupported_image"
  /** A policy too finely cut to lint within the memory or work limit. */
  | "too_complex"
  | "internal"
  /** A string holding a lone surrogate (text that is not UTF-8, as every binding names it). */
  | "invalid_utf8"
  /** An argument of the wrong JavaScript type (as every binding names it). */
  | "invalid_argument";

/**
 * What every function of this package throws: an `Error` whose `name` is
 * `"SafeguardError"`. `message` is the engine's message.
 */
export interface SafeguardError extends Error {
  name: "SafeguardError";
  code: ErrorCode;
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

/**
 * A decision in plain English (the engine's `Explanation`). The sentences
 * never hold a token, a rule id or a JSON path; those stay in the fields
 * named for programs.
 */
export interface Explanation {
  domain: Domain;
  outcome: string;
  /** The answer in one sentence. */
  headline: string;
  /** The whole explanation as plain text, wrapped to 78 columns. */
  text: string;
  [field: string]: unknown;
}

// ---------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------

/** A decision engine: one loaded, validated policy. */
export class Engine {
  private constructor();
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
  /**
   * The devices lint report, as `safeguard lint --json` prints it. Throws a
   * `SafeguardError` with code `too_complex` when the policy's rules cut
   * the request space too finely to analyse within 1 GiB.
   */
  lint(): LintReport;
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
