/* The scoring page: tick a workbook's topics, see the summary, tier and action plan, keep named
 * assessments in this browser, compare them, export and import them. Loaded last, it puts the
 * other scripts together (ProgressScoring: text, dom, rules, files, storage, views, panels).
 *
 * It knows no workbook: everything (levels, sections, topics, thresholds, tiers, the summary, the
 * requirement wording) comes from the JSON that the build embeds in #scoring-data
 * (workbook/scoring.py). Plain JavaScript, no library, no network, no cookies.
 *
 * The state is declared once, below. It changes in one way only: change(action) applies the action
 * to the state (ACTIONS), has the answers saved when they changed and saving is allowed (once the
 * change settles: score-storage.js), then draws again what follows from the state (render), for a
 * tick only where the topics ticked show. Views and panels read the state; they never change it,
 * they call change().
 */
(function (ns) {
  "use strict";

  const data = JSON.parse(document.getElementById("scoring-data").textContent);
  const text = ns.text;
  const rules = ns.rules(data);
  const files = ns.files(data, rules, text);
  const storage = ns.storage(data, files, text);
  const booklet = ns.booklet(data, rules, files, text);
  const teamFiles = ns.teamFiles(data, rules, files, text); // the team view as CSV and on paper (issue 17)
  const loaded = storage.load();

  /* ---------- The state: everything the page shows follows from it ---------- */

  const state = {
    /* The assessments, as saved and exported: { format, workbook, current (an id, or null), assessments }. */
    file: loaded.file || files.emptyFile(),
    /* The assessment shown while none is saved; the first change to it saves it. */
    draft: loaded.file && loaded.file.assessments.length ? null : files.newAssessment(1),
    storageProblem: loaded.problem, // why saving in this browser does not work, or ""
    locked: loaded.locked, // answers saved earlier could not be read: never save over them
    kept: loaded.kept, // saved data found on load that could not be used as it was, kept as a backup
    status: { text: "", error: false }, // the last message said in the live region #status
    confirmingDelete: false, // "Delete this assessment" asked: the confirmation is shown
    exportWhat: "all", // or "current"
    views: { compare: false, team: false, trend: false }, // which views over several assessments are open (drawn only then)
    compareIds: [null, null], // the assessments compared, then and now (null: the default)
    teamIds: null, // the assessments the team view includes (null: all)
    offer: null, // what a shared link that opened the page holds, read: { value } or { problem }; null: none
    share: { open: false, id: null, link: "", qr: false }, // the share panel: open? the link made (for id), QR?
    /* The reader of a ticked booklet, once opened: { readings (pages read), problems (lines to show), progress
     * ({ done, total } while reading), choices ({ topic: level or null } the user made), mode ("new"/"fill") }. */
    paper: null,
    paperLoading: false, // its scripts are being loaded
    paperUnavailable: false, // they could not be
    offeringNew: false, // "Start a new assessment" asked while one is saved: start from its answers, or blank?
  };

  function current() {
    return state.file.assessments.find((assessment) => assessment.id === state.file.current) || state.draft;
  }

  function isSaved(assessment) {
    return state.file.assessments.indexOf(assessment) !== -1;
  }

  /* Over time (issue 17): copy one assessment's answers and action plans into another (a deep copy: the first is
   * left as it was). */
  function copyAnswers(from, into) {
    into.scores = JSON.parse(JSON.stringify(from.scores));
    into.plans = JSON.parse(JSON.stringify(from.plans));
    if (from.action_plans !== undefined) into.action_plans = JSON.parse(JSON.stringify(from.action_plans));
  }

  /* ---------- Applying an action ---------- */

  /* What is drawn again after a change: regions, in the order they are drawn. A tick draws only what follows
   * from the topic ticked (its section's row of the summary, its bar, its plan entry, the tiers if they change,
   * its rows in the views open), a keystroke only where the text typed shows; never a list of every assessment,
   * so a tick costs the same with five assessments saved or five thousand. Saving them waits until the change
   * settles (score-storage.js). */
  const ALL = "panel paper form changed results compare team trend share offer export storage".split(" "); // every region
  const TICKED = ["ticked", "compareRows", "teamRows", "trend"]; // with `topics`, the topics ticked
  const SAVED_FIRST = ["panel", "compare", "team", "trend", "share", "export", "storage"]; // the draft just saved: after a paint

  function setStatus(message, isError) {
    state.status = { text: message, error: Boolean(isError) };
  }

  /* At the first change to the draft, make it a saved assessment; true if it was the draft. */
  function keepDraft() {
    const assessment = current();
    if (isSaved(assessment)) return false;
    state.file.assessments.push(assessment);
    state.file.current = assessment.id;
    state.draft = null;
    return true;
  }

  /* A name for an assessment added from a booklet or a link: its own, or numbered if one here has it. */
  function uniqueName(name) {
    const names = new Set(state.file.assessments.map((assessment) => assessment.name));
    let unique = name;
    for (let number = 2; names.has(unique); number += 1) unique = text.assessment.numbered(name, number);
    return unique;
  }

  function nextNumber() {
    const names = new Set(state.file.assessments.map((assessment) => assessment.name));
    let number = state.file.assessments.length + 1;
    while (names.has(text.assessment.newName(number))) number += 1;
    return number;
  }

  /* Each kind of action: change the state, and say what follows: { save: the answers changed, render:
   * the regions to draw again, later: those to draw once the browser has painted the first (what is not
   * where the user is acting), focus: ids of elements to move the focus to, the first found }, or null
   * when nothing changed. Nothing else in the page changes the state. */
  const ACTIONS = {
    /* A statement ticked for a topic (null: "Not assessed yet"). */
    score(action) {
      const first = keepDraft();
      const topic = rules.byId.get(action.topic);
      const waited = rules.needsChoice(current(), topic); // its answer was listed as given to other statements
      const scores = current().scores;
      if (action.score === null) delete scores[action.topic];
      else scores[action.topic] = rules.answer(topic, action.score);
      const render = waited ? TICKED.concat("changed") : TICKED;
      return { save: true, render: render, later: first ? SAVED_FIRST : [], topics: [action.topic] };
    },

    /* An answer given to statements that have changed since: kept at its level (`keep`), or cleared to be
     * chosen again. Until then it stays saved as it was. */
    confirm(action) {
      const assessment = current();
      const topic = rules.byId.get(action.topic);
      if (!topic || !rules.needsChoice(assessment, topic)) return null;
      const waiting = rules.waiting(assessment);
      const next = waiting[waiting.indexOf(topic) + 1];
      const score = rules.answerOf(assessment, topic).score;
      const keep = action.keep && score <= topic.statements.length;
      if (keep) assessment.scores[topic.id] = rules.answer(topic, score);
      else delete assessment.scores[topic.id];
      setStatus(keep ? text.changed.kept(topic, score) : text.changed.cleared(topic));
      /* Kept: on to the next answer waiting, else to the tick; cleared: to the topic's statements. */
      const focus = keep ? ["topic_" + topic.id + "_" + score] : ["topic_" + topic.id + "_1"];
      if (keep && next) focus.unshift("changed_" + next.id + "_keep", "changed_" + next.id + "_again");
      return { save: true, render: ["form", "changed", ...TICKED], topics: [topic.id], focus: focus };
    },

    /* The name, date or who took part, typed. A date half typed is not a date: nothing changes. */
    detail(action) {
      if (action.key === "date" && !files.DATE.test(action.value)) return null;
      const first = keepDraft();
      current()[action.key] = action.value;
      const render = first ? [] : ["labels", "compareTable", "team", "trend", "share", "export"];
      return { save: true, render: render.concat("resultsFor"), later: first ? SAVED_FIRST : [] };
    },

    /* A field of a topic's action plan, typed. */
    plan(action) {
      const first = keepDraft();
      const plans = current().plans;
      const written = Object.prototype.hasOwnProperty.call(plans, action.topic) ? plans[action.topic] : {};
      if (action.value) written[action.key] = action.value;
      else delete written[action.key];
      if (Object.keys(written).length) plans[action.topic] = written;
      else delete plans[action.topic];
      return { save: true, render: ["printed"], later: first ? SAVED_FIRST : [], topics: [action.topic] };
    },

    switch(action) {
      state.file.current = action.id;
      state.confirmingDelete = false;
      setStatus(text.assessment.showing(current()));
      return { save: true, render: ALL };
    },

    /* A new assessment: blank, or (`from`: an assessment's id) starting from a copy of its answers and plans. */
    new(action) {
      const assessment = files.newAssessment(nextNumber());
      const from = state.file.assessments.find((item) => item.id === action.from);
      if (from) copyAnswers(from, assessment);
      state.offeringNew = false;
      state.file.assessments.push(assessment);
      state.file.current = assessment.id;
      state.draft = null;
      state.confirmingDelete = false;
      setStatus(from ? text.overTime.startedFrom(assessment, from) : text.assessment.started(assessment));
      return { save: true, render: ALL, focus: ["assessment-name"] };
    },

    askDelete() {
      state.confirmingDelete = true;
      return { render: ["panel"], focus: ["confirm-delete-text"] };
    },

    cancelDelete() {
      state.confirmingDelete = false;
      return { render: ["panel"], focus: ["delete-assessment"] };
    },

    delete() {
      const saved = state.file.assessments;
      const gone = current();
      const index = saved.indexOf(gone);
      saved.splice(index, 1);
      const next = saved[Math.max(0, index - 1)];
      state.file.current = next ? next.id : null;
      if (!next) state.draft = files.newAssessment(1);
      state.confirmingDelete = false;
      setStatus(text.assessment.deleted(gone, next));
      return { save: true, render: ALL, focus: ["assessment-choice", "assessment-name"] };
    },

    /* Files read for import, or links pasted (`links`): [{ name, read: { value } or { problem } }]; all or
     * nothing. What a booklet or a link holds (`fresh`) is a new assessment, named apart from those here. */
    import(action) {
      const says = text.files;
      const several = action.results.length > 1;
      const bad = action.results.find((result) => result.read.problem);
      if (bad) {
        setStatus(says.refused(bad.name, bad.read.problem), true);
        return { render: [] };
      }
      const saved = state.file.assessments;
      const imported = [];
      let replaced = 0;
      let chosen = null;
      action.results.forEach((result) => {
        const file = result.read.value;
        file.assessments.forEach((assessment) => {
          if (result.read.fresh) assessment.name = uniqueName(assessment.name);
          const index = saved.findIndex((item) => item.id === assessment.id);
          if (index === -1) {
            saved.push(assessment);
          } else {
            saved[index] = assessment;
            replaced += 1;
          }
          const seen = imported.indexOf(assessment.id);
          if (seen !== -1) imported.splice(seen, 1);
          imported.push(assessment.id);
        });
        if (!chosen) chosen = file.current || (file.assessments[0] && file.assessments[0].id) || null;
      });
      if (!imported.length) {
        setStatus(says.empty(several), true);
        return { render: [] };
      }
      if (!state.file.current || !several) state.file.current = chosen;
      if (!saved.some((item) => item.id === state.file.current)) state.file.current = imported[0];
      state.draft = null;
      /* Links are collected for the team view: each batch joins those it shows, and it opens, as for several files. */
      if (action.links) state.teamIds = state.teamIds && state.teamIds.concat(imported);
      else state.teamIds = several ? imported : null;
      if (action.links || several) state.views.team = true;
      state.confirmingDelete = false;
      const only = action.results.length === 1 && action.results[0];
      setStatus(
        only && only.read.summary
          ? only.read.summary(only.name, current())
          : says.imported(imported.length, action.results.length, replaced, current(), action.links),
      );
      return { save: true, render: ALL };
    },

    /* A shared link opened the page: what it holds is offered (or its problem said) until added or declined. */
    offer(action) {
      state.offer = action.read;
      return { render: ["offer"] };
    },

    /* The assessment a shared link holds, added as a new one; nothing here is replaced. */
    acceptOffer() {
      const offered = state.offer;
      if (!offered || offered.problem) return null;
      const assessment = offered.value.assessments[0];
      assessment.name = uniqueName(assessment.name);
      state.file.assessments.push(assessment);
      state.file.current = assessment.id;
      state.draft = null;
      state.offer = null;
      state.confirmingDelete = false;
      setStatus(text.share.added(assessment));
      return { save: true, render: ALL, focus: ["assessment-choice"] };
    },

    dismissOffer() {
      if (!state.offer) return null;
      setStatus(state.offer.problem ? text.share.dismissed : text.share.notAdded);
      state.offer = null;
      return { render: ["offer"], focus: ["assessment-choice", "assessment-name"] };
    },

    /* The share panel opened or closed; the link is made after (share.sync). */
    shareOpen(action) {
      state.share = { open: action.open, id: null, link: "", qr: false };
      return { render: ["share"], focus: [action.open ? "share_link" : "share_open"] };
    },

    /* The link of the assessment shown, made; `qr`: whether the QR code's script is there to draw it. */
    shareMade(action) {
      if (!state.share.open) return null;
      state.share = { open: true, id: action.id, link: action.link, qr: action.qr };
      return { render: ["share"] };
    },

    /* The answers saved by another window of this page (null: removed there). Not saved again here. What
     * this page cannot read (a newer version's, or damaged) is never saved over: saving stops, as on loading
     * such data, and the answers shown stay here to export. Once stopped, nothing from there replaces them. */
    elsewhere(action) {
      if (state.locked) return null;
      const read = action.saved === null ? { value: files.emptyFile() } : files.read(action.saved);
      if (read.problem) {
        state.locked = true;
        state.storageProblem = text.storage.changedElsewhere(read.problem) + text.storage.leftAlone;
        return { render: ["storage"] };
      }
      state.file = read.value;
      const saved = state.file.assessments;
      if (!saved.some((item) => item.id === state.file.current)) {
        state.file.current = saved.length ? saved[0].id : null;
      }
      if (!saved.length) state.draft = files.newAssessment(1);
      setStatus(text.assessment.updatedElsewhere);
      return { render: ALL, unsaved: true }; // what waited to be saved here is replaced, not saved over it
    },

    /* The answers were saved (problem "") or could not be (why); `said`: the changes saved said something. */
    saved(action) {
      if (action.problem === state.storageProblem) return null;
      const recovered = !action.problem;
      state.storageProblem = action.problem;
      if (recovered && !action.said) setStatus(text.storage.savingAgain);
      return { render: ["storage"] };
    },

    compare(action) {
      state.compareIds[action.index] = action.id;
      return { render: ["compare"] };
    },

    team(action) {
      state.teamIds = action.ids;
      return { render: ["team"] };
    },

    /* ---------- Over time (issue 17): a new assessment offered to start from the latest one's answers ---------- */

    askNew() {
      state.offeringNew = true;
      return { render: ["panel"], focus: ["new_from_latest"] };
    },

    cancelNew() {
      state.offeringNew = false;
      return { render: ["panel"], focus: ["new-assessment"] };
    },

    /* The compare, team or trend view (`name`) opened or closed. */
    view(action) {
      if (state.views[action.name] === action.open) return null;
      state.views[action.name] = action.open;
      return { render: [action.name] };
    },

    exportWhat(action) {
      state.exportWhat = action.what;
      return { render: [] };
    },

    /* ---------- Reading a ticked booklet (score-paper.js draws it) ---------- */

    paperLoading(action) {
      state.paperLoading = action.loading;
      state.paperUnavailable = Boolean(action.failed);
      return { render: ["paper"] };
    },

    paperOpen() {
      state.paperLoading = false;
      state.paper = { readings: [], problems: [], progress: null, choices: {}, mode: "new" };
      return { render: ["paper"], focus: ["paper_files"] };
    },

    paperProgress(action) {
      state.paper.progress = { done: action.done, total: action.total };
      return { render: ["paper"] };
    },

    /* Pages read (added to those read before: a page read twice counts once), and the pictures that were not. */
    paperRead(action) {
      const paper = state.paper;
      const seen = new Set(action.readings.map((reading) => reading.page + ":" + reading.hash));
      paper.readings = paper.readings.filter((reading) => !seen.has(reading.page + ":" + reading.hash));
      paper.readings = paper.readings.concat(action.readings);
      paper.problems = action.problems;
      paper.progress = null;
      return { render: ["paper"], focus: paper.readings.length ? [paperView.focusAt(0)] : ["paper_files"] };
    },

    /* A level chosen for a topic read (null: no answer); `next`: move on to the next topic. */
    paperChoose(action) {
      state.paper.choices[action.topic] = action.level;
      const at = action.next ? action.index + 1 : action.index;
      return { render: ["paper"], focus: [paperView.focusAt(at)] };
    },

    paperMode(action) {
      state.paper.mode = action.mode;
      return { render: ["paper"], focus: ["paper_mode_" + action.mode] };
    },

    /* The answers read and checked, saved: as a new assessment, or into the current one's unanswered topics. */
    paperSave() {
      const read = paperView.answers(state.paper);
      const ids = Object.keys(read);
      if (!ids.length) {
        setStatus(text.paper.nothing, true);
        return { render: [] };
      }
      const filling = state.paper.mode === "fill" && isSaved(current());
      const assessment = filling ? current() : files.newAssessment(nextNumber());
      if (!filling) {
        assessment.name = uniqueName(text.paper.name(assessment.date));
        state.file.assessments.push(assessment);
        state.file.current = assessment.id;
        state.draft = null;
      }
      const added = ids.filter((id) => !filling || !rules.answerOf(assessment, rules.byId.get(id)));
      added.forEach((id) => (assessment.scores[id] = rules.answer(rules.byId.get(id), read[id])));
      state.paper = null;
      setStatus(text.paper.saved(assessment, added.length));
      return { save: true, render: ALL, focus: ["assessment-choice", "assessment-name"] };
    },

    paperClose() {
      state.paper = null;
      return { render: ["paper"], focus: ["paper_open"] };
    },

    /* Something to say that changes nothing else (a file exported, an import refused). */
    say(action) {
      setStatus(action.message, action.error);
      return { render: [] };
    },
  };

  /* ---------- The priorities of the action plan (issue 17) ---------- */
  Object.assign(ACTIONS, {
    /* A topic made a priority or not (`on`): from then on the priorities are the team's own, kept in the assessment
     * (ids; those of topics this edition does not have are kept as they were). */
    priority(action) {
      const first = keepDraft();
      const assessment = current();
      const kept = Array.isArray(assessment.priorities)
        ? assessment.priorities.filter((id) => !rules.byId.has(id))
        : [];
      const chosen = rules.priorities(assessment).map((topic) => topic.id);
      const others = chosen.filter((id) => id !== action.topic);
      assessment.priorities = kept.concat(others, action.on ? [action.topic] : []);
      return {
        save: true,
        render: ["plan"],
        later: first ? SAVED_FIRST : [],
        focus: ["plan_" + action.topic + "_priority"],
      };
    },

    /* The team's choice forgotten: the priorities follow the scores again. */
    priorityDefault() {
      const assessment = current();
      if (!Array.isArray(assessment.priorities)) return null;
      delete assessment.priorities;
      return { save: true, render: ["plan"], focus: ["plan-priorities-title"] };
    },
  });

  let said = false; // whether a change waiting to be saved said something of its own (else a return to saving is)

  /* The one way the state changes: apply the action, have the answers saved when they changed, draw again. */
  function change(action) {
    const before = state.status;
    const effect = ACTIONS[action.type](action);
    if (!effect) return;
    const saying = state.status !== before;
    const regions = new Set(effect.render);
    if (saying) regions.add("status");
    if (effect.unsaved) storage.cancel();
    if (effect.save && !state.locked) {
      said = said || saying;
      storage.soon(current()); // the assessment shown is the one an action changes in place
    }
    render(regions, effect);
    if (effect.later && effect.later.length) ns.dom.afterPaint(() => render(new Set(effect.later)));
    if (action.type === "offer") show();
    if (action.type !== "shareMade") share.sync(); // the link follows the assessment shown
  }

  /* What is saved when a change settles (null: nothing, answers saved earlier must not be saved over), and what
   * follows when it was. */
  storage.autosave(
    () => (state.locked ? null : state.file),
    (problem) => {
      const saying = said;
      said = false;
      change({ type: "saved", problem: problem, said: saying });
    },
  );

  /* ---------- Drawing what follows from the state ---------- */

  /* What the views and panels are given: the state to read, change() to call, and the page's parts. */
  const app = {
    data,
    text,
    rules,
    files,
    storage,
    state,
    current,
    openPaper,
    isSaved,
    change,
    exportJson,
    exportCsv,
    downloadBackup,
    importFiles,
    exportTeam,
    print: ns.print.print, // "results", "plan" or "team" (score-print.js)
  };
  const form = ns.form(app);
  const views = ns.views(app);
  const panels = ns.panels(app);
  const several = ns.compare(app);
  const share = ns.share(app);
  const trend = ns.trend(app); // over time (issue 17)

  /* Each region, drawn from the state; `effect` is what the change said (its `topics`: those ticked or typed in). */
  const REGIONS = {
    panel: panels.assessmentPanel,
    paper: () => (paperView && state.paper ? paperView.render() : panels.paperStart()),
    form: form.tick,
    changed: form.changed,
    labels: panels.labels,
    results: () => {
      views.summary();
      views.tiers();
      views.plan();
      views.detailedPlans();
    },
    plan: () => {
      views.plan();
      views.detailedPlans();
    },
    resultsFor: views.labelResults, // the line naming the assessment
    ticked: (effect) => views.ticked(effect.topics), // what the topics ticked change in the results
    printed: (effect) => views.printed(effect.topics),
    compare: several.compare, // the choice of assessments and the table, if open
    compareTable: several.compareTable, // the table alone
    compareRows: (effect) => several.compareRows(effect.topics), // the rows of the topics ticked
    team: several.team, // the choice of assessments and the table, if open
    teamRows: (effect) => several.teamRows(effect.topics), // the rows of the topics ticked
    trend: trend.trend, // the section results of every assessment, if open
    share: share.panel,
    offer: share.offer,
    export: panels.exportImport,
    storage: panels.storageProblem,
  };
  const ORDER = Object.keys(REGIONS);
  const WITHIN = {
    ticked: "results",
    plan: "results",
    compareTable: "compare",
    compareRows: "compare",
    teamRows: "team",
  }; // drawn anyway when the whole is

  /* Draw the regions again, keeping the focus where it was; then move it to the first of `effect.focus` found. */
  function render(regions, effect) {
    const drawn = ORDER.filter((name) => regions.has(name) && !regions.has(WITHIN[name]));
    ns.dom.keepFocus(() => drawn.forEach((name) => REGIONS[name](effect || {})));
    const target = ((effect && effect.focus) || []).map((id) => document.getElementById(id)).find(Boolean);
    if (target) target.focus();
    if (regions.has("status")) panels.status();
  }

  /* ---------- Downloads and files chosen: read or written, then a change ---------- */

  function exportJson(assessments) {
    ns.dom.download(
      files.fileName(assessments, state.file.assessments, "json"),
      "application/json",
      files.json(assessments, current()),
    );
    change({ type: "say", message: text.files.exportedJson(assessments.length) });
  }

  function exportCsv(assessments) {
    ns.dom.download(
      files.fileName(assessments, state.file.assessments, "csv"),
      "text/csv;charset=utf-8",
      files.csv(assessments),
    );
    change({ type: "say", message: text.files.exportedCsv(assessments.length) });
  }

  /* The team view of some assessments, as CSV (issue 17). */
  function exportTeam(assessments) {
    ns.dom.download(teamFiles.fileName(), "text/csv;charset=utf-8", teamFiles.csv(assessments));
    change({ type: "say", message: text.team.exported(assessments.length) });
  }

  /* Download a backup exactly as it was saved: `saved`, or else what its key holds now. */
  function downloadBackup(key, saved) {
    const backup = saved === null || saved === undefined ? storage.readBackup(key) : saved;
    if (backup === null) {
      change({ type: "say", message: text.storage.backupGone, error: true });
      return;
    }
    ns.dom.download(files.backupName(storage.backupStamp(key)), "application/json", backup);
    change({ type: "say", message: text.storage.backupDownloaded });
  }

  /* Import the chosen files: refused unread if one is too large, else read, then changed all or nothing. */
  function importFiles(chosen) {
    if (!chosen.length) return;
    const huge = files.tooLarge(chosen);
    if (huge) {
      const message = text.files.tooLarge(huge.name, text.files.size(huge.size), text.files.size(files.MAX_IMPORT));
      change({ type: "say", message: message, error: true });
      return;
    }
    files.readChosen(chosen, booklet.read).then((results) => change({ type: "import", results: results }));
  }

  /* Open the reader of ticked booklets: its scripts and the workbook's box map load now, the first time. */
  let paperView = null;
  function openPaper() {
    if (state.paperLoading) return;
    const boxes = document.getElementById("paper_section").getAttribute("data-boxes");
    change({ type: "paperLoading", loading: true });
    Promise.all([
      ns.dom.loadScript("score-scan-boxes.js"),
      ns.dom.loadScript("score-scan.js"),
      ns.dom.loadScript("score-paper.js"),
      ns.dom.loadScript(new URL(boxes, window.location.href).href),
    ])
      .then(() => {
        const map = ns.boxMaps && ns.boxMaps[data.workbook];
        if (!map || !ns.scan || !ns.paper) throw new Error("the reader's scripts are incomplete");
        paperView = paperView || ns.paper(app, map);
        change({ type: "paperOpen" });
      })
      .catch(() => change({ type: "paperLoading", loading: false, failed: true }));
  }

  /* ---------- Start ---------- */

  storage.watch((saved) => change({ type: "elsewhere", saved: saved }));
  form.buildForm();
  several.watchViews();
  trend.watch();
  render(new Set(ALL));
  panels.kept();
  share.start();
  if (/^#share=/.test(window.location.hash)) window.setTimeout(show, 1000);
  else show();

  /* The app, drawn, shown; opened by a shared link, once what it holds is offered too (it is read a moment later,
   * and its notice above would push the app down, just shown), or after a second at most. */
  function show() {
    document.getElementById("score-app").hidden = false;
  }
})((window.ProgressScoring = window.ProgressScoring || {}));
