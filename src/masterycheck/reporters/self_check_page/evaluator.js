/* masterycheck self-check page: the evaluator.
 *
 * The same semantics as the Python engine (masterycheck.core): three-valued (Kleene) rules,
 * dates kept as the range of days they may mean, derived years counted to the programme's
 * date, hub-to-confirm cases, verdict, desirable score, path to eligibility, evidence
 * checklist, window status and the interview's next-question choice. It reads the data the
 * page embeds (generated from the compiled criteria files) and touches no DOM, no storage
 * and no network: the page's script (ui.js) and the tests (node) call it.
 */
(function (root) {
  "use strict";

  var MET = "met", NOT_MET = "not_met", UNKNOWN = "unknown";
  var TIER_WORDS = ["essential", "essential, self-assessment", "desirable",
    "desirable, self-assessment"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var YES = ["yes", "y", "true", "t", "1"], NO = ["no", "n", "false", "f", "0"];
  var DATE_FORMS = "a year (2019), a month (2019-07) or a date (2019-07-15)";

  // --- Kleene logic ------------------------------------------------------------------------

  function kleeneAnd(outcomes) {
    var result = MET;
    for (var i = 0; i < outcomes.length; i++) {
      if (outcomes[i] === NOT_MET) return NOT_MET;
      if (outcomes[i] === UNKNOWN) result = UNKNOWN;
    }
    return result;
  }

  function kleeneOr(outcomes) {
    var result = NOT_MET;
    for (var i = 0; i < outcomes.length; i++) {
      if (outcomes[i] === MET) return MET;
      if (outcomes[i] === UNKNOWN) result = UNKNOWN;
    }
    return result;
  }

  function kleeneNot(outcome) {
    return outcome === MET ? NOT_MET : outcome === NOT_MET ? MET : UNKNOWN;
  }

  function union(groups) {
    var seen = [];
    for (var i = 0; i < groups.length; i++) {
      for (var j = 0; j < groups[i].length; j++) {
        if (seen.indexOf(groups[i][j]) < 0) seen.push(groups[i][j]);
      }
    }
    return seen;
  }

  // --- dates -------------------------------------------------------------------------------

  function daysInMonth(year, month) {
    return new Date(Date.UTC(year, month, 0)).getUTCDate();
  }

  function months(firstYear, firstMonth, lastYear, lastMonth) {
    if (firstMonth < 1 || firstMonth > 12 || lastMonth < 1 || lastMonth > 12) return null;
    if (firstYear < 1 || lastYear > 9999) return null;
    return { e: [firstYear, firstMonth, 1], l: [lastYear, lastMonth, daysInMonth(lastYear, lastMonth)] };
  }

  function isoDay(text) {
    var m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
    if (!m) return null;
    var y = +m[1], mo = +m[2], d = +m[3];
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
    return [y, mo, d];
  }

  /* A date answer as a profile file gives it: a year, an academic year (2016/17), a month or
   * a day, read in the order the Python reader tries them ("2011-12" is the academic year
   * 2011/12, which holds both of its readings). Null when it is none of these. */
  function parseDate(text) {
    text = text.trim();
    var m = /^(\d{4})$/.exec(text);
    if (m) return months(+m[1], 1, +m[1], 12);
    m = /^(\d{4})\s*(?:\/|-|\u2013|to)\s*(\d{2}|\d{4})$/.exec(text);
    if (m) {
      var start = +m[1], end = +m[2];
      var follows = m[2].length === 4 ? end === start + 1 : end === (start + 1) % 100;
      if (follows) return months(start, 9, start + 1, 8);
    }
    m = /^(\d{4})-(\d{1,2})$/.exec(text);
    if (m) return months(+m[1], +m[2], +m[1], +m[2]);
    var day = isoDay(text);
    return day ? { e: day, l: day } : null;
  }

  function parseIso(text) {
    return text ? isoDay(text) : null;
  }

  function before(a, b) {
    return a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];
  }

  function wholeYears(start, end) {
    var years = end[0] - start[0];
    if (end[1] < start[1] || (end[1] === start[1] && end[2] < start[2])) years -= 1;
    return years;
  }

  function yearsBetween(since, reference) {
    return { low: wholeYears(since.l, reference), high: wholeYears(since.e, reference) };
  }

  function dayNumber(day) {
    return Date.UTC(day[0], day[1] - 1, day[2]) / 86400000;
  }

  function longDate(day) {
    return day[2] + " " + MONTHS[day[1] - 1] + " " + day[0];
  }

  function isoText(day) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return String(day[0]).padStart(4, "0") + "-" + two(day[1]) + "-" + two(day[2]);
  }

  // --- answers -----------------------------------------------------------------------------

  function isRange(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value) && "low" in value;
  }

  function isDate(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value) && "e" in value;
  }

  /* Read the text of one answer (as the fragment or a form control gives it) for a field:
   * {value} (null for "don't know") or {problem} naming what is accepted. */
  function readAnswer(field, text) {
    text = String(text).trim();
    if (text === "") return { value: null };
    var word = text.toLowerCase();
    if (field.type === "yes_no") {
      if (YES.indexOf(word) >= 0) return { value: true };
      if (NO.indexOf(word) >= 0) return { value: false };
      return { problem: "expected yes or no" };
    }
    if (field.type === "whole_number") {
      if (!/^\d{1,4}$/.test(text)) return { problem: "expected a whole number, e.g. 4" };
      var n = parseInt(text, 10);
      if (field.min !== null && n < field.min) return { problem: "expected a whole number of at least " + field.min };
      if (field.max !== null && n > field.max) return { problem: "expected a whole number of at most " + field.max };
      return { value: n };
    }
    if (field.type === "date") {
      var range = parseDate(text);
      return range ? { value: range } : { problem: "expected " + DATE_FORMS };
    }
    var ids = field.choices.map(function (c) { return c[0]; });
    if (field.type === "one_of") {
      return ids.indexOf(text) >= 0 ? { value: text } : { problem: "expected one of: " + ids.join(", ") };
    }
    if (field.type === "many_of") {
      var chosen = [];
      var parts = text.split(/[;,]/);
      for (var i = 0; i < parts.length; i++) {
        var part = parts[i].trim();
        if (!part) continue;
        if (ids.indexOf(part) < 0) return { problem: "expected any of: " + ids.join(", ") };
        if (chosen.indexOf(part) < 0) chosen.push(part);
      }
      return chosen.length ? { value: chosen } : { value: null };
    }
    return { value: text };
  }

  function fieldsById(data) {
    if (!data._byId) {
      data._byId = {};
      data.fields.forEach(function (f, i) { f.order = i; data._byId[f.id] = f; });
    }
    return data._byId;
  }

  /* The answers in a URL fragment ("#qualified_status=qts&key_stages_taught=ks1,ks2"):
   * {answers: id -> value (unknown answers absent), asked: ids in order (an empty value is
   * asked and not known), raw: id -> text, notes}. What cannot be read is left unknown with a
   * note, never guessed. */
  function parseFragment(data, fragment) {
    var byId = fieldsById(data);
    var state = { answers: {}, asked: [], raw: {}, notes: [] };
    fragment = String(fragment || "").replace(/^#/, "");
    if (!fragment) return state;
    fragment.split("&").forEach(function (pair) {
      if (!pair) return;
      var at = pair.indexOf("=");
      var key, text;
      try {
        key = decodeURIComponent((at < 0 ? pair : pair.slice(0, at)).replace(/\+/g, " "));
        text = at < 0 ? "" : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, " "));
      } catch (err) {
        state.notes.push("A part of the address could not be read and was left out.");
        return;
      }
      var field = byId[key];
      if (!field || field.derived) {
        state.notes.push("Not a question of this page, left out: " + key.slice(0, 60));
        return;
      }
      setAnswer(state, field, text);
    });
    return state;
  }

  /* Record one answer's text in a state (as asked); returns the problem, if it was unreadable. */
  function setAnswer(state, field, text) {
    var read = readAnswer(field, text);
    if (state.asked.indexOf(field.id) < 0) state.asked.push(field.id);
    state.raw[field.id] = read.problem ? "" : String(text).trim();
    delete state.answers[field.id];
    if (read.problem) {
      state.notes.push(field.label + ": unreadable answer treated as unknown (" + read.problem + ")");
      return read.problem;
    }
    if (read.value !== null) state.answers[field.id] = read.value;
    return null;
  }

  function formatFragment(state) {
    return state.asked.map(function (id) {
      return encodeURIComponent(id) + "=" + encodeURIComponent(state.raw[id] || "").replace(/%2C/g, ",");
    }).join("&");
  }

  function withDerived(programme, answers) {
    var out = {};
    for (var key in answers) out[key] = answers[key];
    programme.derived.forEach(function (d) {
      var since = answers[d[1]];
      if (isDate(since)) out[d[0]] = yearsBetween(since, parseIso(d[2]));
    });
    return out;
  }

  function display(field, value) {
    if (value === undefined || value === null) return "no answer";
    if (value === true) return "yes";
    if (value === false) return "no";
    if (Array.isArray(value)) {
      if (!value.length) return "none";
      return field.choices.filter(function (c) { return value.indexOf(c[0]) >= 0; })
        .map(function (c) { return c[1]; }).join("; ");
    }
    if (isRange(value)) {
      if (value.high === null) return value.low + "+";
      return value.low === value.high ? String(value.low) : value.low + "\u2013" + value.high;
    }
    if (isDate(value)) return isoText(value.e) === isoText(value.l) ? isoText(value.e) : isoText(value.e) + " to " + isoText(value.l);
    if (field.type === "one_of") {
      for (var i = 0; i < field.choices.length; i++) if (field.choices[i][0] === value) return field.choices[i][1];
    }
    return String(value);
  }

  // --- rules -------------------------------------------------------------------------------

  function finding(outcome, unknown, imprecise) {
    return { o: outcome, unk: unknown || [], imp: imprecise || [] };
  }

  /* Evaluate a rule (as the page's data gives it) against answers (derived values included). */
  function evaluate(rule, answers) {
    var parts, found;
    if (rule.all || rule.any) {
      found = (rule.all || rule.any).map(function (part) { return evaluate(part, answers); });
      var outcome = (rule.all ? kleeneAnd : kleeneOr)(found.map(function (f) { return f.o; }));
      if (outcome !== UNKNOWN) return finding(outcome);
      parts = found.filter(function (f) { return f.o === UNKNOWN; });
      return finding(outcome, union(parts.map(function (f) { return f.unk; })),
        union(parts.map(function (f) { return f.imp; })));
    }
    if (rule.not) {
      found = evaluate(rule.not, answers);
      return finding(kleeneNot(found.o), found.unk, found.imp);
    }
    if (rule.unless) {
      found = evaluate(rule.unless, answers);
      return finding(found.o === MET ? NOT_MET : MET);
    }
    var value = answers[rule.f];
    if (value === undefined || value === null) return finding(UNKNOWN, [rule.f]);
    if (rule.op === "equals") return finding(value === rule.v ? MET : NOT_MET);
    if (rule.op === "in") return finding(rule.v.indexOf(value) >= 0 ? MET : NOT_MET);
    if (rule.op === "has") {
      var hit = Array.isArray(value)
        ? value.some(function (v) { return rule.v.indexOf(v) >= 0; })
        : rule.v.indexOf(value) >= 0;
      return finding(hit ? MET : NOT_MET);
    }
    var low = isRange(value) ? value.low : value, high = isRange(value) ? value.high : value;
    if (rule.op === "gte") {
      if (low >= rule.v) return finding(MET);
      if (high !== null && high < rule.v) return finding(NOT_MET);
    } else {
      if (high !== null && high <= rule.v) return finding(MET);
      if (low > rule.v) return finding(NOT_MET);
    }
    return finding(UNKNOWN, [rule.f], [rule.f]);
  }

  function hubRule(criterion) {
    if (!criterion.hub.length) return null;
    if (!criterion._hub) {
      criterion._hub = criterion.hub.length === 1 ? criterion.hub[0].when
        : { any: criterion.hub.map(function (c) { return c.when; }) };
    }
    return criterion._hub;
  }

  function hubNote(criterion, answers) {
    for (var i = 0; i < criterion.hub.length; i++) {
      if (evaluate(criterion.hub[i].when, answers).o === MET) return criterion.hub[i].note;
    }
    return criterion.hub.length ? criterion.hub[0].note : null;
  }

  // --- the assessment ----------------------------------------------------------------------

  function criterionResult(criterion, answers) {
    var found = evaluate(criterion.rule, answers);
    var waits = found, outcome = found.o, hubToConfirm = false, note = null;
    var hub = hubRule(criterion);
    if (hub && outcome === NOT_MET) {
      var h = evaluate(hub, answers);
      if (h.o === MET) {
        outcome = UNKNOWN; hubToConfirm = true; note = hubNote(criterion, answers);
      } else if (h.o === UNKNOWN) {
        outcome = UNKNOWN; waits = h;
      }
    }
    var missing = [], imprecise = [];
    if (outcome === UNKNOWN && !hubToConfirm) {
      waits.unk.forEach(function (name) {
        (waits.imp.indexOf(name) >= 0 ? imprecise : missing).push(name);
      });
    }
    return {
      id: criterion.id, level: criterion.level, kind: criterion.kind, text: criterion.text,
      outcome: outcome, hub_to_confirm: hubToConfirm, hub_note: note,
      self_declared: criterion.kind === "evidence" && outcome === MET,
      weight: criterion.weight, origin: criterion.origin, missing: missing, imprecise: imprecise
    };
  }

  function decideVerdict(results) {
    var essentials = results.filter(function (r) { return r.level === "essential"; });
    if (essentials.some(function (r) { return r.outcome === NOT_MET; })) return "not_eligible";
    if (essentials.some(function (r) { return r.outcome === UNKNOWN && r.kind === "fact"; })) return "incomplete";
    return "eligible";
  }

  /* Python's round(): halves go to the even neighbour. */
  function roundHalfEven(x) {
    var floor = Math.floor(x), rest = x - floor;
    if (rest > 0.5) return floor + 1;
    if (rest < 0.5) return floor;
    return floor % 2 === 0 ? floor : floor + 1;
  }

  function desirableScore(results) {
    var sum = function (test) {
      return results.filter(function (r) { return r.level === "desirable" && test(r); })
        .reduce(function (total, r) { return total + r.weight; }, 0);
    };
    var met = sum(function (r) { return r.outcome === MET; });
    var total = sum(function () { return true; });
    return {
      met: met, not_met: sum(function (r) { return r.outcome === NOT_MET; }),
      unknown: sum(function (r) { return r.outcome === UNKNOWN; }), total: total,
      self_declared: sum(function (r) { return r.self_declared; }),
      percent: total ? roundHalfEven(100 * met / total) : 0
    };
  }

  function pathToEligibility(data, programme, results, answers) {
    var byId = fieldsById(data), steps = [], questions = [], waiting = {};
    var derivedFrom = {};
    programme.derived.forEach(function (d) { derivedFrom[d[0]] = d[1]; });
    results.forEach(function (result, index) {
      if (result.level !== "essential") return;
      var criterion = programme.criteria[index];
      if (result.outcome === NOT_MET) {
        var action = criterion.action || (criterion.kind === "evidence"
          ? "You answered no to \u201c" + criterion.text + "\u201d: the hub judges it from your application, so apply only if your statement can evidence it"
          : "Meet \u201c" + criterion.text + "\u201d");
        steps.push({ kind: "change", action: action, criteria: [result.id], fields: criterion.fields.rule.slice() });
      } else if (result.hub_to_confirm) {
        steps.push({ kind: "hub", action: "Ask your Maths Hub to confirm: " + result.hub_note,
          criteria: [result.id], fields: criterion.fields.rule.slice() });
      } else if (result.outcome === UNKNOWN && result.kind === "fact") {
        var unknown = evaluate(criterion.rule, answers).unk;
        var hub = hubRule(criterion);
        if (!unknown.length && hub) unknown = evaluate(hub, answers).unk;
        var missing = unknown.map(function (name) { return derivedFrom[name] || name; });
        (missing.length ? missing : criterion.fields.rule).forEach(function (name) {
          if (!waiting[name]) { waiting[name] = []; questions.push(name); }
          if (waiting[name].indexOf(result.id) < 0) waiting[name].push(result.id);
        });
      }
    });
    questions.forEach(function (name) {
      var field = byId[name];
      var vague = answers[name] !== undefined;
      steps.push({
        kind: "answer",
        action: (vague ? "Give a more exact answer (a month or a date) to: " : "Answer: ") + field.question,
        criteria: waiting[name], fields: [name]
      });
    });
    return steps;
  }

  function plural(count) {
    return count === 1 ? "1 day" : count + " days";
  }

  function windowStatus(window, asOf) {
    var opens = parseIso(window.opens), closes = parseIso(window.closes);
    var decisions = parseIso(window.decisions_by);
    var later = window.next_cohort ? " " + window.next_cohort : "";
    var today = dayNumber(asOf), days;
    if (opens && before(asOf, opens)) {
      days = dayNumber(opens) - today;
      var message = "not yet open: opens in " + plural(days) + ", on " + longDate(opens);
      if (closes) message += ", and closes on " + longDate(closes);
      return { state: "not_yet_open", days: days, message: message };
    }
    if (closes) {
      if (!before(closes, asOf)) {
        days = dayNumber(closes) - today;
        return { state: "open", days: days,
          message: "open: " + (days === 0 ? "closes today" : "closes in " + plural(days)) + ", on " + longDate(closes) };
      }
      return { state: "closed", days: today - dayNumber(closes), message: "closed on " + longDate(closes) + "." + later };
    }
    if (decisions && before(decisions, asOf)) {
      return { state: "closed", days: null, message: "closed: no closing date was published, but hubs notified successful applicants by " + longDate(decisions) + "." + later };
    }
    return { state: "not_published", days: null,
      message: "no application dates are published." + (window.note ? " " + window.note : "") };
  }

  /* Everything the engine concludes for one programme: the page's version of assess(). */
  function assess(data, programme, state, asOf) {
    var answers = withDerived(programme, state.answers);
    var results = programme.criteria.map(function (c) { return criterionResult(c, answers); });
    var notes = state.notes.slice();
    if (programme.provisional && programme.provisional_note) notes.unshift(programme.provisional_note);
    if (programme.selection_note) notes.push(programme.selection_note);
    return {
      programme: programme.id, name: programme.name,
      verdict: decideVerdict(results),
      stopped_by: results.filter(function (r) { return r.level === "essential" && r.outcome === NOT_MET; })
        .map(function (r) { return r.id; }),
      criteria: results,
      desirable: desirableScore(results),
      evidence: results.map(function (r, i) { return [r, programme.criteria[i]]; })
        .filter(function (pair) { return pair[0].kind === "evidence"; })
        .map(function (pair) {
          return { criterion: pair[0].id, level: pair[0].level, text: pair[0].text,
            evidence: pair[1].evidence || pair[0].text, self_assessment: pair[0].outcome };
        }),
      path: pathToEligibility(data, programme, results, answers),
      window: windowStatus(programme.window, asOf),
      notes: notes
    };
  }

  var VERDICT_RANK = { eligible: 0, incomplete: 1, not_eligible: 2 };

  /* Why where and what the teacher teaches (the answers to the opening questions alone)
   * rules the programme out: the failed essential fact's action, else its wording; null when
   * it may fit. */
  function misfit(data, programme, answers) {
    var only = {}, any = false;
    data.opening.forEach(function (q) {
      if (answers[q.field] !== undefined) { only[q.field] = answers[q.field]; any = true; }
    });
    if (!any) return null;
    for (var i = 0; i < programme.criteria.length; i++) {
      var c = programme.criteria[i], r = criterionResult(c, only);
      if (c.level === "essential" && c.kind === "fact" && r.outcome === NOT_MET) return c.action || c.text;
    }
    return null;
  }

  /* Programme id -> why it is not for the teacher (phase first); none when every programme
   * would be, so that each report then says why. */
  function notForYou(data, answers) {
    var why = {}, fitting = 0;
    data.programmes.forEach(function (p) {
      var reason = misfit(data, p, answers);
      if (reason === null) fitting += 1; else why[p.id] = reason;
    });
    return fitting ? why : {};
  }

  /* Programmes the teacher's setting rules out last; then eligible, incomplete, not
   * eligible; fewer essentials failing, then fewer unknown, then a higher desirable score
   * (as `check --all` orders them). Stable. */
  function bestFitFirst(assessments) {
    function key(a) {
      return [a.not_for_you ? 1 : 0, VERDICT_RANK[a.verdict], a.stopped_by.length,
        a.criteria.filter(function (r) { return r.level === "essential" && r.outcome === UNKNOWN; }).length,
        -a.desirable.percent];
    }
    return assessments.map(function (a, i) { return [key(a), i, a]; }).sort(function (x, y) {
      for (var k = 0; k < 5; k++) if (x[0][k] !== y[0][k]) return x[0][k] - y[0][k];
      return x[1] - y[1];
    }).map(function (entry) { return entry[2]; });
  }

  /* Every programme assessed, each marked when it is not for the teacher, best fit first. */
  function assessAll(data, state, asOf) {
    var why = notForYou(data, state.answers);
    return bestFitFirst(data.programmes.map(function (p) {
      var a = assess(data, p, state, asOf);
      a.not_for_you = why[p.id] || null;
      return a;
    }));
  }

  // --- the journey: the interview's next-question choice -----------------------------------

  function status(criterion, answers) {
    var rule = evaluate(criterion.rule, answers).o;
    if (rule === MET) return "met";
    if (rule === UNKNOWN) return "open";
    var hub = hubRule(criterion);
    if (!hub) return "not_met";
    var h = evaluate(hub, answers).o;
    return h === MET ? "hub_to_confirm" : h === NOT_MET ? "not_met" : "open";
  }

  function tier(criterion) {
    return (criterion.level === "essential" ? 0 : 2) + (criterion.kind === "evidence" ? 1 : 0);
  }

  function probeValues(field, programme) {
    if (field.type === "yes_no") return [true, false];
    if (field.type === "one_of") return field.choices.map(function (c) { return c[0]; });
    if (field.type === "many_of") {
      var ids = field.choices.map(function (c) { return c[0]; });
      return [[], ids].concat(ids.map(function (id) { return [id]; }));
    }
    if (field.type === "whole_number") {
      return [field.min !== null ? field.min : 0, field.max !== null ? field.max : 10000];
    }
    if (field.type === "date") {
      var ref = parseIso(programme.reference_date);
      return [{ e: ref, l: ref }, { e: [1900, 1, 1], l: [1900, 1, 1] }];
    }
    return ["\u0000"];
  }

  function canSettle(programme, criterion, answers, field) {
    var probes = probeValues(field, programme);
    for (var i = 0; i < probes.length; i++) {
      var tried = {};
      for (var key in answers) tried[key] = answers[key];
      tried[field.id] = probes[i];
      if (status(criterion, withDerived(programme, tried)) !== "open") return true;
    }
    return false;
  }

  function openTargets(programmes, answers) {
    var found = [];
    programmes.forEach(function (programme) {
      var withD = withDerived(programme, answers);
      programme.criteria.forEach(function (c) {
        if (status(c, withD) === "open") found.push({ programme: programme, criterion: c });
      });
    });
    return found;
  }

  function question(field, targets) {
    targets = targets.map(function (t, i) { return [tier(t.criterion), i, t]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; }).map(function (e) { return e[2]; });
    var best = targets.length ? tier(targets[0].criterion) : 3;
    var programmes = [];
    targets.forEach(function (t) { if (programmes.indexOf(t.programme.id) < 0) programmes.push(t.programme.id); });
    return { field: field, targets: targets, tier: best, words: TIER_WORDS[best], programmes: programmes };
  }

  function nextQuestion(data, programmes, answers, asked) {
    if (!programmes.length) return null;
    var byId = fieldsById(data), byField = {}, names = [];
    openTargets(programmes, answers).forEach(function (t) {
      var unasked = t.criterion.fields.sources.filter(function (name) {
        return asked.indexOf(name) < 0 && answers[name] === undefined;
      });
      var decisive = unasked.filter(function (name) {
        return canSettle(t.programme, t.criterion, answers, byId[name]);
      });
      (decisive.length ? decisive : unasked).forEach(function (name) {
        if (!byField[name]) { byField[name] = []; names.push(name); }
        byField[name].push(t);
      });
    });
    if (!names.length) return null;
    function priority(name) {
      var targets = byField[name];
      var best = Math.min.apply(null, targets.map(function (t) { return tier(t.criterion); }));
      var inBest = targets.filter(function (t) { return tier(t.criterion) === best; }).length;
      return [best, -inBest, -targets.length, byId[name].order];
    }
    var chosen = null, chosenKey = null;
    names.forEach(function (name) {
      var key = priority(name);
      var less = chosenKey === null;
      for (var k = 0; !less && k < 4; k++) {
        if (key[k] !== chosenKey[k]) { less = key[k] < chosenKey[k]; break; }
      }
      if (less) { chosen = name; chosenKey = key; }
    });
    return question(byId[chosen], byField[chosen]);
  }

  function screeningQuestion(data, programmes, answers, asked) {
    if (!programmes.length) return null;
    var byId = fieldsById(data);
    var wanted = data.opening.filter(function (q) {
      return !q.when || q.when.in.indexOf(answers[q.when.field]) >= 0;
    });
    for (var i = 0; i < wanted.length; i++) {
      var name = wanted[i].field;
      if (!byId[name] || asked.indexOf(name) >= 0 || answers[name] !== undefined) continue;
      var readers = programmes.filter(function (p) { return p.sources.indexOf(name) >= 0; });
      if (!readers.length) continue;
      var targets = openTargets(readers, answers).filter(function (t) {
        return t.criterion.fields.sources.indexOf(name) >= 0;
      });
      if (targets.length) return question(byId[name], targets);
    }
    return null;
  }

  function ruledOut(programme, answers) {
    var withD = withDerived(programme, answers);
    return programme.criteria.some(function (c) {
      return c.level === "essential" && status(c, withD) === "not_met";
    });
  }

  /* The programmes the next questions are for, as the interview narrows them: those where
   * and what the teacher teaches does not rule out, then of those the ones no answer has
   * ruled out (all of them when every one is, so that the teacher can go on). */
  function activeProgrammes(data, answers) {
    var why = notForYou(data, answers);
    var fitting = data.programmes.filter(function (p) { return !why[p.id]; });
    var active = fitting.filter(function (p) { return !ruledOut(p, answers); });
    return active.length ? active : fitting;
  }

  /* The question to ask next: with several programmes, where and what you teach first. */
  function journeyQuestion(data, state) {
    var active = activeProgrammes(data, state.answers);
    var q = data.programmes.length > 1 ? screeningQuestion(data, active, state.answers, state.asked) : null;
    return q || nextQuestion(data, active, state.answers, state.asked);
  }

  /* Criteria a more exact date (a month or a day, not a year) could still settle. */
  function vagueDateTargets(data, state, fieldId) {
    var value = state.answers[fieldId];
    if (!isDate(value) || isoText(value.e) === isoText(value.l)) return [];
    var found = [];
    data.programmes.forEach(function (programme) {
      var derived = programme.derived.filter(function (d) { return d[1] === fieldId; })
        .map(function (d) { return d[0]; });
      if (!derived.length) return;
      var answers = withDerived(programme, state.answers);
      programme.criteria.forEach(function (c) {
        var vague = c.fields.rule.some(function (name) {
          var r = answers[name];
          return derived.indexOf(name) >= 0 && isRange(r) && r.low !== r.high;
        });
        if (vague && status(c, answers) === "open") found.push({ programme: programme, criterion: c });
      });
    });
    return found;
  }

  // --- the saved profile -------------------------------------------------------------------

  /* The answers as a profile file (YAML) that `masterycheck check --profile` reads. */
  function profileYaml(data, state, today) {
    var byId = fieldsById(data);
    var lines = ["# Answers saved from the Mastery Specialist self-check page on " + isoText(today) + ".",
      "# Check them with: masterycheck check --all --profile FILE"];
    state.asked.forEach(function (id) {
      var field = byId[id], value = state.answers[id], text;
      if (value === undefined) text = JSON.stringify("don't know");
      else if (field.type === "many_of") text = "[" + value.map(function (v) { return JSON.stringify(v); }).join(", ") + "]";
      else if (field.type === "whole_number") text = String(value);
      else if (field.type === "yes_no") text = JSON.stringify(value ? "yes" : "no");
      else text = JSON.stringify(state.raw[id]);
      lines.push(id + ": " + text);
    });
    return lines.join("\n") + "\n";
  }

  var api = {
    MET: MET, NOT_MET: NOT_MET, UNKNOWN: UNKNOWN, TIER_WORDS: TIER_WORDS,
    parseFragment: parseFragment, formatFragment: formatFragment, setAnswer: setAnswer,
    readAnswer: readAnswer, parseDate: parseDate, parseIso: parseIso, longDate: longDate,
    display: display, withDerived: withDerived, evaluate: evaluate, assess: assess,
    bestFitFirst: bestFitFirst, assessAll: assessAll, notForYou: notForYou,
    journeyQuestion: journeyQuestion, nextQuestion: nextQuestion,
    screeningQuestion: screeningQuestion, activeProgrammes: activeProgrammes,
    vagueDateTargets: vagueDateTargets, profileYaml: profileYaml, fieldsById: fieldsById,
    status: status
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.MasteryCheck = api;
})(this);
