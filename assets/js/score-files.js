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
  const ASSESSMENT_KEYS = ["id", "name", "date", "people", "scores", "plans"];
  const PLAN_KEYS = ["action", "who", "by"];
  const MAX_IMPORT = 5 * 1024 * 1024; // bytes; a real export is a few KB

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function isObject(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
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

  ns.files = function (data, rules, text) {
    const FORMAT = data.format; // workbook/scoring.py's FORMAT: the format this page saves and exports
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
    };

    /* A file with no assessments: what there is before anything is saved. */
    function emptyFile() {
      return { format: FORMAT, workbook: data.workbook, current: null, assessments: [] };
    }

    function newAssessment(number) {
      return { id: newId(), name: text.assessment.newName(number), date: today(), people: "", scores: {}, plans: {} };
    }

    /* Parse a saved or exported file: forbidden keys dropped and refused, older formats migrated, every
     * value checked. Returns { value } or { problem }, with `newer` set when a newer page wrote it. */
    function read(source) {
      let forbidden = false;
      let value;
      try {
        value = JSON.parse(source.replace(/^\uFEFF/, ""), (key, item) => {
          if (FORBIDDEN_KEYS.indexOf(key) !== -1) {
            forbidden = true;
            return undefined;
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
      while (value.format < FORMAT) {
        if (!has(MIGRATIONS, value.format)) return { problem: problems.tooOld(value.format) };
        value = MIGRATIONS[value.format](value);
      }
      const problem = fileProblem(value);
      return problem ? { problem } : { value };
    }

    /* What is wrong with a file of the current format, or "". */
    function fileProblem(file) {
      if (file.workbook !== data.workbook) return problems.otherWorkbook(file.workbook, data.workbook);
      const extra = Object.keys(file).filter((key) => FILE_KEYS.indexOf(key) === -1);
      if (extra.length) return problems.unexpectedEntry(extra[0]);
      if (!Array.isArray(file.assessments)) return problems.notAList;
      const ids = new Set();
      for (let index = 0; index < file.assessments.length; index += 1) {
        const problem = assessmentProblem(file.assessments[index], ids);
        if (problem) return problems.inAssessment(index + 1, problem);
      }
      if (file.current !== undefined && file.current !== null && !ids.has(file.current)) {
        return problems.unknownCurrent;
      }
      return "";
    }

    function assessmentProblem(assessment, ids) {
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
      if (!isObject(assessment.scores)) return says.noScores;
      for (const topic of Object.keys(assessment.scores)) {
        const score = assessment.scores[topic];
        if (!ID.test(topic)) return says.scoreNotTopic(topic);
        if (typeof score !== "number" || !Number.isInteger(score) || score < 1 || score > rules.top) {
          return says.scoreOutOfRange(topic, score, rules.top);
        }
      }
      if (!isObject(assessment.plans)) return says.noPlan;
      for (const topic of Object.keys(assessment.plans)) {
        const plan = assessment.plans[topic];
        if (!ID.test(topic)) return says.planNotTopic(topic);
        if (!isObject(plan)) return says.planNotFields(topic);
        for (const key of Object.keys(plan)) {
          if (PLAN_KEYS.indexOf(key) === -1) return says.unexpectedPlanField(key);
          if (typeof plan[key] !== "string") return says.planNotText;
        }
      }
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
        rules.entries.forEach((entry) => {
          const topic = entry.topic;
          const score = rules.scoreOf(assessment, topic);
          const plan = rules.planOf(assessment, topic);
          rows.push([
            assessment.name,
            assessment.date,
            data.short_title,
            entry.section.title,
            topic.number,
            topic.title,
            score === null ? "" : rules.levels[score - 1],
            rules.workTowards(topic, score).text,
            plan.action || "",
            plan.who || "",
            plan.by || "",
          ]);
        });
      });
      return "\uFEFF" + rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
    }

    /* ---------- Import ---------- */

    /* The first of the chosen files too large to be an export, or undefined: refused before any is read. */
    function tooLarge(chosen) {
      return chosen.find((file) => file.size > MAX_IMPORT);
    }

    /* Read and check the chosen files: a promise of [{ name, read: { value } or { problem } }]. */
    function readChosen(chosen) {
      return Promise.all(
        chosen.map((file) =>
          file.text().then(
            (source) => ({ name: file.name, read: read(source) }),
            () => ({ name: file.name, read: { problem: problems.unreadable } }),
          ),
        ),
      );
    }

    return {
      FORMAT,
      MAX_IMPORT,
      DATE,
      PLAN_KEYS,
      emptyFile,
      newAssessment,
      read,
      fileName,
      backupName,
      json,
      csv,
      tooLarge,
      readChosen,
    };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
