/* The scoring page: tick a workbook's topics, see the summary, tier and action plan, keep
 * named assessments in this browser, compare them, export and import them.
 *
 * It knows no workbook: everything (levels, sections, topics, thresholds, tiers, the rules'
 * wording) comes from the JSON that the build embeds in #scoring-data (workbook/scoring.py,
 * which states the same rules in Python). Plain JavaScript, no library, no network, no cookies.
 */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("scoring-data").textContent);
  const FORMAT = data.format; // workbook/scoring.py's FORMAT: the format this page saves and exports
  /* Where the answers are saved: one key per workbook, the same for every format (the format is
   * inside the JSON). Format 1 saved under a key with its version; that key is read and moved. */
  const KEY = "progress-workbooks/" + data.workbook;
  const LEGACY_KEYS = ["progress-workbooks/v1/" + data.workbook];
  const BACKUP_PREFIX = KEY + "/backup/"; // + the ISO time: saved data that could not be read, kept as it was
  const MAX_IMPORT = 5 * 1024 * 1024; // bytes; a real export is a few KB
  const LEVELS = data.levels;
  const TOP = LEVELS.length;
  const NUMERIC = LEVELS.every(function (label, index) { return label === String(index + 1); });
  const SECTIONS = data.sections;
  const TOPICS = SECTIONS.flatMap(function (section) {
    return section.topics.map(function (topic) { return { topic: topic, section: section }; });
  });
  const HAS_THRESHOLDS = TOPICS.some(function (entry) { return entry.topic.threshold !== null; });
  const ID = /^[a-z0-9][a-z0-9-]*$/;
  const DATE = /^(\d{4}-\d{2}-\d{2})?$/;
  const PLAN_FIELDS = [["action", "Action"], ["who", "Who"], ["by", "By when"]];
  const FORBIDDEN_KEYS = ["__proto__", "constructor", "prototype"];

  let state = emptyState();
  let draft = newAssessment(1); // shown until the first change saves it
  let storageProblem = ""; // why saving in this browser does not work, or ""
  let locked = false; // answers saved earlier could not be read: never save over them
  let kept = []; // saved data found on load that could not be used as it was: { key, text, why }, kept as a backup
  let exportWhat = "all";
  let compareIds = [null, null];
  let teamIds = null; // the assessments the team view includes (null: all)
  let confirmingDelete = false;

  /* ---------- Small helpers ---------- */

  function el(tag, attributes) {
    const node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      const value = attributes[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, "");
      else node.setAttribute(name, value);
    });
    for (let index = 2; index < arguments.length; index += 1) {
      const child = arguments[index];
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attributes).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  function hidden(text) {
    return el("span", { className: "visually-hidden", text: text });
  }

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function isObject(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
  }

  function today() {
    const now = new Date();
    const pad = function (number) { return String(number).padStart(2, "0"); };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function newId() {
    return "a-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 8);
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  /* Plain text with blank-line paragraphs and "- " list lines, as block spans (valid in labels). */
  function textBlocks(text, className) {
    const box = el("span", { className: className });
    text.split(/\n\s*\n/).forEach(function (paragraph) {
      paragraph.split("\n").forEach(function (line) {
        const item = /^\s*[-*]\s+/.test(line);
        box.append(el("span", { className: item ? "line bullet" : "line", text: line.replace(/^\s*[-*]\s+/, "") }));
      });
    });
    return box;
  }

  function levelText(score) {
    return NUMERIC ? score + " of " + TOP : LEVELS[score - 1];
  }

  function mustAchieve(threshold) {
    return "Must achieve " + LEVELS[threshold - 1] + (threshold < TOP ? " or above" : "");
  }

  /* ---------- The rules (workbook/scoring.py states the same in Python) ---------- */

  function scoreOf(assessment, topic) {
    return has(assessment.scores, topic.id) ? assessment.scores[topic.id] : null;
  }

  function workTowards(topic, score) {
    if (score === null) return { level: 1, text: topic.statements[0] };
    if (score >= topic.statements.length) return { level: null, text: data.keep_doing };
    return { level: score + 1, text: topic.statements[score] };
  }

  function answeredScores(topics, assessment) {
    return topics.map(function (topic) { return scoreOf(assessment, topic); })
      .filter(function (score) { return score !== null; });
  }

  function counts(topics, assessment) {
    const found = LEVELS.map(function () { return 0; });
    answeredScores(topics, assessment).forEach(function (score) { found[score - 1] += 1; });
    return found;
  }

  function mean(topics, assessment) {
    const answered = answeredScores(topics, assessment);
    return answered.length ? answered.reduce(sum, 0) / answered.length : null;
  }

  function percentage(topics, assessment) {
    const answered = answeredScores(topics, assessment);
    return answered.length ? 100 * answered.reduce(sum, 0) / (TOP * answered.length) : null;
  }

  function sum(total, value) {
    return total + value;
  }

  function belowThreshold(topic, assessment) {
    const score = scoreOf(assessment, topic);
    return topic.threshold !== null && (score === null ? 0 : score) < topic.threshold;
  }

  function blockingTopics(tier, assessment) {
    return TOPICS.filter(function (entry) {
      return entry.section.tier === tier && belowThreshold(entry.topic, assessment);
    });
  }

  function tierReached(assessment) {
    let reached = null;
    for (const tier of data.tiers) {
      if (blockingTopics(tier, assessment).length) break;
      reached = tier;
    }
    return reached;
  }

  function shownMean(value) {
    return value === null ? null : (Math.floor(value * 10 + 0.5) / 10).toFixed(1);
  }

  function shownPercentage(value) {
    return value === null ? null : Math.floor(value + 0.5) + "%";
  }

  /* ---------- State, reading and checking files ---------- */

  function emptyState() {
    return { format: FORMAT, workbook: data.workbook, current: null, assessments: [] };
  }

  function newAssessment(number) {
    return { id: newId(), name: "Assessment " + number, date: today(), people: "", scores: {}, plans: {} };
  }

  function nextNumber() {
    const names = new Set(state.assessments.map(function (assessment) { return assessment.name; }));
    let number = state.assessments.length + 1;
    while (names.has("Assessment " + number)) number += 1;
    return number;
  }

  function current() {
    return state.assessments.find(function (assessment) { return assessment.id === state.current; }) || draft;
  }

  function isSaved(assessment) {
    return state.assessments.indexOf(assessment) !== -1;
  }

  /* Each older format's step to the next: MIGRATIONS[n] turns a format-n file (an object, not yet
   * checked: a step must not trust its contents) into format n + 1. They run on what is saved in this
   * browser when the page loads and on every imported file; the result is checked as the current format. */
  const MIGRATIONS = {
    /* Format 2 saves under a key without the version (KEY, moved from LEGACY_KEYS); the file is the same. */
    1: function (file) {
      file.format = 2;
      return file;
    },
  };

  /* Parse a saved or exported file: forbidden keys dropped and refused, older formats migrated, every
   * value checked. Returns { value } or { problem }, with `newer` set when a newer page wrote it. */
  function readFile(text) {
    let forbidden = false;
    let value;
    try {
      value = JSON.parse(text.replace(/^\uFEFF/, ""), function (key, item) {
        if (FORBIDDEN_KEYS.indexOf(key) !== -1) {
          forbidden = true;
          return undefined;
        }
        return item;
      });
    } catch (error) {
      return { problem: "it is not valid JSON (it may be damaged, or not a file exported from this page)" };
    }
    if (isObject(value) && Number.isInteger(value.format) && value.format > FORMAT) {
      return { newer: true, problem: "it was saved by a newer version of this page (format " + value.format + "; this page reads format " + FORMAT + ")" };
    }
    if (forbidden) return { problem: "it contains a key named __proto__, constructor or prototype, which this page never writes" };
    if (!isObject(value) || !has(value, "format") || !has(value, "assessments")) {
      return { problem: "it is not a file of assessments exported from this page" };
    }
    if (typeof value.format !== "number" || !Number.isInteger(value.format) || value.format < 1) {
      return { problem: "its format, " + JSON.stringify(value.format) + ", is not one this page knows" };
    }
    while (value.format < FORMAT) {
      if (!has(MIGRATIONS, value.format)) return { problem: "its format, " + value.format + ", is too old for this page" };
      value = MIGRATIONS[value.format](value);
    }
    const problem = fileProblem(value);
    return problem ? { problem: problem } : { value: value };
  }

  /* What is wrong with a file of the current format, or "". */
  function fileProblem(file) {
    if (file.workbook !== data.workbook) {
      return "it is for another workbook (" + JSON.stringify(file.workbook) + "), not this one (" + JSON.stringify(data.workbook) + ")";
    }
    const extra = Object.keys(file).filter(function (key) { return ["format", "workbook", "current", "assessments"].indexOf(key) === -1; });
    if (extra.length) return "it has an unexpected entry " + JSON.stringify(extra[0]);
    if (!Array.isArray(file.assessments)) return "its assessments are not a list";
    const ids = new Set();
    for (let index = 0; index < file.assessments.length; index += 1) {
      const problem = assessmentProblem(file.assessments[index], ids);
      if (problem) return "assessment " + (index + 1) + " " + problem;
    }
    if (file.current !== undefined && file.current !== null && !ids.has(file.current)) {
      return "its current assessment is not one of its assessments";
    }
    return "";
  }

  function assessmentProblem(assessment, ids) {
    if (!isObject(assessment)) return "is not an assessment";
    const keys = ["id", "name", "date", "people", "scores", "plans"];
    const extra = Object.keys(assessment).filter(function (key) { return keys.indexOf(key) === -1; });
    if (extra.length) return "has an unexpected entry " + JSON.stringify(extra[0]);
    if (typeof assessment.id !== "string" || !assessment.id) return "has no id";
    if (ids.has(assessment.id)) return "has the same id as another";
    ids.add(assessment.id);
    for (const key of ["name", "people"]) {
      if (typeof assessment[key] !== "string") return "has a " + key + " that is not text";
    }
    if (typeof assessment.date !== "string" || !DATE.test(assessment.date)) return "has a date that is not a date (expected YYYY-MM-DD)";
    if (!isObject(assessment.scores)) return "has no scores";
    for (const topic of Object.keys(assessment.scores)) {
      const score = assessment.scores[topic];
      if (!ID.test(topic)) return "has a score for " + JSON.stringify(topic) + ", which is not a topic id";
      if (typeof score !== "number" || !Number.isInteger(score) || score < 1 || score > TOP) {
        return "has a score out of range for topic " + JSON.stringify(topic) + ": " + JSON.stringify(score) + " (expected a whole number from 1 to " + TOP + ")";
      }
    }
    if (!isObject(assessment.plans)) return "has no action plan";
    for (const topic of Object.keys(assessment.plans)) {
      const plan = assessment.plans[topic];
      if (!ID.test(topic)) return "has an action plan for " + JSON.stringify(topic) + ", which is not a topic id";
      if (!isObject(plan)) return "has an action plan for topic " + JSON.stringify(topic) + " that is not a set of fields";
      for (const key of Object.keys(plan)) {
        if (!PLAN_FIELDS.some(function (field) { return field[0] === key; })) return "has an unexpected action plan field " + JSON.stringify(key);
        if (typeof plan[key] !== "string") return "has an action plan field that is not text";
      }
    }
    return "";
  }

  /* ---------- Saving in this browser ---------- */

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  /* Read the saved answers: from KEY, or from a key an older format used (then moved to KEY).
   * Data from a newer format is left untouched and never saved over. Data that cannot be read is
   * never silently replaced: it is kept, exactly as it was, under a backup key, and the user is told;
   * if even that cannot be stored, nothing is saved over it. */
  function load() {
    const store = storage();
    if (!store) {
      reportStorage("This browser is not letting the page keep your answers (its storage is turned off or blocked).");
      return;
    }
    let text;
    let from = KEY;
    const legacy = [];
    try {
      text = store.getItem(KEY);
      LEGACY_KEYS.forEach(function (key) {
        const old = store.getItem(key);
        if (old !== null) legacy.push({ key: key, text: old });
      });
    } catch (error) {
      reportStorage("This browser is not letting the page read your saved answers (its storage is turned off or blocked).");
      return;
    }
    if (text === null && legacy.length) {
      const oldest = legacy.shift();
      text = oldest.text;
      from = oldest.key;
    }
    if (text === null) return;
    const read = readFile(text);
    if (read.newer) {
      locked = true;
      reportStorage("The answers saved earlier in this browser could not be read, because " + read.problem +
        ". They have been left as they were, and what you do now will not be saved over them.");
      return;
    }
    if (read.problem) {
      const why = "The answers saved earlier in this browser could not be read, because " + read.problem + ".";
      if (!keepBackup(store, from, text, why, true)) {
        locked = true;
        reportStorage(why + " There is no room in this browser to keep a copy of them, so they have been left as they were, and what you do now will not be saved over them.");
      }
    } else {
      state = read.value;
      if (state.current === undefined) state.current = null;
      if (!state.current && state.assessments.length) state.current = state.assessments[state.assessments.length - 1].id;
      if (from !== KEY && save()) remove(store, from);
    }
    /* A copy under an older key beside the current one (an old page left open may have written it). */
    legacy.forEach(function (item) {
      keepBackup(store, item.key, item.text, "Another copy of your answers, saved by an earlier version of this page, was also found in this browser.", false);
    });
  }

  /* Keep saved data as it was under a new backup key, take it from `from`, and say so on the page.
   * `unreadable`: it could not be read (else it is a spare copy). False if it could not be kept. */
  function keepBackup(store, from, text, why, unreadable) {
    const stamp = new Date().toISOString();
    let key = BACKUP_PREFIX + stamp;
    try {
      for (let number = 2; store.getItem(key) !== null; number += 1) key = BACKUP_PREFIX + stamp + "-" + number;
      store.setItem(key, text);
    } catch (error) {
      kept.push({ key: null, text: text, why: why, unreadable: unreadable });
      return false;
    }
    kept.push({ key: key, text: text, why: why, unreadable: unreadable });
    remove(store, from);
    return true;
  }

  function remove(store, key) {
    try {
      store.removeItem(key);
    } catch (error) {
      /* left where it was: it is kept either way */
    }
  }

  /* The keys of the backups kept in this browser, oldest first. */
  function backupKeys() {
    const store = storage();
    const keys = [];
    try {
      for (let index = 0; store && index < store.length; index += 1) {
        const key = store.key(index);
        if (key && key.startsWith(BACKUP_PREFIX)) keys.push(key);
      }
    } catch (error) {
      return [];
    }
    return keys.sort();
  }

  /* When a backup was made, from its key, as people write it. */
  function backupTime(key) {
    const stamp = key.slice(BACKUP_PREFIX.length);
    const when = new Date(stamp.replace(/Z-\d+$/, "Z"));
    return isNaN(when.getTime()) ? stamp : when.toLocaleString("en-GB", { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  /* Download a backup exactly as it was saved: `text`, or else what its key holds now. */
  function downloadBackup(key, text) {
    if (text === null || text === undefined) {
      try {
        text = storage().getItem(key);
      } catch (error) {
        text = null;
      }
    }
    if (text === null) {
      announce("That backup is no longer in this browser (it may have been removed in another window).", true);
      return;
    }
    const stamp = (key ? key.slice(BACKUP_PREFIX.length) : new Date().toISOString()).replace(/[^0-9A-Za-z]+/g, "-").replace(/-+$/, "");
    download(data.workbook + "-backup-" + stamp + ".json", "application/json", text);
    announce("Downloaded the backup, exactly as it was saved.");
  }

  /* What load() found and kept: said once, each with a button to download it. */
  function renderKept() {
    const box = document.getElementById("backup-notice");
    box.replaceChildren();
    kept.forEach(function (item, index) {
      const button = el("button", { type: "button", className: "button", id: "download-backup-" + (index + 1),
        onclick: function () { downloadBackup(item.key, item.text); } }, item.unreadable ? "Download the answers that could not be read" : "Download the other copy");
      if (!item.key && item.unreadable) {
        box.append(el("p", { text: "To keep a copy of the answers that could not be read, exactly as they were saved, download them." }), el("p", {}, button));
        return;
      }
      if (!item.key) {
        box.append(el("p", {}, el("strong", { text: item.why })),
          el("p", { text: "There is no room in this browser to keep it as a backup, so it has been left where it was. Download it, then import it below to add its assessments to these." }),
          el("p", {}, button));
        return;
      }
      box.append(el("p", {}, el("strong", { text: item.why })),
        el("p", { text: item.unreadable
          ? "Nothing has been deleted: they are kept, exactly as they were, as a backup in this browser. Download the backup to keep a copy or to ask for help with it (it is also under “Export and import”). You can carry on with a fresh assessment below: it is saved as usual."
          : "It is kept, exactly as it was, as a backup in this browser (also under “Export and import”). Download it, then import it below to add its assessments to these." }),
        el("p", {}, button));
    });
  }

  /* Save the state; true if it was saved. */
  function save() {
    if (locked) return false;
    const store = storage();
    try {
      if (!store) throw new Error("no storage");
      store.setItem(KEY, JSON.stringify(state));
      if (storageProblem) {
        storageProblem = "";
        renderStorageProblem();
        announce("Your answers are being saved in this browser again.");
      }
      return true;
    } catch (error) {
      const full = error && (error.name === "QuotaExceededError" || error.code === 22);
      reportStorage(full
        ? "This browser's storage is full, so your latest changes could not be saved."
        : "This browser is not letting the page save your answers (its storage is turned off or blocked).");
      return false;
    }
  }

  function reportStorage(message) {
    if (storageProblem === message) return;
    storageProblem = message;
    renderStorageProblem();
  }

  function renderStorageProblem() {
    const box = document.getElementById("storage-problem");
    box.replaceChildren();
    if (!storageProblem) return;
    box.append(
      el("p", {}, el("strong", { text: "Your answers are not being saved. " }), storageProblem),
      el("p", { text: "They are still on this page until you close it. Export them now to keep a copy, and import the file later." }),
      el("p", {}, el("button", { type: "button", className: "button", onclick: function () { exportJson(state.assessments.length ? state.assessments : [current()]); } }, "Export all assessments (JSON)"))
    );
  }

  /* Change the current assessment through `change` and save; the first change saves the draft. */
  function update(change) {
    const assessment = current();
    const first = !isSaved(assessment);
    if (first) {
      state.assessments.push(assessment);
      state.current = assessment.id;
      draft = null;
    }
    change(assessment);
    save();
    if (first) renderAll(false);
  }

  function announce(message, isError) {
    const box = document.getElementById("status");
    box.classList.toggle("status-error", Boolean(isError));
    box.textContent = "";
    window.setTimeout(function () { box.textContent = message; }, 50);
  }

  /* ---------- Your assessment: choose, name, add, delete ---------- */

  function renderAssessmentPanel() {
    const panel = document.getElementById("assessment-panel");
    const assessment = current();
    panel.replaceChildren();
    if (state.assessments.length) {
      const select = el("select", { id: "assessment-choice", onchange: function (event) { switchTo(event.target.value); } });
      state.assessments.forEach(function (item) {
        select.append(el("option", { value: item.id, selected: item.id === assessment.id, text: describe(item) }));
      });
      panel.append(el("div", { className: "field" },
        el("label", { for: "assessment-choice", text: "Assessment shown" }),
        select));
    } else {
      panel.append(el("p", { text: "Nothing is saved yet: your first answer starts this assessment." }));
    }
    panel.append(
      textField("assessment-name", "Name", assessment.name, "name", "For example, the quarter or the team."),
      textField("assessment-date", "Date", assessment.date, "date", "", "date"),
      textField("assessment-people", "Who took part", assessment.people, "people", "")
    );
    if (isSaved(assessment)) {
      panel.append(el("div", { className: "button-row" },
        el("button", { type: "button", className: "button", id: "new-assessment", onclick: startNew }, "Start a new assessment"),
        el("button", { type: "button", className: "button button-secondary", id: "delete-assessment", onclick: askDelete }, "Delete this assessment")));
    }
    if (confirmingDelete && isSaved(assessment)) {
      const box = el("div", { className: "confirm", id: "confirm-delete", role: "group", "aria-labelledby": "confirm-delete-text" },
        el("p", { id: "confirm-delete-text", tabindex: "-1" },
          "Delete “" + assessment.name + "”? Its scores and action plan will be removed from this browser. This cannot be undone."),
        el("div", { className: "button-row" },
          el("button", { type: "button", className: "button button-warning", id: "confirm-delete-yes", onclick: deleteCurrent }, "Yes, delete it"),
          el("button", { type: "button", className: "button button-secondary", id: "confirm-delete-no", onclick: cancelDelete }, "No, keep it")));
      panel.append(box);
    }
  }

  function textField(id, label, value, key, hint, type) {
    const input = el("input", {
      id: id, name: key, type: type || "text", value: value, autocomplete: "off",
      "aria-describedby": hint ? id + "-hint" : null,
      oninput: function (event) {
        const text = event.target.value;
        if (key === "date" && !DATE.test(text)) return;
        update(function (assessment) { assessment[key] = text; });
        const select = document.getElementById("assessment-choice");
        state.assessments.forEach(function (item, index) { select.options[index].textContent = describe(item); });
        renderResults();
      },
    });
    return el("div", { className: "field" },
      el("label", { for: id, text: label }),
      hint ? el("p", { className: "hint", id: id + "-hint", text: hint }) : null,
      input);
  }

  function describe(assessment) {
    return (assessment.name || "Untitled") + (assessment.date ? " (" + longDate(assessment.date) + ")" : "");
  }

  function longDate(text) {
    const parts = text.split("-").map(Number);
    return new Date(parts[0], parts[1] - 1, parts[2]).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  }

  function switchTo(id) {
    state.current = id;
    confirmingDelete = false;
    save();
    renderAll();
    announce("Showing “" + describe(current()) + "”.");
  }

  function startNew() {
    const assessment = newAssessment(nextNumber());
    state.assessments.push(assessment);
    state.current = assessment.id;
    draft = null;
    confirmingDelete = false;
    save();
    renderAll();
    document.getElementById("assessment-name").focus();
    announce("Started “" + describe(assessment) + "”. Give it a name, then score each topic.");
  }

  function askDelete() {
    confirmingDelete = true;
    renderAssessmentPanel();
    document.getElementById("confirm-delete-text").focus();
  }

  function cancelDelete() {
    confirmingDelete = false;
    renderAssessmentPanel();
    document.getElementById("delete-assessment").focus();
  }

  function deleteCurrent() {
    const gone = current();
    const index = state.assessments.indexOf(gone);
    state.assessments.splice(index, 1);
    const next = state.assessments[Math.max(0, index - 1)];
    state.current = next ? next.id : null;
    if (!next) draft = newAssessment(1);
    confirmingDelete = false;
    save();
    renderAll();
    (document.getElementById("assessment-choice") || document.getElementById("assessment-name")).focus();
    announce("Deleted “" + describe(gone) + "”." + (next ? " Showing “" + describe(next) + "”." : ""));
  }

  /* ---------- Score each topic ---------- */

  function renderForm() {
    const form = document.getElementById("score-form");
    let group = null;
    let box = form;
    SECTIONS.forEach(function (section) {
      if (section.group !== group) {
        group = section.group;
        if (group) {
          box = el("div", { className: "group" }, el("h3", { className: "group-title", id: "group_" + section.id, text: group }));
          form.append(box);
        } else {
          box = form;
        }
      }
      const heading = el(group ? "h4" : "h3", { className: "section-title", id: "section_" + section.id },
        section.title, section.tier ? el("span", { className: "badge", text: section.tier }) : null);
      const part = el("div", { className: "score-section" }, heading);
      section.topics.forEach(function (topic) { part.append(topicFieldset(section, topic)); });
      box.append(part);
    });
    form.addEventListener("change", function (event) {
      const input = event.target;
      if (input.type !== "radio" || !input.dataset.topic) return;
      const topic = input.dataset.topic;
      update(function (assessment) {
        if (input.value) assessment.scores[topic] = Number(input.value);
        else delete assessment.scores[topic];
      });
      renderResults();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  }

  function topicFieldset(section, topic) {
    const id = "topic_" + topic.id; // "_" cannot occur in an id, so no two topics' ids meet
    const hint = [section.tier, topic.threshold !== null ? mustAchieve(topic.threshold) : ""].filter(Boolean).join(" · ");
    const fieldset = el("fieldset", { className: "topic-choice", id: "topic-" + topic.id, "aria-describedby": hint ? id + "_hint" : null },
      el("legend", {}, el("span", { className: "topic-number", text: topic.number + "." }), " ", topic.title));
    if (hint) fieldset.append(el("p", { className: "hint", id: id + "_hint", text: hint }));
    const radios = el("div", { className: "radios" });
    topic.statements.forEach(function (statement, index) {
      const inputId = id + "_" + (index + 1);
      radios.append(el("div", { className: "radio" },
        el("input", { type: "radio", id: inputId, name: id, value: String(index + 1), "data-topic": topic.id }),
        el("label", { for: inputId },
          el("span", { className: NUMERIC ? "level-tag" : "level-tag level-name" }, LEVELS[index], hidden(": ")),
          textBlocks(statement, "statement"))));
    });
    radios.append(el("div", { className: "radio radio-none" },
      el("input", { type: "radio", id: id + "_none", name: id, value: "", "data-topic": topic.id }),
      el("label", { for: id + "_none", text: "Not assessed yet" })));
    fieldset.append(radios);
    return fieldset;
  }

  /* Tick the radios of the assessment shown; nothing is ticked for a topic without a score. */
  function syncForm() {
    const assessment = current();
    TOPICS.forEach(function (entry) {
      const score = scoreOf(assessment, entry.topic);
      document.getElementsByName("topic_" + entry.topic.id).forEach(function (input) {
        input.checked = score !== null && input.value === String(score);
      });
    });
  }

  /* ---------- Summary, chart, tiers ---------- */

  function renderSummary() {
    const assessment = current();
    const box = document.getElementById("summary-content");
    const answered = answeredScores(TOPICS.map(function (entry) { return entry.topic; }), assessment).length;
    box.replaceChildren(
      el("p", { className: "results-for", id: "results-for" },
        el("strong", { text: describe(assessment) }),
        assessment.people ? el("span", { text: ". Who took part: " + assessment.people }) : null),
      el("p", { className: "progress", id: "progress", text: answered + " of " + TOPICS.length + " topics answered." }),
      data.summary === "percentage" ? percentageTable(assessment) : meanTable(assessment));
    if (data.summary === "percentage") {
      box.append(el("p", { className: "formula", id: "formula" }, data.percentage_formula,
        " Percentages are rounded to the nearest whole number; a topic not answered yet is left out, not counted as zero."));
    }
    box.append(chart(assessment));
  }

  function dash(text) {
    return el("td", { className: "none" }, el("span", { "aria-hidden": "true", text: "–" }), hidden(text));
  }

  function levelHeaders(prefix) {
    return LEVELS.map(function (label) {
      return el("th", { scope: "col", className: "num" }, hidden(prefix), label);
    });
  }

  function meanTable(assessment) {
    const head = el("tr", {}, el("th", { scope: "col", text: "Section" }), ...levelHeaders("Topics at "),
      el("th", { scope: "col", className: "num", text: "Answered" }), el("th", { scope: "col", className: "num", text: "Mean" }));
    const body = el("tbody");
    SECTIONS.forEach(function (section) {
      const found = counts(section.topics, assessment);
      const answered = found.reduce(sum, 0);
      const row = el("tr", { "data-section": section.id }, el("th", { scope: "row", text: section.title }));
      found.forEach(function (count) { row.append(answered ? el("td", { className: "num", text: String(count) }) : dash("none answered")); });
      row.append(el("td", { className: "num", text: answered + " of " + section.topics.length }));
      const value = shownMean(mean(section.topics, assessment));
      row.append(value === null ? dash("no mean yet") : el("td", { className: "num", text: value }));
      body.append(row);
    });
    return scrollTable(el("table", { className: "summary-table", id: "summary-table" },
      el("caption", { text: "How many topics are at each level, and the mean score, by section" }),
      el("thead", {}, head), body));
  }

  function percentageTable(assessment) {
    const head = el("tr", {}, el("th", { scope: "col", text: "Section" }), ...levelHeaders("Ticks at "),
      el("th", { scope: "col", className: "num", text: "Total ticks" }), el("th", { scope: "col", className: "num", text: "Percentage" }));
    const body = el("tbody");
    const rowFor = function (title, topics, sectionId) {
      const found = counts(topics, assessment);
      const answered = found.reduce(sum, 0);
      const row = el("tr", { "data-section": sectionId }, el("th", { scope: "row", text: title }));
      found.forEach(function (count) { row.append(answered ? el("td", { className: "num", text: String(count) }) : dash("none answered")); });
      row.append(el("td", { className: "num", text: answered + " of " + topics.length }));
      const value = shownPercentage(percentage(topics, assessment));
      row.append(value === null ? dash("no percentage yet") : el("td", { className: "num", text: value }));
      return row;
    };
    SECTIONS.forEach(function (section) { body.append(rowFor(section.title, section.topics, section.id)); });
    const all = TOPICS.map(function (entry) { return entry.topic; });
    return scrollTable(el("table", { className: "summary-table", id: "summary-table" },
      el("caption", { text: "Ticks at each level, totals and percentages, by section" }),
      el("thead", {}, head), body, el("tfoot", {}, rowFor("Total", all, "total"))));
  }

  function scrollTable(table) {
    const label = table.querySelector("caption").textContent;
    return el("div", { className: "table-scroll", role: "region", tabindex: "0", "aria-label": label }, table);
  }

  function chart(assessment) {
    const figure = el("figure", { className: "chart", id: "chart", "aria-labelledby": "chart-caption" },
      el("figcaption", { id: "chart-caption" },
        el("strong", { text: "Chart: every topic’s score. " }),
        "A longer bar is more progress" + (HAS_THRESHOLDS ? "; the upright line marks the level a topic must achieve" : "") +
        ". A topic not answered yet is an empty dashed box."));
    SECTIONS.forEach(function (section) {
      const list = el("ol", { className: "chart-rows", "aria-label": section.title });
      section.topics.forEach(function (topic) {
        const score = scoreOf(assessment, topic);
        const below = belowThreshold(topic, assessment);
        let value = score === null ? "Not answered" : levelText(score);
        if (topic.threshold !== null) value += below ? " (needs " + LEVELS[topic.threshold - 1] + ")" : " (meets " + LEVELS[topic.threshold - 1] + ")";
        list.append(el("li", { className: "chart-row" + (score === null ? " unanswered" : "") + (below ? " below" : ""), "data-topic": topic.id },
          el("span", { className: "chart-label" }, el("span", { className: "topic-number", text: topic.number + "." }), " " + topic.title),
          bar(score, topic.threshold, below),
          el("span", { className: "chart-value", text: value })));
      });
      figure.append(el("p", { className: "chart-section", "aria-hidden": "true", text: section.title }), list);
    });
    return figure;
  }

  function bar(score, threshold, below) {
    const width = TOP * 20;
    const picture = svg("svg", { viewBox: "0 0 " + width + " 10", preserveAspectRatio: "none", "aria-hidden": "true", focusable: "false", class: "bar" });
    picture.append(svg("rect", { x: 0, y: 0, width: width, height: 10, class: "bar-track" }));
    for (let level = 1; level < TOP; level += 1) {
      picture.append(svg("line", { x1: level * 20, x2: level * 20, y1: 0, y2: 10, class: "bar-grid", "vector-effect": "non-scaling-stroke" }));
    }
    if (score === null) {
      picture.append(svg("rect", { x: 0.5, y: 0.5, width: width - 1, height: 9, class: "bar-unanswered", "vector-effect": "non-scaling-stroke" }));
    } else {
      picture.append(svg("rect", { x: 0, y: 1.5, width: score * 20, height: 7, class: below ? "bar-fill bar-below" : "bar-fill" }));
    }
    if (threshold !== null) {
      picture.append(svg("line", { x1: threshold * 20, x2: threshold * 20, y1: 0, y2: 10, class: "bar-threshold", "vector-effect": "non-scaling-stroke" }));
    }
    return el("span", { className: "chart-bar" }, picture);
  }

  function renderTiers() {
    const box = document.getElementById("tiers-content");
    if (!box) return;
    const assessment = current();
    const reached = tierReached(assessment);
    const next = data.tiers[reached === null ? 0 : data.tiers.indexOf(reached) + 1];
    box.replaceChildren(
      el("p", { className: "tier-reached", id: "tier-reached" },
        reached ? "You have reached " : "You have not reached a tier yet.",
        reached ? el("strong", { text: reached }) : null, reached ? "." : null),
      el("p", { className: "hint", text: "A tier is reached when every topic in it achieves the level it must, and every lower tier is reached." }));
    const list = el("ul", { className: "tier-list" });
    data.tiers.forEach(function (tier) {
      const blocking = blockingTopics(tier, assessment).length;
      const done = data.tiers.indexOf(tier) <= data.tiers.indexOf(reached) && reached !== null;
      list.append(el("li", { "data-tier": tier, className: done ? "tier-done" : "" },
        el("span", { className: "badge", text: tier }), " ",
        done ? "Reached" : blocking ? plural(blocking, "topic", "topics") + " still to reach the level needed" : "Every topic achieves the level needed; a lower tier is not reached yet"));
    });
    box.append(list);
    if (!next) {
      box.append(el("p", { text: "This is the highest tier. Keep doing what got you here." }));
      return;
    }
    const blocking = blockingTopics(next, assessment);
    box.append(el("h3", { id: "next-tier-title", text: "To reach " + next }),
      el("p", { text: "These topics need to achieve the level shown:" }));
    const items = el("ul", { className: "blocking", id: "blocking" });
    blocking.forEach(function (entry) {
      const score = scoreOf(assessment, entry.topic);
      items.append(el("li", { "data-topic": entry.topic.id },
        el("a", { href: "#topic-" + entry.topic.id }, entry.topic.number + ". " + entry.topic.title),
        el("span", { className: "blocking-detail", text: ": " + mustAchieve(entry.topic.threshold).toLowerCase() + "; now " + (score === null ? "not answered" : LEVELS[score - 1]) + "." })));
    });
    box.append(items);
  }

  /* ---------- Action plan ---------- */

  function renderPlan() {
    const assessment = current();
    const box = document.getElementById("plan-content");
    box.replaceChildren(el("p", { className: "no-print", text: "For each topic, the next statement is what to work towards. Write what you will do, who will do it and by when: it is saved as you type." }));
    if (HAS_THRESHOLDS) {
      const below = TOPICS.filter(function (entry) { return belowThreshold(entry.topic, assessment); });
      const rest = TOPICS.filter(function (entry) { return !belowThreshold(entry.topic, assessment); });
      planGroup(box, "Below the level needed: start here", below, "plan-group-below");
      planGroup(box, "At the level needed, or with no level set", rest, "plan-group-rest");
    } else {
      SECTIONS.forEach(function (section) {
        planGroup(box, section.title, TOPICS.filter(function (entry) { return entry.section === section; }), "plan-group_" + section.id);
      });
    }
  }

  function planGroup(box, title, entries, id) {
    if (!entries.length) return;
    const list = el("div", { className: "plan-group", id: id });
    entries.forEach(function (entry) { list.append(planItem(entry.topic)); });
    box.append(el("h3", { text: title }), list);
  }

  function planItem(topic) {
    const assessment = current();
    const score = scoreOf(assessment, topic);
    const next = workTowards(topic, score);
    const plan = has(assessment.plans, topic.id) ? assessment.plans[topic.id] : {};
    const id = "plan_" + topic.id;
    let standing = score === null ? "Not answered yet" : "Score: " + levelText(score);
    if (topic.threshold !== null) standing += " · " + mustAchieve(topic.threshold);
    const item = el("div", { className: "plan-item", id: id, "data-topic": topic.id },
      el("h4", { id: id + "_title" }, el("span", { className: "topic-number", text: topic.number + "." }), " " + topic.title),
      el("p", { className: "plan-standing", text: standing }),
      el("div", { className: "work-towards" },
        el("p", { className: "work-towards-label", text: next.level === null ? "Work towards" : "Work towards (" + (NUMERIC ? "statement " : "") + LEVELS[next.level - 1] + ")" }),
        textBlocks(next.text, "work-towards-text")));
    const fields = el("div", { className: "plan-fields" });
    PLAN_FIELDS.forEach(function (field) {
      const key = field[0];
      const fieldId = id + "_" + key;
      const value = has(plan, key) ? plan[key] : "";
      const printed = el("span", { className: "print-value", text: value });
      const input = el(key === "action" ? "textarea" : "input", {
        id: fieldId, name: fieldId, rows: key === "action" ? "3" : null, type: key === "action" ? null : "text",
        "aria-describedby": id + "_title",
        oninput: function (event) {
          const text = event.target.value;
          printed.textContent = text;
          update(function (target) { setPlan(target, topic.id, key, text); });
        },
      });
      input.value = value;
      fields.append(el("div", { className: "field plan-field plan-" + key }, el("label", { for: fieldId, text: field[1] }), input, printed));
    });
    item.append(fields);
    return item;
  }

  function setPlan(assessment, topic, key, text) {
    const plan = has(assessment.plans, topic) ? assessment.plans[topic] : {};
    if (text) plan[key] = text;
    else delete plan[key];
    if (Object.keys(plan).length) assessment.plans[topic] = plan;
    else delete assessment.plans[topic];
  }

  /* ---------- Compare two assessments ---------- */

  function renderCompare() {
    const box = document.getElementById("compare-content");
    box.replaceChildren();
    const saved = state.assessments;
    if (saved.length < 2) {
      box.append(el("p", { text: "When you have two or more assessments, for example this quarter’s and the last, compare them here: topic by topic, then and now." }));
      return;
    }
    const now = saved.find(function (item) { return item.id === compareIds[1]; }) || current();
    const defaultThen = saved[saved.indexOf(now) - 1] || saved.find(function (item) { return item !== now; });
    const then = saved.find(function (item) { return item.id === compareIds[0]; }) || defaultThen;
    const chooser = function (id, label, chosen, index) {
      const select = el("select", { id: id, onchange: function (event) { compareIds[index] = event.target.value; keepFocus(renderCompare); } });
      saved.forEach(function (item) { select.append(el("option", { value: item.id, selected: item === chosen, text: describe(item) })); });
      return el("div", { className: "field" }, el("label", { for: id, text: label }), select);
    };
    box.append(el("div", { className: "compare-choice" }, chooser("compare-then", "Then", then, 0), chooser("compare-now", "Now", now, 1)));
    if (then === now) {
      box.append(el("p", { text: "Choose two different assessments to compare." }));
      return;
    }
    const tally = { up: 0, down: 0, same: 0, new: 0, gone: 0, none: 0 };
    const bodies = topicRows(4, function (topic) {
      const before = scoreOf(then, topic);
      const after = scoreOf(now, topic);
      const change = changeOf(before, after);
      tally[change.kind] += 1;
      return el("tr", { "data-topic": topic.id, "data-change": change.kind }, topicHeader(topic),
        scoreCell(before), scoreCell(after),
        el("td", { className: "change change-" + change.kind }, el("span", { "aria-hidden": "true", className: "change-mark", text: change.mark }), change.text));
    });
    box.append(el("p", { className: "compare-counts", id: "compare-counts", text:
      "Up in " + plural(tally.up, "topic", "topics") + ", down in " + tally.down + ", the same in " + tally.same +
      ", newly answered in " + tally.new + (tally.gone ? ", no longer answered in " + tally.gone : "") +
      (tally.none ? ", not answered in either in " + tally.none : "") + "." }));
    box.append(scrollTable(el("table", { className: "compare-table", id: "compare-table" },
      el("caption", { text: "Then: " + describe(then) + ". Now: " + describe(now) + "." }),
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Topic" }), el("th", { scope: "col", text: "Then" }),
        el("th", { scope: "col", text: "Now" }), el("th", { scope: "col", text: "Change" }))),
      ...bodies)));
  }

  /* A table body per section, headed by its title, with a row per topic from `row`. */
  function topicRows(columns, row) {
    return SECTIONS.map(function (section) {
      const body = el("tbody", {}, el("tr", { className: "row-section" },
        el("th", { scope: "rowgroup", colspan: String(columns), text: section.title })));
      section.topics.forEach(function (topic) { body.append(row(topic)); });
      return body;
    });
  }

  function topicHeader(topic) {
    return el("th", { scope: "row" }, el("span", { className: "topic-number", text: topic.number + "." }), " " + topic.title);
  }

  function changeOf(before, after) {
    if (before === null && after === null) return { kind: "none", mark: "", text: "Not answered" };
    if (before === null) return { kind: "new", mark: "+ ", text: "Newly answered" };
    if (after === null) return { kind: "gone", mark: "", text: "No longer answered" };
    if (after > before) return { kind: "up", mark: "▲ ", text: "Up " + (after - before) };
    if (after < before) return { kind: "down", mark: "▼ ", text: "Down " + (before - after) };
    return { kind: "same", mark: "= ", text: "Same" };
  }

  function scoreCell(score) {
    return score === null ? dash("not answered") : el("td", { text: LEVELS[score - 1] });
  }

  /* ---------- Team view ---------- */

  function renderTeam() {
    const box = document.getElementById("team-content");
    box.replaceChildren(el("p", { text: "To see how several people scored, ask each to export their assessment, then import all the files below at once. The table shows, for each topic, how many people chose each level." }));
    const saved = state.assessments;
    if (saved.length < 2) return;
    const included = saved.filter(function (item) { return teamIds === null || teamIds.indexOf(item.id) !== -1; });
    const choices = el("fieldset", { className: "team-choice" }, el("legend", { text: "Include these assessments" }));
    saved.forEach(function (item, index) {
      const id = "team_" + index;
      choices.append(el("div", { className: "checkbox" },
        el("input", { type: "checkbox", id: id, value: item.id, checked: included.indexOf(item) !== -1, onchange: toggleTeam }),
        el("label", { for: id, text: describe(item) + (item.people ? " – " + item.people : "") })));
    });
    box.append(choices);
    if (included.length < 2) {
      box.append(el("p", { text: "Tick two or more assessments to see the spread of their scores." }));
      return;
    }
    const head = el("tr", {}, el("th", { scope: "col", text: "Topic" }), ...levelHeaders("People at "),
      el("th", { scope: "col", className: "num", text: "Not answered" }), el("th", { scope: "col", text: "Spread" }));
    const bodies = topicRows(TOP + 3, function (topic) {
      const scores = included.map(function (item) { return scoreOf(item, topic); }).filter(function (score) { return score !== null; });
      const row = el("tr", { "data-topic": topic.id }, topicHeader(topic));
      LEVELS.forEach(function (label, index) {
        const count = scores.filter(function (score) { return score === index + 1; }).length;
        row.append(el("td", { className: "num" + (count ? " count" : ""), text: String(count) }));
      });
      row.append(el("td", { className: "num", text: String(included.length - scores.length) }));
      if (!scores.length) {
        row.append(dash("no answers"));
        return row;
      }
      const low = Math.min.apply(null, scores);
      const high = Math.max.apply(null, scores);
      const wide = high - low >= 2;
      row.append(el("td", { className: wide ? "spread-wide" : null,
        text: low === high ? "All " + LEVELS[low - 1] : LEVELS[low - 1] + " to " + LEVELS[high - 1] + (wide ? " (talk about it)" : "") }));
      return row;
    });
    box.append(scrollTable(el("table", { className: "team-table", id: "team-table" },
      el("caption", { text: "Spread of scores across " + plural(included.length, "assessment", "assessments") }),
      el("thead", {}, head), ...bodies)));
  }

  function toggleTeam() {
    teamIds = Array.from(document.querySelectorAll(".team-choice input:checked")).map(function (input) { return input.value; });
    keepFocus(renderTeam);
  }

  /* ---------- Export and import ---------- */

  function renderExport() {
    const box = document.getElementById("export-content");
    const saved = state.assessments;
    box.replaceChildren();
    if (!saved.length) {
      box.append(el("p", { text: "Nothing to export yet: score a topic first." }));
    } else {
      const pick = function (event) { exportWhat = event.target.value; };
      const onlyCurrent = el("input", { type: "radio", name: "export-what", id: "export-current", value: "current", checked: exportWhat === "current", onchange: pick });
      const all = el("input", { type: "radio", name: "export-what", id: "export-all", value: "all", checked: exportWhat !== "current", onchange: pick });
      box.append(
        el("fieldset", { className: "export-choice" }, el("legend", { text: "What to export" }),
          el("div", { className: "radio" }, all, el("label", { for: "export-all", text: "All assessments (" + saved.length + ")" })),
          el("div", { className: "radio" }, onlyCurrent, el("label", { for: "export-current", text: "Only “" + describe(current()) + "”" }))),
        el("div", { className: "button-row" },
          el("button", { type: "button", className: "button", id: "export-json", onclick: function () { exportJson(chosen()); } }, "Export as JSON (to import later)"),
          el("button", { type: "button", className: "button", id: "export-csv", onclick: function () { exportCsv(chosen()); } }, "Export as CSV (for Excel)"),
          el("button", { type: "button", className: "button button-secondary", id: "print-results", onclick: function () { window.print(); } }, "Print the results")));
    }
    const input = el("input", { type: "file", id: "import-files", accept: ".json,application/json", multiple: true, "aria-describedby": "import-hint",
      onchange: function (event) { importFiles(Array.from(event.target.files)); event.target.value = ""; } });
    box.append(el("h3", { text: "Import" }),
      el("div", { className: "field" },
        el("label", { for: "import-files", text: "Choose one or more JSON files exported from this page" }),
        el("p", { className: "hint", id: "import-hint", text: "Their assessments are added to the ones here. An assessment exported from here and imported again replaces the one it was exported from. Choose several people’s files at once to see the team view." }),
        input));
    const backups = backupKeys();
    if (backups.length) {
      const list = el("ul", { className: "backup-list", id: "backup-list" });
      backups.forEach(function (key, index) {
        list.append(el("li", {}, el("span", { text: "Kept on " + backupTime(key) + " " }),
          el("button", { type: "button", className: "button button-secondary", id: "stored-backup-" + (index + 1),
            "aria-label": "Download the backup kept on " + backupTime(key), onclick: function () { downloadBackup(key); } }, "Download")));
      });
      box.append(el("h3", { text: "Backups" }),
        el("p", { text: "Answers this page found saved in this browser but could not use as they were, kept exactly as they were. Download one to keep a copy, ask for help with it, or import it if it can be read." }),
        list);
    }

    function chosen() {
      return exportWhat === "current" ? [current()] : state.assessments;
    }
  }

  function download(name, type, text) {
    const link = el("a", { href: URL.createObjectURL(new Blob([text], { type: type })), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  }

  function fileName(assessments, extension) {
    const what = assessments.length === 1 && state.assessments.length > 1
      ? (assessments[0].name || "assessment").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")
      : "assessments";
    return data.workbook + "-" + (what || "assessment") + "-" + today() + "." + extension;
  }

  function exportJson(assessments) {
    const file = { format: FORMAT, workbook: data.workbook, current: assessments.indexOf(current()) !== -1 ? current().id : assessments[0].id, assessments: assessments };
    download(fileName(assessments, "json"), "application/json", JSON.stringify(file, null, 2) + "\n");
    announce("Exported " + plural(assessments.length, "assessment", "assessments") + " as JSON.");
  }

  /* A cell Excel reads as text: quoted when needed, and never as a formula. */
  function csvCell(value) {
    let text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? "\"" + text.replace(/"/g, "\"\"") + "\"" : text;
  }

  function csvRows(assessments) {
    const rows = [["Assessment", "Date", "Workbook", "Section", "Topic", "Title", "Score", "Work towards", "Action", "Who", "By when"]];
    assessments.forEach(function (assessment) {
      TOPICS.forEach(function (entry) {
        const topic = entry.topic;
        const score = scoreOf(assessment, topic);
        const plan = has(assessment.plans, topic.id) ? assessment.plans[topic.id] : {};
        rows.push([assessment.name, assessment.date, data.short_title, entry.section.title, topic.number, topic.title,
          score === null ? "" : LEVELS[score - 1], workTowards(topic, score).text,
          plan.action || "", plan.who || "", plan.by || ""]);
      });
    });
    return rows;
  }

  function exportCsv(assessments) {
    const text = csvRows(assessments).map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
    download(fileName(assessments, "csv"), "text/csv;charset=utf-8", "\uFEFF" + text);
    announce("Exported " + plural(assessments.length, "assessment", "assessments") + " as CSV, one row per topic.");
  }

  /* A file's size as people read it: bytes, KB or MB (of 1,024). */
  function fileSize(bytes) {
    if (bytes < 1024) return plural(bytes, "byte", "bytes");
    if (bytes < 1024 * 1024) return Math.round(bytes / 1024) + " KB";
    return Math.round(bytes / (1024 * 1024) * 10) / 10 + " MB";
  }

  function importFiles(files) {
    if (!files.length) return;
    const huge = files.find(function (file) { return file.size > MAX_IMPORT; });
    if (huge) {
      announce("Nothing was imported: “" + huge.name + "” was refused because it is " + fileSize(huge.size) +
        ", too large to be a file of assessments exported from this page (the limit is " + fileSize(MAX_IMPORT) +
        "; an export is usually a few KB). Your assessments are unchanged.", true);
      return;
    }
    Promise.all(files.map(function (file) {
      return file.text().then(function (text) { return { name: file.name, read: readFile(text) }; },
        function () { return { name: file.name, read: { problem: "it could not be read" } }; });
    })).then(function (results) {
      const bad = results.find(function (result) { return result.read.problem; });
      if (bad) {
        announce("Nothing was imported: “" + bad.name + "” was refused because " + bad.read.problem + ". Your assessments are unchanged.", true);
        return;
      }
      const imported = [];
      let replaced = 0;
      let chosen = null;
      results.forEach(function (result) {
        const file = result.read.value;
        file.assessments.forEach(function (assessment) {
          const index = state.assessments.findIndex(function (item) { return item.id === assessment.id; });
          if (index === -1) state.assessments.push(assessment);
          else {
            state.assessments[index] = assessment;
            replaced += 1;
          }
          const seen = imported.indexOf(assessment.id);
          if (seen !== -1) imported.splice(seen, 1);
          imported.push(assessment.id);
        });
        if (!chosen) chosen = file.current || (file.assessments[0] && file.assessments[0].id) || null;
      });
      if (!imported.length) {
        announce("Nothing was imported: the file" + (files.length > 1 ? "s hold" : " holds") + " no assessments.", true);
        return;
      }
      if (!state.current || files.length === 1) state.current = chosen;
      if (!state.assessments.some(function (item) { return item.id === state.current; })) state.current = imported[0];
      draft = null;
      teamIds = files.length > 1 ? imported : null;
      confirmingDelete = false;
      save();
      renderAll();
      announce("Imported " + plural(imported.length, "assessment", "assessments") + " from " + plural(files.length, "file", "files") +
        (replaced ? " (" + replaced + " replaced the same assessment already here)" : "") + "." +
        (files.length > 1 ? " The team view shows them side by side." : " Showing “" + describe(current()) + "”."));
    });
  }

  /* ---------- Drawing ---------- */

  /* Redraw, then give focus (and the caret) back to the element of the same id. */
  function keepFocus(render) {
    const before = document.activeElement;
    const id = before && before.id;
    let caret = null;
    try {
      caret = [before.selectionStart, before.selectionEnd];
    } catch (error) {
      caret = null;
    }
    render();
    const again = id && document.getElementById(id);
    if (!again || again === before) return;
    again.focus();
    if (caret && caret[0] !== null && caret[0] !== undefined) {
      try {
        again.setSelectionRange(caret[0], caret[1]);
      } catch (error) {
        /* not a text field */
      }
    }
  }

  function renderResults() {
    keepFocus(function () {
      renderSummary();
      renderTiers();
      renderPlan();
      renderCompare();
      renderTeam();
      renderExport();
    });
  }

  /* Redraw everything; the radios too unless they are what just changed. */
  function renderAll(withForm) {
    keepFocus(function () {
      renderAssessmentPanel();
      if (withForm !== false) syncForm();
      renderResults();
      renderStorageProblem();
    });
  }

  window.addEventListener("storage", function (event) {
    if (event.key !== KEY || event.storageArea !== storage()) return;
    const read = event.newValue === null ? { value: emptyState() } : readFile(event.newValue);
    if (read.problem) return;
    state = read.value;
    if (!state.assessments.some(function (item) { return item.id === state.current; })) {
      state.current = state.assessments.length ? state.assessments[0].id : null;
    }
    if (!state.assessments.length) draft = newAssessment(1);
    renderAll();
    announce("Updated with changes made in another window.");
  });

  load();
  if (state.assessments.length) draft = null;
  renderForm();
  renderAll();
  renderKept();
  document.getElementById("score-app").hidden = false;
}());
