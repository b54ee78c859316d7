/* The scoring page's results (ProgressScoring.views(app)): what follows from the answers, the summary
 * table, the chart, the tier reached, the action plan; drawn whole, or after a tick only where the
 * topics ticked show (ticked).
 *
 * Each view draws from the state (app.state, app.current()) and nothing else; what the user does in
 * it goes to app.change(action), the page's one way to change the state (score-app.js).
 */
(function (ns) {
  "use strict";

  const { el, svg, textBlocks, dash, levelHeaders, scrollTable } = ns.dom;

  ns.views = function (app) {
    const { data, rules, files } = app;
    const text = app.text;
    const levels = rules.levels;

    /* A score as the chart and the plan say it: "3 of 5", or the level's name. */
    function levelText(score) {
      return data.numeric_levels ? text.chart.outOf(score, rules.top) : levels[score - 1];
    }

    function topicNumber(topic) {
      return el("span", { className: "topic-number", text: text.form.topicNumber(topic) });
    }

    /* ---------- Summary and chart ---------- */

    function summary() {
      const says = text.summary;
      const assessment = app.current();
      const box = document.getElementById("summary-content");
      box.replaceChildren(resultsFor(assessment), progress(assessment), summaryTable(assessment));
      if (data.summary.formula) {
        box.append(
          el(
            "p",
            { className: "formula", id: "formula" },
            data.summary.formula,
            says.rounding[data.summary.name] || "",
          ),
        );
      }
      if (data.summary.by_heading) box.append(headingChart(assessment));
      box.append(chart(assessment));
    }

    /* Whose results these are: the assessment's name and date, and who took part; on paper, the workbook's name
     * above them. The name is bold by style, not <strong>: a paragraph that is only bold text reads as a heading
     * that is not one (HTML_CodeSniffer's H42). */
    function resultsFor(assessment) {
      const says = text.results;
      return el(
        "div",
        { className: "results-for", id: "results-for" },
        el(
          "div",
          { className: "print-head print-only" },
          el("p", { className: "print-workbook", text: data.full_title }),
          el("p", { className: "print-assessment", text: text.describe(assessment) }),
          el("p", { text: assessment.people ? says.people(assessment.people) : says.noPeople }),
        ),
        el(
          "p",
          { className: "no-print" },
          el("span", { className: "results-name", text: text.describe(assessment) }),
          assessment.people ? el("span", { text: text.summary.whoTookPart(assessment.people) }) : null,
        ),
      );
    }

    /* How many topics are answered, and how many answers wait for a choice. */
    function progress(assessment) {
      const waiting = rules.waiting(assessment).length;
      return el(
        "p",
        { className: "progress", id: "progress" },
        text.summary.progress(rules.answeredScores(rules.topics, assessment).length, rules.topics.length),
        waiting ? text.changed.waiting(waiting) : null,
      );
    }

    /* The line naming the assessment shown, drawn again (its name, date or people typed). */
    function labelResults() {
      const line = document.getElementById("results-for");
      if (line) line.replaceWith(resultsFor(app.current()));
    }

    /* Per section, the topics (or ticks) at each level, how many answered, and the workbook's statistic;
     * with a tally, a total row too. */
    function summaryTable(assessment) {
      const says = text.summary;
      const statistic = data.summary.statistic;
      const words = data.summary.tally ? says.tally : says.perTopic;
      const head = el(
        "tr",
        {},
        el("th", { scope: "col", text: says.section }),
        ...levelHeaders(levels, words.atLevel),
        el("th", { scope: "col", className: "num", text: words.answeredHeading }),
        el("th", { scope: "col", className: "num", text: statistic }),
      );
      const body = el("tbody");
      data.sections.forEach((section) =>
        body.append(summaryRow(section.title, section.topics, section.id, assessment)),
      );
      return scrollTable(
        el(
          "table",
          { className: "summary-table", id: "summary-table" },
          el("caption", { text: words.caption(statistic) }),
          el("thead", {}, head),
          body,
          data.summary.tally ? el("tfoot", {}, summaryRow(says.total, rules.topics, "total", assessment)) : null,
        ),
      );
    }

    /* A row of the summary table: a section's topics (`id`: the section's, or "total") at each level. */
    function summaryRow(title, topics, id, assessment) {
      const says = text.summary;
      const found = rules.counts(topics, assessment);
      const answered = found.reduce((total, count) => total + count, 0);
      const row = el("tr", { "data-section": id }, el("th", { scope: "row", text: title }));
      found.forEach((count) =>
        row.append(answered ? el("td", { className: "num", text: String(count) }) : dash(says.noneAnswered)),
      );
      row.append(el("td", { className: "num", text: says.answered(answered, topics.length) }));
      const value = rules.summaryOf(topics, assessment);
      row.append(
        value === null
          ? dash(says.noStatistic(data.summary.statistic))
          : el("td", { className: "num", text: value + (rules.meanOfNames ? says.outOf(rules.top) : "") }),
      );
      return row;
    }

    /* The graph by heading (a workbook summed up as percentages, as its scoring sheet's graph): a bar per section of
     * its percentage; a picture with its values in its label, the table above giving them too. */
    function headingChart(assessment) {
      const says = text.headingChart;
      const rows = data.sections.map((section) => ({
        section,
        percent: rules.percentage(section.topics, assessment),
        value: rules.summaryOf(section.topics, assessment),
      }));
      const figure = el(
        "figure",
        { className: "chart heading-chart", id: "heading-chart" },
        el("figcaption", { id: "heading-chart-caption" }, el("strong", { text: says.title }), says.legend),
      );
      const list = el("div", {
        className: "chart-rows",
        role: "img",
        "aria-label": says.label(rows.map((row) => ({ title: row.section.title, value: row.value }))),
      });
      rows.forEach((row) => list.append(headingRow(row)));
      figure.append(list);
      return figure;
    }

    /* A heading's row of the graph: its title, its bar, its percentage written. */
    function headingRow(row) {
      return el(
        "div",
        { className: "chart-row" + (row.value === null ? " unanswered" : ""), "data-section": row.section.id },
        el("span", { className: "chart-label", text: row.section.title }),
        percentBar(row.percent),
        el("span", { className: "chart-value", text: row.value === null ? text.headingChart.notAnswered : row.value }),
      );
    }

    /* After a tick: the rows of the headings ticked in, and the label that gives every heading's percentage. */
    function headingTicked(sections, assessment) {
      const graph = document.querySelector("#heading-chart [role=img]");
      if (!graph) return;
      const row = (section) => ({
        section,
        percent: rules.percentage(section.topics, assessment),
        value: rules.summaryOf(section.topics, assessment),
      });
      sections.forEach((section) =>
        graph
          .querySelector('.chart-row[data-section="' + CSS.escape(section.id) + '"]')
          .replaceWith(headingRow(row(section))),
      );
      graph.setAttribute(
        "aria-label",
        text.headingChart.label(data.sections.map((section) => ({ title: section.title, value: row(section).value }))),
      );
    }

    /* A percentage's bar: a track in quarters, filled to the percentage (an empty dashed box for none). */
    function percentBar(percent) {
      const picture = svg("svg", {
        viewBox: "0 0 100 10",
        preserveAspectRatio: "none",
        "aria-hidden": "true",
        focusable: "false",
        class: "bar",
      });
      picture.append(svg("rect", { x: 0, y: 0, width: 100, height: 10, class: "bar-track" }));
      [25, 50, 75].forEach((x) =>
        picture.append(
          svg("line", { x1: x, x2: x, y1: 0, y2: 10, class: "bar-grid", "vector-effect": "non-scaling-stroke" }),
        ),
      );
      picture.append(
        percent === null
          ? svg("rect", {
              x: 0.5,
              y: 0.5,
              width: 99,
              height: 9,
              class: "bar-unanswered",
              "vector-effect": "non-scaling-stroke",
            })
          : svg("rect", { x: 0, y: 1.5, width: percent, height: 7, class: "bar-fill" }),
      );
      return el("span", { className: "chart-bar" }, picture);
    }

    function chart(assessment) {
      const says = text.chart;
      const figure = el(
        "figure",
        { className: "chart", id: "chart", "aria-labelledby": "chart-caption" },
        el("figcaption", { id: "chart-caption" }, el("strong", { text: says.title }), says.legend(data.has_thresholds)),
      );
      data.sections.forEach((section) => {
        const list = el("ol", { className: "chart-rows", "aria-label": section.title });
        section.topics.forEach((topic) => list.append(chartRow(topic, assessment)));
        figure.append(el("p", { className: "chart-section", "aria-hidden": "true", text: section.title }), list);
      });
      return figure;
    }

    /* A topic's row of the chart: its title, its bar, its value written. */
    function chartRow(topic, assessment) {
      const says = text.chart;
      const score = rules.scoreOf(assessment, topic);
      const below = rules.belowThreshold(topic, assessment);
      let value = score === null ? says.notAnswered : levelText(score);
      if (topic.threshold !== null) {
        value += (below ? says.needs : says.meets)(levels[topic.threshold - 1]);
      }
      return el(
        "li",
        {
          className: "chart-row" + (score === null ? " unanswered" : "") + (below ? " below" : ""),
          "data-topic": topic.id,
        },
        el("span", { className: "chart-label" }, topicNumber(topic), " " + topic.title),
        bar(score, topic.threshold, below),
        el("span", { className: "chart-value", text: value }),
      );
    }

    function bar(score, threshold, below) {
      const width = rules.top * 20;
      const picture = svg("svg", {
        viewBox: "0 0 " + width + " 10",
        preserveAspectRatio: "none",
        "aria-hidden": "true",
        focusable: "false",
        class: "bar",
      });
      picture.append(svg("rect", { x: 0, y: 0, width: width, height: 10, class: "bar-track" }));
      for (let level = 1; level < rules.top; level += 1) {
        picture.append(
          svg("line", {
            x1: level * 20,
            x2: level * 20,
            y1: 0,
            y2: 10,
            class: "bar-grid",
            "vector-effect": "non-scaling-stroke",
          }),
        );
      }
      if (score === null) {
        picture.append(
          svg("rect", {
            x: 0.5,
            y: 0.5,
            width: width - 1,
            height: 9,
            class: "bar-unanswered",
            "vector-effect": "non-scaling-stroke",
          }),
        );
      } else {
        picture.append(
          svg("rect", { x: 0, y: 1.5, width: score * 20, height: 7, class: below ? "bar-fill bar-below" : "bar-fill" }),
        );
      }
      if (threshold !== null) {
        picture.append(
          svg("line", {
            x1: threshold * 20,
            x2: threshold * 20,
            y1: 0,
            y2: 10,
            class: "bar-threshold",
            "vector-effect": "non-scaling-stroke",
          }),
        );
      }
      return el("span", { className: "chart-bar" }, picture);
    }

    /* ---------- Tier reached ---------- */

    let tiersDrawn = null; // what the tiers drawn show (tiersShown), so a tick draws them again only if it changed

    /* What the tiers show: the tier reached, and the topics that block the next one with their scores. */
    function tiersShown(assessment) {
      const blocking = data.tiers.map((tier) =>
        rules.blockingTopics(tier, assessment).map((entry) => [entry.topic.id, rules.scoreOf(assessment, entry.topic)]),
      );
      return JSON.stringify([rules.tierReached(assessment), blocking]);
    }

    function tiers() {
      const says = text.tiers;
      const box = document.getElementById("tiers-content");
      if (!box) return;
      const assessment = app.current();
      tiersDrawn = tiersShown(assessment);
      const reached = rules.tierReached(assessment);
      const next = rules.nextTier(reached);
      box.replaceChildren(
        el(
          "p",
          { className: "tier-reached", id: "tier-reached" },
          reached ? says.reached : says.notReached,
          reached ? el("strong", { text: reached }) : null,
          reached ? says.reachedEnd : null,
        ),
        el("p", { className: "hint", text: says.rule }),
      );
      const list = el("ul", { className: "tier-list" });
      data.tiers.forEach((tier) => {
        const blocking = rules.blockingTopics(tier, assessment).length;
        const done = rules.tierDone(tier, reached);
        list.append(
          el(
            "li",
            { "data-tier": tier, className: done ? "tier-done" : "" },
            el("span", { className: "badge", text: tier }),
            " ",
            done ? says.done : blocking ? says.blocking(blocking) : says.lowerNotReached,
          ),
        );
      });
      box.append(list);
      if (!next) {
        box.append(el("p", { text: says.highest }));
        return;
      }
      box.append(el("h3", { id: "next-tier-title", text: says.toReach(next) }), el("p", { text: says.needed }));
      const items = el("ul", { className: "blocking", id: "blocking" });
      rules.blockingTopics(next, assessment).forEach((entry) => {
        const score = rules.scoreOf(assessment, entry.topic);
        items.append(
          el(
            "li",
            { "data-topic": entry.topic.id },
            el("a", { href: "#topic-" + entry.topic.id }, says.topic(entry.topic)),
            el("span", {
              className: "blocking-detail",
              text: says.blockingDetail(entry.topic.requirement, score === null ? null : levels[score - 1]),
            }),
          ),
        );
      });
      box.append(items);
    }

    /* ---------- Action plan: the priorities with the workbook's prompts, the other topics, "keep doing this" ---------- */

    let planDrawn = null; // which topics the plan shows where (planShown), so a tick draws it whole only if that changed

    /* The plan's parts: the priorities, the other topics, and those at the top level (folded away). */
    function planParts(assessment) {
      const chosen = rules.priorities(assessment);
      const rest = rules.topics.filter((topic) => chosen.indexOf(topic) === -1);
      return {
        priorities: chosen,
        others: rest.filter((topic) => !rules.atTop(topic, assessment)),
        top: rest.filter((topic) => rules.atTop(topic, assessment)),
      };
    }

    function planShown(assessment) {
      const parts = planParts(assessment);
      const ids = (topics) => topics.map((topic) => topic.id);
      return JSON.stringify([ids(parts.priorities), ids(parts.top), Array.isArray(assessment.priorities)]);
    }

    function plan() {
      const says = text.plan;
      const assessment = app.current();
      const box = document.getElementById("plan-content");
      const folded = document.getElementById("plan-top");
      const open = Boolean(folded && folded.open);
      const parts = planParts(assessment);
      planDrawn = planShown(assessment);
      const chosen = Array.isArray(assessment.priorities);
      const priorities = el("div", { className: "plan-group plan-priorities", id: "plan-priorities" });
      parts.priorities.forEach((topic, index) => priorities.append(planItem(topic, assessment, index)));
      const others = el("div", { className: "plan-group plan-others", id: "plan-others" });
      parts.others.forEach((topic) => others.append(planItem(topic, assessment, null)));
      box.replaceChildren(
        el("p", { className: "no-print", text: says.introPriorities }),
        el("h3", { id: "plan-priorities-title", tabindex: "-1", text: says.priorities }),
        el(
          "p",
          { className: "hint plan-chosen no-print" },
          chosen ? says.chosen + " " : says.byDefault,
          chosen
            ? el("button", {
                type: "button",
                className: "button button-secondary",
                id: "plan-default",
                text: says.useDefault,
                onclick: () => app.change({ type: "priorityDefault" }),
              })
            : null,
        ),
        parts.priorities.length ? priorities : el("p", { className: "plan-none", text: says.noPriorities }),
        parts.others.length ? el("h3", { id: "plan-others-title", text: says.others(parts.others.length) }) : null,
        parts.others.length ? others : null,
      );
      if (parts.top.length) {
        const list = el("div", { className: "plan-group plan-top", id: "plan-top-list" });
        parts.top.forEach((topic) => list.append(planItem(topic, assessment, null)));
        const details = el(
          "details",
          { className: "plan-fold", id: "plan-top" },
          el("summary", { text: says.atTop(parts.top.length) }),
          list,
        );
        details.open = open;
        box.append(details);
      }
    }

    /* The keys of the fields a topic's plan shows: the summary of actions' three, and for the index-th priority its
     * plan's prompts (the booklet's plan of that number) in their order, after those of the three it has not; then
     * anything written under another key (a prompt of another plan or edition), so nothing written is hidden. */
    function planKeys(topic, assessment, index) {
      const prompts = index === null ? [] : rules.promptsFor(index);
      const keys = files.PLAN_KEYS.filter((key) => prompts.indexOf(key) === -1);
      const add = (key) => keys.indexOf(key) === -1 && keys.push(key);
      prompts.forEach(add);
      const written = rules.planOf(assessment, topic);
      Object.keys(written).forEach((key) => written[key] && add(key));
      return keys;
    }

    function planItem(topic, assessment, index) {
      const says = text.plan;
      const written = rules.planOf(assessment, topic);
      const id = "plan_" + topic.id;
      const priority = index !== null;
      const item = el(
        "div",
        { className: "plan-item" + (priority ? " plan-priority" : ""), id: id, "data-topic": topic.id },
        el(
          "h4",
          { id: id + "_title" },
          priority ? el("span", { className: "priority-number", text: says.priorityNumber(index + 1) + ": " }) : null,
          topicNumber(topic),
          " " + topic.title,
        ),
        ...planStanding(topic, assessment),
      );
      const check = el("input", {
        type: "checkbox",
        id: id + "_priority",
        onchange: (event) => app.change({ type: "priority", topic: topic.id, on: event.target.checked }),
      });
      check.checked = priority;
      item.append(
        el(
          "div",
          { className: "plan-check no-print" },
          check,
          el("label", { for: id + "_priority", text: says.makePriority }),
        ),
      );
      const fields = el("div", { className: "plan-fields" });
      planKeys(topic, assessment, index).forEach((key) => fields.append(planField(topic, key, written[key] || "")));
      item.append(fields);
      return item;
    }

    /* A field of a topic's plan, named by its prompt: the workbook's words (the summary of actions' for its three). */
    function planField(topic, key, value) {
      const says = text.plan;
      const id = "plan_" + topic.id;
      const fieldId = id + "_" + key;
      const short = key === "who" || key === "by";
      const label = Object.prototype.hasOwnProperty.call(data.form.labels, key)
        ? data.form.labels[key]
        : says.fields[key] || key;
      const input = el(short ? "input" : "textarea", {
        id: fieldId,
        name: fieldId,
        rows: short ? null : "2",
        type: short ? "text" : null,
        "aria-describedby": id + "_title",
        oninput: (event) => app.change({ type: "plan", topic: topic.id, key: key, value: event.target.value }),
      });
      input.value = value;
      return el(
        "div",
        { className: "field plan-field plan-" + key + (value ? "" : " plan-empty"), "data-key": key },
        el("label", { for: fieldId, text: label }),
        input,
        el("span", { className: "print-value", text: value }),
      );
    }

    /* What a topic's plan says of its score: where it stands, and the statement to work towards. */
    function planStanding(topic, assessment) {
      const says = text.plan;
      const score = rules.scoreOf(assessment, topic);
      const next = rules.workTowards(topic, score);
      let standing = score === null ? says.notAnswered : says.score(levelText(score));
      if (topic.requirement) standing += says.separator + text.sentence(topic.requirement);
      return [
        el("p", { className: "plan-standing", text: standing }),
        el(
          "div",
          { className: "work-towards" },
          el("p", {
            className: "work-towards-label",
            text:
              next.level === null
                ? says.workTowards
                : says.workTowardsLevel(levels[next.level - 1], data.numeric_levels),
          }),
          textBlocks(next.text, "work-towards-text"),
        ),
      ];
    }

    /* ---------- A tick: only what follows from the topics ticked is drawn again ---------- */

    /* After the topics `ids` were ticked: the progress line, their sections' rows of the summary (and the total),
     * their rows of the chart, their entries in the plan, and the tiers if what they show changed. */
    function ticked(ids) {
      const assessment = app.current();
      const topics = ids.map((id) => rules.byId.get(id)).filter(Boolean);
      document.getElementById("progress").replaceWith(progress(assessment));
      const sections = new Set(
        rules.entries.filter((entry) => topics.includes(entry.topic)).map((entry) => entry.section),
      );
      sections.forEach((section) =>
        replaceRow("summary-table", section.id, summaryRow(section.title, section.topics, section.id, assessment)),
      );
      if (data.summary.tally)
        replaceRow("summary-table", "total", summaryRow(text.summary.total, rules.topics, "total", assessment));
      headingTicked(sections, assessment);
      topics.forEach((topic) => {
        document
          .querySelector('.chart-row[data-topic="' + CSS.escape(topic.id) + '"]')
          .replaceWith(chartRow(topic, assessment));
        planTicked(topic, assessment);
      });
      if (data.tiers.length && tiersShown(assessment) !== tiersDrawn) tiers();
    }

    function replaceRow(table, section, row) {
      document.querySelector("#" + table + ' tr[data-section="' + CSS.escape(section) + '"]').replaceWith(row);
    }

    /* A topic's entry in the plan after a tick: what it says of the score drawn again (the fields typed in stay as
     * they are); the whole plan drawn again if the priorities or the topics at the top level changed. */
    function planTicked(topic, assessment) {
      if (planShown(assessment) !== planDrawn) {
        plan();
        return;
      }
      const item = document.getElementById("plan_" + topic.id);
      item.querySelector(".work-towards").remove();
      item.querySelector(".plan-standing").replaceWith(...planStanding(topic, assessment));
    }

    /* What is written in the plan for some topics (`ids`; all if none), as printed (the fields are what is typed). */
    function printed(ids) {
      const assessment = app.current();
      const topics = ids && ids.length ? ids.map((id) => rules.byId.get(id)).filter(Boolean) : rules.topics;
      topics.forEach((topic) => {
        const written = rules.planOf(assessment, topic);
        document.querySelectorAll("#plan_" + CSS.escape(topic.id) + " .plan-field").forEach((field) => {
          const value = written[field.getAttribute("data-key")] || "";
          const shown = field.querySelector(".print-value");
          if (shown.textContent !== value) shown.textContent = value;
          field.classList.toggle("plan-empty", !value);
        });
      });
    }

    /* The detailed action plans a filled booklet gave (assessment.action_plans), read-only under the action plan:
     * each plan's prompts in the workbook's order, then any prompt this edition no longer has, by its name. */
    function detailedPlans() {
      const says = text.booklet;
      const detailed = app.current().action_plans;
      const box = document.getElementById("plan-content");
      if (!detailed || !Object.keys(detailed).length) return;
      const known = data.form.prompts.map((prompt) => prompt.slug);
      const part = el(
        "div",
        { className: "detailed-plans" },
        el("h3", { text: says.detailedTitle }),
        el("p", { className: "hint no-print", text: says.detailedIntro }),
      );
      Object.keys(detailed)
        .sort((a, b) => Number(a) - Number(b))
        .forEach((number) => {
          const written = detailed[number];
          const slugs = known.concat(Object.keys(written).filter((slug) => known.indexOf(slug) === -1));
          const list = el("dl", { className: "detailed-plan", "data-plan": number });
          slugs.forEach((slug) => {
            if (!Object.prototype.hasOwnProperty.call(written, slug)) return;
            const prompt = data.form.prompts.find((item) => item.slug === slug);
            list.append(
              el("dt", { text: prompt ? prompt.text : slug }),
              el("dd", {}, textBlocks(written[slug], "line-text")),
            );
          });
          const title = data.form.titles[Number(number) - 1];
          part.append(el("h4", { text: says.plan(Number(number), data.form.plans, title) }), list);
        });
      box.append(part);
    }

    return { summary, labelResults, tiers, plan, ticked, printed, detailedPlans };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
