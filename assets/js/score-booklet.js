/* A filled-in booklet, imported (ProgressScoring.booklet(data, rules, files, text)): the fillable booklet's form
 * fields read from the PDF (score-pdf.js, loaded only when a PDF is chosen) and made into a new assessment.
 *
 * The field names come from the page's data (data.form, from workbook/forms.py through workbook/scoring.py):
 * "<topic>" a radio field whose value is the level ticked, "summary-of-actions.<topic>.<column>" the summary of
 * actions, "action-plan.<n>.<prompt>" the detailed action plans, and the hidden "booklet.edition": JSON naming
 * the workbook and each topic's meaning when the booklet was made. An answer to a topic whose meaning has
 * changed since keeps the booklet's meaning and no statement, so the page asks about it as about any answer
 * given to other words. It only reads: the state is changed by score-app.js.
 */
(function (ns) {
  "use strict";

  const FORBIDDEN = ["__proto__", "constructor", "prototype"];

  function isObject(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
  }

  /* A radio field's value as a level: "/Getting#20Started" (a PDF name kept as text) is "Getting Started";
   * none, "" and "Off" are no level. */
  function levelOf(value) {
    if (typeof value !== "string") return null;
    let level = value;
    if (level.startsWith("/")) {
      try {
        level = decodeURIComponent(
          level
            .slice(1)
            .replace(/%/g, "%25")
            .replace(/#([0-9A-Fa-f]{2})/g, "%$1"),
        );
      } catch {
        level = level.slice(1);
      }
    }
    return level === "" || level === "Off" ? null : level;
  }

  /* A text field's value as the page keeps text: line ends as "\n"; only white space is nothing. */
  function textOf(value) {
    if (typeof value !== "string" || !value.trim()) return "";
    return value.replace(/\r\n?/g, "\n");
  }

  ns.booklet = function (data, rules, files, text) {
    const form = data.form;
    const says = text.booklet;

    /* The booklet's edition field, read: { workbook, meanings } or null. */
    function editionOf(fields) {
      const field = fields.get(form.edition_field);
      try {
        const edition = JSON.parse(field.value);
        if (isObject(edition) && typeof edition.workbook === "string" && isObject(edition.meanings)) return edition;
      } catch {
        /* not JSON: not an edition */
      }
      return null;
    }

    /* The ticks: { scores, ticked, unknown (ticks of a level this workbook does not have) }. */
    function scoresOf(fields, edition) {
      const found = { scores: {}, ticked: 0, unknown: 0 };
      fields.forEach((field, name) => {
        if (field.type !== "Btn" || !files.ID.test(name) || FORBIDDEN.indexOf(name) !== -1) return;
        const level = levelOf(field.value);
        if (level === null) return;
        const index = rules.levels.indexOf(level);
        if (index === -1) {
          found.unknown += 1;
          return;
        }
        const meaning = typeof edition.meanings[name] === "string" ? edition.meanings[name] : "";
        const topic = rules.byId.get(name);
        const statement = topic && meaning === topic.meaning ? topic.statements[index] : "";
        found.scores[name] = { score: index + 1, meaning: meaning, statement: statement || "" };
        found.ticked += 1;
      });
      return found;
    }

    /* What is written, by the name's parts after `prefix`: [[part, part], text] for each field with text. */
    function written(fields, prefix) {
      const found = [];
      fields.forEach((field, name) => {
        if (field.type !== "Tx" || !name.startsWith(prefix + ".")) return;
        const parts = name.slice(prefix.length + 1).split(".");
        const value = textOf(field.value);
        if (parts.length === 2 && value && parts.every((part) => FORBIDDEN.indexOf(part) === -1)) {
          found.push([parts, value]);
        }
      });
      return found;
    }

    /* The summary of actions as the page's plans: { topic: { action, who, by } } ("towards" the page works out). */
    function plansOf(fields) {
      const plans = {};
      written(fields, form.summary_of_actions).forEach(([[topic, column], value]) => {
        const key = files.PLAN_KEYS.find((name) => form.columns[name] === column);
        if (!key || !files.ID.test(topic)) return;
        if (!Object.prototype.hasOwnProperty.call(plans, topic)) plans[topic] = {};
        plans[topic][key] = value;
      });
      return plans;
    }

    /* The detailed action plans: { "<n>": { "<prompt's slug>": text } }. */
    function detailedOf(fields) {
      const detailed = {};
      written(fields, form.action_plan).forEach(([[number, prompt], value]) => {
        if (!files.PLAN_NUMBER.test(number) || !files.ID.test(prompt)) return;
        if (!Object.prototype.hasOwnProperty.call(detailed, number)) detailed[number] = {};
        detailed[number][prompt] = value;
      });
      return detailed;
    }

    /* The detailed plans land in the priorities' prompts (issue 17): plan n is the n-th priority's (the default, from
     * the ticks, then kept as chosen), where its plans are numbered, not each for a tier. A prompt whose field the
     * summary of actions filled already, or a plan with no priority to go to, stays a detailed plan. */
    function landPlans(assessment, detailed) {
      if (!form.plans_are_priorities) return;
      const priorities = rules.priorities(assessment);
      let landed = false;
      Object.keys(detailed).forEach((number) => {
        const topic = priorities[Number(number) - 1];
        if (!topic) return;
        const written = detailed[number];
        const plan = Object.prototype.hasOwnProperty.call(assessment.plans, topic.id) ? assessment.plans[topic.id] : {};
        Object.keys(written).forEach((slug) => {
          const key = Object.prototype.hasOwnProperty.call(form.keys, slug) ? form.keys[slug] : null;
          if (key === null || Object.prototype.hasOwnProperty.call(plan, key)) return;
          plan[key] = written[slug];
          delete written[slug];
          landed = true;
        });
        if (Object.keys(plan).length) assessment.plans[topic.id] = plan;
        if (!Object.keys(written).length) delete detailed[number];
      });
      if (landed) assessment.priorities = priorities.map((topic) => topic.id);
    }

    /* Whether any field is one this workbook's booklet has: a topic, or a box of its action plans. */
    function hasOwnFields(fields) {
      const ours = (name) =>
        rules.byId.has(name) ||
        name.startsWith(form.summary_of_actions + ".") ||
        name.startsWith(form.action_plan + ".");
      return Array.from(fields.keys()).some(ours);
    }

    function count(object) {
      return Object.keys(object).reduce((total, key) => total + Object.keys(object[key]).length, 0);
    }

    /* The booklet's fields as a file of one new assessment: { value, fresh, summary } or { problem }. */
    function fromFields(fields) {
      const edition = editionOf(fields);
      if (!edition) return { problem: says.problems.notBooklet };
      if (edition.workbook !== data.workbook) {
        return { problem: text.problems.otherWorkbook(edition.workbook, data.workbook) };
      }
      if (!hasOwnFields(fields)) return { problem: says.problems.noFields };
      const ticks = scoresOf(fields, edition);
      const plans = plansOf(fields);
      const detailed = detailedOf(fields);
      if (!ticks.ticked && !ticks.unknown && !Object.keys(plans).length && !Object.keys(detailed).length) {
        return { problem: says.problems.noAnswers };
      }
      const assessment = files.newAssessment(1);
      assessment.name = says.name(assessment.date);
      assessment.scores = ticks.scores;
      assessment.plans = plans;
      landPlans(assessment, detailed);
      if (Object.keys(detailed).length) assessment.action_plans = detailed;
      const file = { format: files.FORMAT, workbook: data.workbook, current: assessment.id, assessments: [assessment] };
      const checked = files.read(JSON.stringify(file), true);
      if (checked.problem) return { problem: checked.problem };
      const counts = {
        ticked: ticks.ticked,
        topics: rules.topics.length,
        unknown: ticks.unknown,
        written: count(plans) + count(detailed),
        waiting: rules.waiting(assessment).length,
      };
      return { value: checked.value, fresh: true, summary: (name, shown) => says.imported(name, shown, counts) };
    }

    /* Read a PDF's bytes: a promise of { value, fresh, summary } or { problem }; never rejected. */
    function read(bytes) {
      const problem = (reason) => ({ problem: says.problems[reason] || says.problems.damaged });
      return ns.dom
        .loadScript("score-pdf.js")
        .then(
          () => (ns.pdf ? ns.pdf.readForm(bytes) : Promise.reject({ reason: "noReader" })),
          () => Promise.reject({ reason: "noReader" }),
        )
        .then(fromFields, (error) => problem(error && error.reason))
        .catch(() => problem("damaged"));
    }

    return { read };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
