/* The file of assessments (ProgressScoring.files(data, rules, text)): what the page saves in this
 * browser and exports as JSON, read back with every value checked and older formats migrated; the
 * CSV export; the files a user chooses to import. It only reads and writes text: the state is
 * changed by score-app.js.
 */
(function (ns) {
  "use strict";

  const ID = /^[a-z0-9][a-z0-9-]*$/;
  const DATE = /^(\d{4}-\d{2}-\d{2})?$/; // a date as <input type="date"> gives it, or none
  const FORBIDDEN_KEYS = ["__proto__", "constructor", "prototype"];
  const FILE_KEYS = ["format", "workbook", "current", "assessments"];
  const ASSESSMENT_KEYS = ["id", "name", "date", "people", "scores", "plans", "action_plans", "priorities"]; // the last two optional
  const ANSWER_KEYS = ["score", "meaning", "statement"];
  const PLAN_KEYS = ["action", "who", "by"];
  const PLAN_NUMBER = /^[1-9][0-9]{0,2}$/; // a detailed action plan's number, from 1
  const MAX_IMPORT = 5 * 1024 * 1024; // bytes; a real export is a few KB

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function isObject(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
  }

  /* A score as a file may hold one: a whole number from 1 (a score above the workbook's levels is kept). */
  function isWhole(value) {
    return Number.isSafeInteger(value) && value >= 1;
  }

  /* Whether a date written YYYY-MM-DD (or none) is a day of the calendar: not 2026-02-30 nor 0000-00-00. */
  function isDay(date) {
    const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!parts) return date === "";
    const [year, month, day] = parts.slice(1).map(Number);
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    return year >= 1 && day >= 1 && day <= days;
  }

  function today() {
    const now = new Date();
    const pad = (number) => String(number).padStart(2, "0");
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function newId() {
    return "a-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 8);
  }

  /* A cell Excel reads as text: quoted when needed, and never as a formula. */
  function csvCell(value) {
    let cell = String(value);
    if (/^[=+\-@\t\r]/.test(cell)) cell = "'" + cell;
    return /[",\r\n]/.test(cell) ? '"' + cell.replace(/"/g, '""') + '"' : cell;
  }

  /* Rows of cells as a CSV file Excel reads: UTF-8 with a byte-order mark, CRLF lines. */
  function csvText(rows) {
    return "\uFEFF" + rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
  }

  ns.files = function (data, rules, text) {
    /* The format this page saves and exports (workbook/scoring.py's FORMAT). Format 3 keeps, with each
     * score, what it answered: the topic's `meaning` (a fingerprint of its levels and statements) and the
     * words of the statement ticked. */
    const FORMAT = data.format;
    const problems = text.problems;

    /* Each older format's step to the next: MIGRATIONS[n] turns a format-n file (an object, not yet
     * checked: a step must not trust its contents) into format n + 1. They run on what is saved in this
     * browser when the page loads and on every imported file; the result is checked as the current format. */
    const MIGRATIONS = {
      /* Format 2 saves under a key without the version (score-storage.js); the file is the same. */
      1: (file) => {
        file.format = 2;
        return file;
      },
      /* Format 2 saved a bare score per topic. It meant the statements the page showed, taken to be today's:
       * each becomes an answer to them. A score above the topic's levels cannot have meant them: it keeps no
       * meaning, so the page asks about it. Anything else is left as it was, for the check to name. */
      2: (file) => {
        (Array.isArray(file.assessments) ? file.assessments : []).forEach((assessment) => {
          if (!isObject(assessment) || !isObject(assessment.scores)) return;
          const scores = assessment.scores;
          Object.keys(scores).forEach((id) => {
            const score = scores[id];
            if (!isWhole(score)) return;
            const topic = rules.byId.get(id);
            scores[id] =
              topic && score <= topic.statements.length
                ? rules.answer(topic, score)
                : { score: score, meaning: "", statement: "" };
          });
        });
        file.format = 3;
        return file;
      },
      /* Format 4 keeps, in a topic's plan, the workbook's own prompts beside "action", "who" and "by" (the keys of
       * the prompts of those names), and may hold the priorities chosen: a format-3 file is one already. */
      3: (file) => {
        file.format = 4;
        return file;
      },
    };

    /* A file with no assessments: what there is before anything is saved. */
    function emptyFile() {
      return { format: FORMAT, workbook: data.workbook, current: null, assessments: [] };
    }

    function newAssessment(number) {
      return { id: newId(), name: text.assessment.newName(number), date: today(), people: "", scores: {}, plans: {} };
    }

    /* Parse a saved or exported file: forbidden keys dropped and refused, older formats migrated, every
     * value checked; with `imported`, a date must also be a day of the calendar (saved data is read as
     * earlier pages saved it, never refused for what they let through). Returns { value } or { problem },
     * with `newer` set when a newer page wrote it and `migrated` when it was an older format. */
    function read(source, imported) {
      let forbidden = false;
      let value;
      /* A number too large for JavaScript (1e400 reads as Infinity), as it was written: holder -> key -> text. */
      const written = new WeakMap();
      try {
        value = JSON.parse(source.replace(/^\uFEFF/, ""), function (key, item, context) {
          if (FORBIDDEN_KEYS.indexOf(key) !== -1) {
            forbidden = true;
            return undefined;
          }
          if (typeof item === "number" && !Number.isFinite(item) && context && context.source) {
            if (!written.has(this)) written.set(this, new Map());
            written.get(this).set(key, context.source);
          }
          return item;
        });
      } catch {
        return { problem: problems.notJson };
      }
      if (isObject(value) && Number.isInteger(value.format) && value.format > FORMAT) {
        return { newer: true, problem: problems.newer(value.format, FORMAT) };
      }
      if (forbidden) return { problem: problems.forbidden };
      if (!isObject(value) || !has(value, "format") || !has(value, "assessments")) {
        return { problem: problems.notAssessments };
      }
      if (typeof value.format !== "number" || !Number.isInteger(value.format) || value.format < 1) {
        return { problem: problems.unknownFormat(value.format) };
      }
      const migrated = value.format < FORMAT;
      while (value.format < FORMAT) {
        if (!has(MIGRATIONS, value.format)) return { problem: problems.tooOld(value.format) };
        value = MIGRATIONS[value.format](value);
      }
      /* A value as the file wrote it, for a message: "1e400", "3.5", "\"3\"". */
      const found = (holder, key) => {
        const text = written.has(holder) && written.get(holder).get(key);
        const item = holder[key];
        if (text) return text;
        return typeof item === "number" ? String(item) : String(JSON.stringify(item)).slice(0, 40);
      };
      const problem = fileProblem(value, { found: found, imported: Boolean(imported) });
      return problem ? { problem } : { value, migrated };
    }

    /* What is wrong with a file of the current format, or "". `check`: { found, imported } (see read). */
    function fileProblem(file, check) {
      if (file.workbook !== data.workbook) return problems.otherWorkbook(file.workbook, data.workbook);
      const extra = Object.keys(file).filter((key) => FILE_KEYS.indexOf(key) === -1);
      if (extra.length) return problems.unexpectedEntry(extra[0]);
      if (!Array.isArray(file.assessments)) return problems.notAList;
      const ids = new Set();
      for (let index = 0; index < file.assessments.length; index += 1) {
        const assessment = file.assessments[index];
        const problem = assessmentProblem(assessment, ids, check);
        if (problem) return problems.inAssessment(index + 1, isObject(assessment) ? assessment.name : "", problem);
      }
      if (file.current !== undefined && file.current !== null && !ids.has(file.current)) {
        return problems.unknownCurrent;
      }
      return "";
    }

    function assessmentProblem(assessment, ids, check) {
      const says = problems.assessment;
      if (!isObject(assessment)) return says.notAnAssessment;
      const extra = Object.keys(assessment).filter((key) => ASSESSMENT_KEYS.indexOf(key) === -1);
      if (extra.length) return says.unexpectedEntry(extra[0]);
      if (typeof assessment.id !== "string" || !assessment.id) return says.noId;
      if (ids.has(assessment.id)) return says.sameId;
      ids.add(assessment.id);
      for (const key of ["name", "people"]) {
        if (typeof assessment[key] !== "string") return says.notText(key);
      }
      if (typeof assessment.date !== "string" || !DATE.test(assessment.date)) return says.notADate;
      if (check.imported && !isDay(assessment.date)) return says.notADay(assessment.date);
      if (!isObject(assessment.scores)) return says.noScores;
      for (const topic of Object.keys(assessment.scores)) {
        const problem = answerProblem(assessment.scores, topic, check.found);
        if (problem) return problem;
      }
      if (!isObject(assessment.plans)) return says.noPlan;
      for (const topic of Object.keys(assessment.plans)) {
        const plan = assessment.plans[topic];
        if (!ID.test(topic)) return says.planNotTopic(topic);
        if (!isObject(plan)) return says.planNotFields(topic);
        for (const key of Object.keys(plan)) {
          if (!ID.test(key)) return says.unexpectedPlanField(key); // a prompt of this edition or another: kept
          if (typeof plan[key] !== "string") return says.planNotText;
        }
      }
      if (has(assessment, "priorities") && !isPriorities(assessment.priorities)) return says.notPriorities;
      return has(assessment, "action_plans") ? detailedPlansProblem(assessment.action_plans) : "";
    }

    /* Whether the priorities chosen are as the page saves them: topics' ids, each once (a topic this edition no
     * longer has is kept, not shown). */
    function isPriorities(chosen) {
      return (
        Array.isArray(chosen) &&
        chosen.every((id) => typeof id === "string" && ID.test(id)) &&
        new Set(chosen).size === chosen.length
      );
    }

    /* What is wrong with an assessment's detailed action plans, as a filled booklet gave them, or "":
     * { "<plan number>": { "<prompt's slug>": "text" } }. */
    function detailedPlansProblem(detailed) {
      const says = problems.assessment;
      if (!isObject(detailed)) return says.detailedNotPlans;
      for (const number of Object.keys(detailed)) {
        const plan = detailed[number];
        if (!PLAN_NUMBER.test(number)) return says.detailedNotNumber(number);
        if (!isObject(plan)) return says.detailedNotPrompts(number);
        for (const prompt of Object.keys(plan)) {
          if (!ID.test(prompt)) return says.detailedNotPrompt(number, prompt);
          if (typeof plan[prompt] !== "string") return says.detailedNotText(number);
        }
      }
      return "";
    }

    /* What is wrong with the answer saved for a topic, or "": { score, meaning, statement }. A score above the
     * workbook's levels is an answer to statements it had once: kept, and the page asks about it. */
    function answerProblem(scores, topic, found) {
      const says = problems.assessment;
      const given = scores[topic];
      if (!ID.test(topic)) return says.scoreNotTopic(topic);
      if (!isObject(given)) {
        return isWhole(given) ? says.bareScore(topic) : says.notAScore(topic, found(scores, topic), rules.top);
      }
      const extra = Object.keys(given).filter((key) => ANSWER_KEYS.indexOf(key) === -1);
      if (extra.length) return says.unexpectedAnswerEntry(topic, extra[0]);
      if (!isWhole(given.score)) return says.notAScore(topic, found(given, "score"), rules.top);
      if (typeof given.meaning !== "string" || typeof given.statement !== "string") return says.answerNotText(topic);
      return "";
    }

    /* ---------- Export ---------- */

    /* The name of a downloaded file: the workbook, the assessment (when only one of several), the day. */
    function fileName(assessments, saved, extension) {
      const words = text.files.fileWords;
      const what =
        assessments.length === 1 && saved.length > 1
          ? (assessments[0].name || words.one)
              .toLowerCase()
              .replace(/[^a-z0-9]+/g, "-")
              .replace(/^-|-$/g, "")
          : words.all;
      return data.workbook + "-" + (what || words.one) + "-" + today() + "." + extension;
    }

    function backupName(stamp) {
      return data.workbook + "-" + text.files.fileWords.backup + "-" + stamp + ".json";
    }

    /* The JSON export of some assessments, `current` the one shown when it is among them. */
    function json(assessments, current) {
      const file = {
        format: FORMAT,
        workbook: data.workbook,
        current: assessments.indexOf(current) !== -1 ? current.id : assessments[0].id,
        assessments: assessments,
      };
      return JSON.stringify(file, null, 2) + "\n";
    }

    /* The CSV export: a row per topic of each assessment, UTF-8 with a byte-order mark for Excel. */
    function csv(assessments) {
      const rows = [text.files.csvHeadings];
      assessments.forEach((assessment) => {
        const chosen = new Set(rules.priorities(assessment));
        rules.entries.forEach((entry) => {
          const topic = entry.topic;
          const score = rules.scoreOf(assessment, topic);
          const plan = rules.planOf(assessment, topic);
          rows.push([
            assessment.name,
            assessment.date,
            assessment.people,
            data.short_title,
            entry.section.title,
            topic.number,
            topic.title,
            score === null ? "" : rules.levels[score - 1],
            rules.workTowards(topic, score).text,
            plan.action || "",
            plan.who || "",
            plan.by || "",
            chosen.has(topic) ? text.files.csvPriority : "",
            otherPrompts(plan),
          ]);
        });
      });
      return csvText(rows);
    }

    /* The rest of a topic's plan, each prompt answered as "Prompt: text", one a line (the three above aside). */
    function otherPrompts(plan) {
      return Object.keys(plan)
        .filter((key) => PLAN_KEYS.indexOf(key) === -1 && plan[key])
        .map((key) => (has(data.form.labels, key) ? data.form.labels[key] : key) + ": " + plan[key])
        .join("\n");
    }

    /* ---------- Import ---------- */

    /* The first of the chosen files too large to be an export, or undefined: refused before any is read. */
    function tooLarge(chosen) {
      return chosen.find((file) => file.size > MAX_IMPORT);
    }

    /* Whether a file's first bytes (or, failing them, its name) say it is a PDF. */
    function isPdf(name, bytes) {
      const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
      return head.indexOf("%PDF-") !== -1 || /\.pdf$/i.test(name);
    }

    /* Read and check the chosen files: a promise of [{ name, read: { value } or { problem } }]. A PDF (a filled-in
     * booklet) goes to `readPdf(bytes)`, a promise of the same `read`; anything else is read as JSON. */
    function readChosen(chosen, readPdf) {
      return Promise.all(
        chosen.map((file) =>
          file
            .arrayBuffer()
            .then((buffer) => {
              const bytes = new Uint8Array(buffer);
              if (isPdf(file.name, bytes)) return readPdf(bytes);
              return read(new TextDecoder().decode(bytes), true); // as file.text() reads it
            })
            .then(
              (result) => ({ name: file.name, read: result }),
              () => ({ name: file.name, read: { problem: problems.unreadable } }),
            ),
        ),
      );
    }

    return {
      FORMAT,
      MAX_IMPORT,
      DATE,
      isDay,
      ID,
      PLAN_KEYS,
      PLAN_NUMBER,
      emptyFile,
      newAssessment,
      read,
      fileName,
      backupName,
      json,
      csv,
      csvText,
      tooLarge,
      readChosen,
    };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
