// A typed program over every domain, the explanation and (from the
// authoring module) the lint report,
// checked by `tsc --strict --noEmit` and run (tests/types.test.mjs): each request is the generated request type, each
// answer the domain's decision type, and each switch over an outcome is
// exhaustive, so a token added to or removed from the schema breaks it.
import init, {
  Engine,
  type Decision,
  type DevicesDecision,
  type DevicesRequest,
  type EscalationDecision,
  type EscalationRequest,
  type Explanation,
  type GalleryRequest,
  type ImagesDecision,
  type ImagesRequest,
  type Request,
  type SafeguardError,
  type SextingDecision,
  type SextingRequest,
} from "safeguard-engine";
import initAuthoring, { Engine as AuthoringEngine, type ChecksInWords, type LintReport } from "safeguard-engine/authoring";

await init();
await initAuthoring();
const engine: Engine = Engine.fromPreset("hilldene-primary");

function unreachable(value: never): never {
  throw new Error(`not an outcome of its domain: ${String(value)}`);
}

const sexting: SextingRequest = {
  domain: "sexting",
  incident_date: "2025-01-20",
  young_people: [{ id: "a", age: 15, role: "subject" }],
  facts: { adult_involved: "no", coercion_blackmail_or_grooming: "yes" },
};
const s: SextingDecision = engine.evaluate(sexting);
switch (s.outcome) {
  case "child_sexual_abuse":
  case "refer_immediately":
    console.log("refer:", s.referral_to ?? [], s.criteria ?? []);
    break;
  case "need_more_information":
    console.log("ask:", s.unknown_criteria ?? []);
    break;
  case "dsl_may_manage_in_school":
    console.log("review:", (s.review_checklist ?? []).map((c) => c.question));
    break;
  default:
    unreachable(s.outcome);
}

const devices: DevicesRequest = {
  actor: { role: "teacher", works_directly_with_children: true },
  device: { kind: "mobile_phone", owner: "personal" },
  action: "photograph_pupils",
  context: { location: "classroom", period: "lesson", children_present: true },
};
const d: DevicesDecision = engine.evaluate(devices);
switch (d.outcome) {
  case "allow":
    break;
  case "allow_with_conditions":
    console.log("if:", d.conditions);
    break;
  case "deny":
    console.log("on breach:", d.on_breach ?? [], "decided by:", d.decided_by);
    break;
  default:
    unreachable(d.outcome);
}

const images: ImagesRequest = {
  channel: "website",
  media: { kind: "photo", composition: "group", captured_on: "school_device", caption: "Sports day" },
  pupils: [
    { id: "p1", first_name: "Ada", last_name: "Lovelace", on_roll: true, restriction: "none", consent: { website: "yes" } },
  ],
};
const i: ImagesDecision = engine.evaluate(images);
switch (i.outcome) {
  case "publish":
    break;
  case "publish_with_changes":
    console.log("change:", i.changes);
    break;
  case "block":
    for (const b of i.blocked ?? []) console.log(b.pupil ?? "the image", b.reason);
    break;
  default:
    unreachable(i.outcome);
}

const gallery: GalleryRequest = {
  channel: "newsletter",
  roster: images.pupils,
  images: [{ id: "img-1", media: images.media, pupils: ["p1"] }],
};
const g: ImagesDecision = engine.evaluate(gallery);
for (const item of g.gallery ?? []) console.log(item.image, item.outcome, item.changes);

const escalation: EscalationRequest = {
  category: "cyberbullying",
  concern_about: "pupil",
  reported_at: "2025-01-20T10:15",
  flags: { ongoing_or_repeated: true },
};
const e: EscalationDecision = engine.evaluate(escalation);
for (const step of e.actions) console.log(step.who, step.action, step.deadline, step.due);
if (e.outcome !== "notify") unreachable(e.outcome);

// Many requests of any domain: the common decision type.
const all: Request[] = [sexting, devices, images, gallery, escalation];
const decisions: Decision[] = engine.evaluateMany(all);
for (const decision of decisions) console.log(decision.domain, decision.outcome, decision.policy.digest);

// The explanation and the lint report are generated types too.
const explained: Explanation = engine.explain(escalation);
console.log(explained.kind, explained.headline, explained.steps.map((step) => step.who_text));
// The analyses are the authoring module's: its engine has every method of
// the main one, and lint, diff, checks and review.
const authoring: AuthoringEngine = AuthoringEngine.fromPreset("hilldene-primary");
const authored: Decision = authoring.evaluate(sexting);
console.log(authored.outcome);
const report: LintReport = authoring.lint();
console.log(report.counts.contradiction, report.findings.map((finding) => finding.kind));
const words: ChecksInWords = authoring.checks(authoring);
for (const f of words.findings) if (f.kind === "contradiction") console.log(f.text);
for (const d of words.differences) if (d.side !== "policy" && d.side !== "other") unreachable(d.side);

try {
  engine.evaluate('{"domain":"devices","colour":"red"}');
} catch (err) {
  const error = err as SafeguardError;
  console.log(error.code, error.path);
}
engine.free();
