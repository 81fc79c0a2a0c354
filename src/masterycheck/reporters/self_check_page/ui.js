/* masterycheck self-check page: the page's script.
 *
 * Reads the answers from the URL fragment, asks the next question the evaluator picks, and
 * fills the results: each programme's [data-programme][data-verdict] and each criterion's
 * [data-criterion][data-outcome]. Text is always inserted as text (textContent), never as
 * HTML. No request, no storage: the answers live in the fragment, and "Save my answers"
 * downloads them as a profile file only when the visitor asks.
 */
(function () {
  "use strict";
  var MC = window.MasteryCheck;
  var data = JSON.parse(document.getElementById("mc-data").textContent);
  var byId = MC.fieldsById(data);
  var words = data.words;
  var programmesById = {};
  data.programmes.forEach(function (p) { programmesById[p.id] = p; });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function today() {
    var now = new Date();
    return [now.getFullYear(), now.getMonth() + 1, now.getDate()];
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // --- results -----------------------------------------------------------------------------

  function outcomeWords(result) {
    var mark = words.marks[result.outcome];
    var word = mark[1];
    if (result.hub_to_confirm) word += " (hub to confirm)";
    else if (result.self_declared) word += " (self-declared)";
    else if (result.kind === "evidence" && result.outcome === MC.UNKNOWN) word += " (for the panel to judge)";
    return [mark[0], word];
  }

  function labels(names) {
    return names.map(function (name) { return byId[name].label; }).join(", ");
  }

  function detailOf(criterion, result, answers) {
    if (result.hub_to_confirm) return "For your Maths Hub to confirm: " + result.hub_note + ".";
    if (result.kind === "evidence") {
      if (result.outcome === MC.MET) return "You answered yes (self-declared); the hub judges it from your application.";
      if (result.outcome === MC.NOT_MET) return "You answered no.";
      return "Not answered: the hub judges it from your application.";
    }
    if (result.imprecise.length) return "Give a more exact date (a month or a day) for: " + labels(result.imprecise) + ".";
    if (result.missing.length) return "Waiting on an answer: " + labels(result.missing) + ".";
    return "Your answers: " + criterion.fields.used.map(function (name) {
      return byId[name].label + ": " + MC.display(byId[name], answers[name]);
    }).join("; ") + ".";
  }

  function sentence(text) {
    return /[.!?]$/.test(text) ? text : text + ".";
  }

  function scoreWords(score) {
    if (!score.total) return "This programme publishes no desirable criteria.";
    var parts = [score.met + " of " + score.total + " met (" + score.percent + "%)"];
    if (score.self_declared) parts.push(score.self_declared + " of them self-declared");
    if (score.unknown) parts.push(score.unknown + " unknown");
    if (score.not_met) parts.push(score.not_met + " not met");
    return parts.join(", ");
  }

  function fillList(list, items, make) {
    clear(list);
    items.forEach(function (item) { list.appendChild(make(item)); });
  }

  /* Fill every programme section inside `root` from the answers of `state`. */
  function renderResults(root, state, asOf) {
    var ranked = MC.assessAll(data, state, asOf);
    var byProgramme = {};
    ranked.forEach(function (a) { byProgramme[a.programme] = a; });
    var sections = root.querySelectorAll("[data-programme]");
    Array.prototype.forEach.call(sections, function (section) {
      var programme = programmesById[section.getAttribute("data-programme")];
      var assessment = byProgramme[programme.id];
      var answers = MC.withDerived(programme, state.answers);
      section.setAttribute("data-verdict", assessment.verdict);
      section.setAttribute("data-not-for-you", assessment.not_for_you || "");
      var verdict = section.querySelector(".verdict");
      verdict.textContent = "Verdict: " + words.verdict[assessment.verdict] + " \u2014 " + words.explained[assessment.verdict] + "." +
        (assessment.not_for_you ? " Not for you, by where and what you teach: " + sentence(assessment.not_for_you) : "");
      verdict.hidden = false;
      assessment.criteria.forEach(function (result, index) {
        var item = section.querySelector('[data-criterion="' + result.id + '"]');
        var shown = outcomeWords(result);
        item.setAttribute("data-outcome", result.outcome);
        item.setAttribute("data-hub", result.hub_to_confirm ? "yes" : "no");
        var mark = item.querySelector(".mark");
        if (mark) {
          mark.textContent = shown[0] + " " + shown[1] + ":";
          mark.hidden = false;
        }
        var detail = item.querySelector(".c-detail");
        detail.textContent = detailOf(programme.criteria[index], result, answers);
        detail.hidden = false;
      });
      var results = section.querySelector(".results");
      results.hidden = false;
      var path = section.querySelector(".path");
      path.setAttribute("data-steps", JSON.stringify(assessment.path.map(function (s) {
        return [s.kind, s.criteria, s.fields];
      })));
      fillList(path, assessment.path.length ? assessment.path : [null], function (step) {
        return el("li", step ? "step-" + step.kind : "", step ? sentence(step.action) : "Nothing to do: no essential criterion is failing or open.");
      });
      var score = section.querySelector(".score");
      score.setAttribute("data-score", [assessment.desirable.met, assessment.desirable.not_met,
        assessment.desirable.unknown, assessment.desirable.total, assessment.desirable.self_declared,
        assessment.desirable.percent].join(","));
      score.textContent = scoreWords(assessment.desirable);
      fillList(section.querySelector(".evidence"), assessment.evidence.length ? assessment.evidence : [null], function (item) {
        if (!item) return el("li", null, "This programme lists no criterion judged from the application.");
        var li = el("li", null, "\u201c" + item.text + "\u201d (" + item.level + "): " + item.evidence + " ");
        var said = item.self_assessment === MC.MET ? "Your self-assessment: yes."
          : item.self_assessment === MC.NOT_MET ? "Your self-assessment: no." : "Not self-assessed yet.";
        li.appendChild(el("em", null, said));
        return li;
      });
      // the programme's own notes are on the page already: only those about the answers
      fillList(section.querySelector(".notes"), state.notes, function (note) { return el("li", "note", note); });
      var windowLine = section.querySelector(".window");
      windowLine.setAttribute("data-window", assessment.window.state);
      windowLine.textContent = "As of today (" + MC.longDate(asOf) + "): " + assessment.window.message;
      windowLine.hidden = false;
    });
    return ranked;
  }

  function renderFit(ranked) {
    var fit = document.getElementById("fit");
    var list = fit.querySelector("ol");
    clear(list);
    ranked.forEach(function (assessment, index) {
      var section = document.getElementById("programme-" + assessment.programme);
      section.setAttribute("data-rank", String(index + 1));
      section.parentNode.appendChild(section);  // best fit first
      var li = el("li");
      li.setAttribute("data-fit", assessment.programme);
      var link = el("a", null, assessment.name);
      link.href = "#programme-" + assessment.programme;
      link.addEventListener("click", function (event) {
        event.preventDefault();  // the fragment holds the answers: move focus, keep it
        var heading = document.getElementById("title-" + assessment.programme);
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      });
      li.appendChild(link);
      li.appendChild(document.createTextNode(assessment.not_for_you
        ? ": not for you \u2014 " + sentence(assessment.not_for_you)
        : ": " + words.verdict[assessment.verdict].toLowerCase() + " \u2014 " + words.explained[assessment.verdict] + "."));
      list.appendChild(li);
    });
    fit.hidden = ranked.length < 2;
  }

  // --- the questions -----------------------------------------------------------------------

  var state = MC.parseFragment(data, window.location.hash);
  var form = document.getElementById("questions");
  var blocks = {};  // field id -> fieldset
  var pending = null;  // the fieldset of the question not yet answered
  var counter = 0;

  function saveFragment() {
    var fragment = "#" + MC.formatFragment(state);
    try {
      window.history.replaceState(null, "", fragment === "#" ? window.location.pathname : fragment);
    } catch (err) {
      window.location.hash = fragment;  // a browser that refuses replaceState on a file
    }
  }

  function answerWith(field, text, block) {
    var problem = MC.setAnswer(state, field, text);
    var error = block.querySelector(".error");
    if (problem) {
      error.textContent = "Not understood: " + problem + ".";
      error.hidden = false;
      block.querySelector("input[type=text]").setAttribute("aria-invalid", "true");
      return;
    }
    error.hidden = true;
    var input = block.querySelector("input[type=text]");
    if (input) input.removeAttribute("aria-invalid");
    if (block === pending) {
      pending = null;
      block.className = "question asked";
    }
    saveFragment();
    update(true);
  }

  function choiceControl(block, field, type, id, label, checked) {
    var wrap = el("div", "choice");
    var input = document.createElement("input");
    input.type = type;
    input.name = "q-" + field.id;
    input.id = "q-" + field.id + "-" + id;
    input.value = id;
    input.checked = checked;
    var labelNode = el("label", null, label);
    labelNode.htmlFor = input.id;
    wrap.appendChild(input);
    wrap.appendChild(labelNode);
    block.appendChild(wrap);
    return input;
  }

  function questionBlock(field, q) {
    counter += 1;
    var block = el("fieldset", "question");
    block.setAttribute("data-field", field.id);
    var legend = el("legend");
    var heading = "Question " + counter;
    if (q) {
      heading += " (" + q.words + ")";
      if (data.programmes.length > 1) {
        heading += " for " + q.programmes.map(function (id) { return programmesById[id].phase; }).join(", ");
      }
    }
    legend.appendChild(el("span", "q-number", heading));
    legend.appendChild(el("span", "q-text", field.question));
    block.appendChild(legend);
    var evidence = q ? q.targets.filter(function (t) { return t.criterion.kind === "evidence"; }) : [];
    if (evidence.length) {
      block.appendChild(el("p", "self", "Self-assessment: the hub judges this from your application; nothing you answer here counts as proven."));
      var seen = [];
      evidence.forEach(function (t) {
        if (seen.indexOf(t.criterion.text) >= 0) return;
        seen.push(t.criterion.text);
        block.appendChild(el("p", "published", "Published criterion: \u201c" + t.criterion.text + "\u201d. A hub looks for: " + t.criterion.evidence));
      });
    }
    if (field.help) block.appendChild(el("p", "help", field.help));
    var raw = state.raw[field.id];
    var asked = state.asked.indexOf(field.id) >= 0;
    if (field.type === "yes_no" || field.type === "one_of") {
      var options = field.type === "yes_no" ? [["yes", "Yes"], ["no", "No"]] : field.choices;
      var current = field.type === "yes_no" && state.answers[field.id] !== undefined
        ? (state.answers[field.id] ? "yes" : "no") : raw;
      options.concat([["", "Don't know"]]).forEach(function (option) {
        var input = choiceControl(block, field, "radio", option[0] || "dont-know", option[1],
          asked && current === option[0]);
        input.addEventListener("change", function () { if (input.checked) answerWith(field, option[0], block); });
      });
    } else if (field.type === "many_of") {
      var chosen = state.answers[field.id] || [];
      var boxes = field.choices.map(function (choice) {
        return choiceControl(block, field, "checkbox", choice[0], choice[1], chosen.indexOf(choice[0]) >= 0);
      });
      boxes.forEach(function (box) {
        box.addEventListener("change", function () {
          answerWith(field, boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }).join(","), block);
        });
      });
      var unknown = el("button", "dont-know", "Don't know");
      unknown.type = "button";
      unknown.addEventListener("click", function () {
        boxes.forEach(function (b) { b.checked = false; });
        answerWith(field, "", block);
      });
      block.appendChild(unknown);
    } else {
      var id = "q-" + field.id + "-text";
      var label = el("label", null, field.type === "date"
        ? "A year (2019), a month (2019-07) or a date (2019-07-15)" : field.type === "whole_number" ? "A whole number" : "Your answer");
      label.htmlFor = id;
      var input = document.createElement("input");
      input.type = "text";
      input.id = id;
      input.autocomplete = "off";
      if (field.type === "whole_number") input.inputMode = "numeric";
      input.value = raw || "";
      input.setAttribute("aria-describedby", id + "-error");
      block.appendChild(label);
      block.appendChild(input);
      var row = el("div", "actions");
      var ok = el("button", null, "Save answer");
      ok.type = "button";
      ok.addEventListener("click", function () { answerWith(field, input.value, block); });
      input.addEventListener("change", function () { answerWith(field, input.value, block); });
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); answerWith(field, input.value, block); }
      });
      var skip = el("button", "dont-know", "Don't know");
      skip.type = "button";
      skip.addEventListener("click", function () { input.value = ""; answerWith(field, "", block); });
      row.appendChild(ok);
      row.appendChild(skip);
      block.appendChild(row);
    }
    var error = el("p", "error");
    error.id = "q-" + field.id + "-text-error";
    error.hidden = true;
    error.setAttribute("role", "alert");
    block.appendChild(error);
    block.appendChild(el("p", "vague"));
    block.lastChild.hidden = true;
    return block;
  }

  function showVague() {
    Object.keys(blocks).forEach(function (id) {
      var field = byId[id];
      if (field.type !== "date") return;
      var note = blocks[id].querySelector(".vague");
      var targets = MC.vagueDateTargets(data, state, id);
      note.hidden = !targets.length;
      note.textContent = targets.map(function (t) {
        return "\u201c" + state.raw[id] + "\u201d is not exact enough to settle \u201c" + t.criterion.text + "\u201d (" + t.programme.phase + ").";
      }).join(" ") + (targets.length ? " Give the month or the date, if you know it." : "");
    });
  }

  function renderAnswersSummary() {
    var list = document.querySelector("#summary-answers dl");
    clear(list);
    state.asked.forEach(function (id) {
      list.appendChild(el("dt", null, byId[id].question));
      list.appendChild(el("dd", null, state.answers[id] === undefined ? "Don't know" : MC.display(byId[id], state.answers[id])));
    });
  }

  function update(announce) {
    state.asked.forEach(function (id) {
      if (!blocks[id]) {
        blocks[id] = questionBlock(byId[id], null);
        blocks[id].className = "question asked";
        form.insertBefore(blocks[id], pending);
      }
    });
    var q = MC.journeyQuestion(data, state);
    var wanted = q ? q.field.id : null;
    if (pending && pending.getAttribute("data-field") !== wanted) {
      form.removeChild(pending);
      delete blocks[pending.getAttribute("data-field")];
      counter -= 1;
      pending = null;
    }
    if (q && !pending) {
      pending = questionBlock(q.field, q);
      pending.className = "question next";
      blocks[q.field.id] = pending;
      form.appendChild(pending);
      if (announce) document.getElementById("announce").textContent = "Next question: " + q.field.question;
    }
    form.setAttribute("data-next-question", wanted || "");
    var done = document.getElementById("done");
    if (!q && !done) {
      done = el("p", "done", "No other answer can change the result: see it below.");
      done.id = "done";
      form.appendChild(done);
      if (announce) document.getElementById("announce").textContent = done.textContent;
    } else if (q && done) {
      form.removeChild(done);
    }
    showVague();
    renderAnswersSummary();
    renderFit(renderResults(document, state, today()));
  }

  function restart(fromFragment) {
    state = fromFragment ? MC.parseFragment(data, window.location.hash) : MC.parseFragment(data, "");
    clear(form);
    blocks = {};
    pending = null;
    counter = 0;
    if (!fromFragment) saveFragment();
    update(false);
  }

  function download() {
    var text = MC.profileYaml(data, state, today());
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/x-yaml" }));
    link.download = "my-answers.yaml";
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  /* Test and integration hook: a page given a JSON list of fragments in an element
   * #mc-batch assesses each one, in a copy of the results, without asking anything. */
  var STATIC = "h2, h3, .c-how, .c-text, .note, .source, .programme > p:not(.verdict):not(.window), .programme > ul:not(.criteria)";

  function batch(node) {
    var cases = JSON.parse(node.textContent);
    var template = document.querySelectorAll("[data-programme]");
    var out = document.createElement("div");
    out.id = "mc-batch-results";
    cases.forEach(function (fragment, index) {
      var one = MC.parseFragment(data, fragment);
      var box = el("div");
      box.setAttribute("data-case", String(index));
      Array.prototype.forEach.call(template, function (section) {
        var copy = section.cloneNode(true);
        copy.removeAttribute("id");
        // only the elements the results fill: the published wording is in the page once
        Array.prototype.forEach.call(copy.querySelectorAll(STATIC), function (node) {
          node.parentNode.removeChild(node);
        });
        box.appendChild(copy);
      });
      var ranked = renderResults(box, one, today());
      box.setAttribute("data-fit", ranked.map(function (a) { return a.programme; }).join(","));
      var q = MC.journeyQuestion(data, one);
      box.setAttribute("data-next-question", q ? q.field.id : "");
      box.setAttribute("data-profile", MC.profileYaml(data, one, today()));
      out.appendChild(box);
    });
    document.body.appendChild(out);
  }

  document.documentElement.className = "js";
  Array.prototype.forEach.call(document.querySelectorAll("#journey, .skip"), function (node) { node.hidden = false; });
  var batchNode = document.getElementById("mc-batch");
  if (batchNode) {
    batch(batchNode);
    return;
  }
  document.getElementById("save").addEventListener("click", download);
  document.getElementById("print").addEventListener("click", function () { window.print(); });
  document.getElementById("restart").addEventListener("click", function () { restart(false); });
  window.addEventListener("hashchange", function () { restart(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  update(false);
})();
