/* The scoring page's results (ProgressScoring.views(app)): the form of topics to tick, the answers given
 * to statements that have changed since, and what follows from the answers: the summary table, the
 * chart, the tier reached, the action plan.
 *
 * Each view draws from the state (app.state, app.current()) and nothing else; what the user does in
 * it goes to app.change(action), the page's one way to change the state (score-app.js).
 */
(function (ns) {
  "use strict";

  const { el, svg, hidden, textBlocks, dash, levelHeaders, scrollTable } = ns.dom;

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

    /* ---------- Score each topic: drawn once, then ticked to follow the state ---------- */

    function buildForm() {
      const form = document.getElementById("score-form");
      let box = form;
      data.sections.forEach((section) => {
        if (section.group_heading) {
          box = el(
            "div",
            { className: "group" },
            el("h3", { className: "group-title", id: "group_" + section.id, text: section.group_heading }),
          );
          form.append(box);
        } else if (!section.group) {
          box = form;
        }
        const heading = el(
          section.group ? "h4" : "h3",
          { className: "section-title", id: "section_" + section.id },
          section.title,
          section.tier ? el("span", { className: "badge", text: section.tier }) : null,
        );
        const part = el("div", { className: "score-section" }, heading);
        section.topics.forEach((topic) => part.append(topicFieldset(section, topic)));
        box.append(part);
      });
      form.addEventListener("change", (event) => {
        const input = event.target;
        if (input.type !== "radio" || !input.dataset.topic) return;
        app.change({ type: "score", topic: input.dataset.topic, score: input.value ? Number(input.value) : null });
      });
      form.addEventListener("submit", (event) => event.preventDefault());
    }

    function topicFieldset(section, topic) {
      const id = "topic_" + topic.id; // "_" cannot occur in an id, so no two topics' ids meet
      const hint = [section.tier, text.sentence(topic.requirement)].filter(Boolean).join(text.form.hintSeparator);
      const fieldset = el(
        "fieldset",
        { className: "topic-choice", id: "topic-" + topic.id, "aria-describedby": hint ? id + "_hint" : null },
        el("legend", {}, topicNumber(topic), " ", topic.title),
      );
      if (hint) fieldset.append(el("p", { className: "hint", id: id + "_hint", text: hint }));
      const radios = el("div", { className: "radios" });
      topic.statements.forEach((statement, index) => {
        const inputId = id + "_" + (index + 1);
        radios.append(
          el(
            "div",
            { className: "radio" },
            el("input", { type: "radio", id: inputId, name: id, value: String(index + 1), "data-topic": topic.id }),
            el(
              "label",
              { for: inputId },
              el(
                "span",
                { className: data.numeric_levels ? "level-tag" : "level-tag level-name" },
                levels[index],
                hidden(text.form.levelSeparator),
              ),
              textBlocks(statement, "statement"),
            ),
          ),
        );
      });
      radios.append(
        el(
          "div",
          { className: "radio radio-none" },
          el("input", { type: "radio", id: id + "_none", name: id, value: "", "data-topic": topic.id }),
          el("label", { for: id + "_none", text: text.form.notAssessed }),
        ),
      );
      fieldset.append(radios);
      return fieldset;
    }

    /* Tick the radios of the assessment shown; nothing is ticked for a topic without a score. */
    function form() {
      const assessment = app.current();
      rules.topics.forEach((topic) => {
        const score = rules.scoreOf(assessment, topic);
        document.getElementsByName("topic_" + topic.id).forEach((input) => {
          input.checked = score !== null && input.value === String(score);
        });
      });
    }

    /* ---------- Answers given to statements that have changed since ---------- */

    /* Answers given to statements that have changed since (the topic's wording, order or levels): each
     * with what was chosen, what that level reads now, and the choice to keep it or choose again. Found by
     * its class: a new element id would be one more that no topic could take (workbook/readers.py); the
     * ids within are a topic's id joined with "_", which no id has, as in the form. */
    function changed() {
      const says = text.changed;
      const box = document.querySelector(".changed-notice");
      const assessment = app.current();
      const waiting = rules.waiting(assessment);
      box.replaceChildren();
      if (!waiting.length) return;
      const list = el("ul", { className: "changed-list" });
      waiting.forEach((topic) => {
        const given = rules.answerOf(assessment, topic);
        const id = "changed_" + topic.id;
        const now = topic.statements[given.score - 1];
        const fits = now !== undefined;
        const choice = (attributes, label) =>
          el("button", { type: "button", "aria-describedby": id + "_text", ...attributes }, label);
        list.append(
          el(
            "li",
            { id: id, "data-topic": topic.id },
            el(
              "p",
              { id: id + "_text" },
              el("a", { href: "#topic-" + topic.id, text: says.topic(topic) }),
              says.separator + says.chose(given),
              fits ? says.reads(given.score, now, now === given.statement) : says.gone(topic.statements.length),
            ),
            el(
              "div",
              { className: "button-row" },
              fits
                ? choice(
                    {
                      className: "button",
                      id: id + "_keep",
                      onclick: () => app.change({ type: "confirm", topic: topic.id, keep: true }),
                    },
                    says.keep(given.score),
                  )
                : null,
              choice(
                {
                  className: "button button-secondary",
                  id: id + "_again",
                  onclick: () => app.change({ type: "confirm", topic: topic.id, keep: false }),
                },
                says.again,
              ),
            ),
          ),
        );
      });
      box.append(el("p", {}, el("strong", { text: says.title })), el("p", { text: says.intro }), list);
    }

    /* ---------- Summary and chart ---------- */

    function summary() {
      const says = text.summary;
      const assessment = app.current();
      const box = document.getElementById("summary-content");
      const answered = rules.answeredScores(rules.topics, assessment).length;
      const waiting = rules.waiting(assessment).length;
      box.replaceChildren(
        el(
          "p",
          { className: "results-for", id: "results-for" },
          el("strong", { text: text.describe(assessment) }),
          assessment.people ? el("span", { text: says.whoTookPart(assessment.people) }) : null,
        ),
        el(
          "p",
          { className: "progress", id: "progress" },
          says.progress(answered, rules.topics.length),
          waiting ? text.changed.waiting(waiting) : null,
        ),
        summaryTable(assessment),
      );
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
      box.append(chart(assessment));
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
      const rowFor = (title, topics, id) => {
        const found = rules.counts(topics, assessment);
        const answered = found.reduce((total, count) => total + count, 0);
        const row = el("tr", { "data-section": id }, el("th", { scope: "row", text: title }));
        found.forEach((count) =>
          row.append(answered ? el("td", { className: "num", text: String(count) }) : dash(says.noneAnswered)),
        );
        row.append(el("td", { className: "num", text: says.answered(answered, topics.length) }));
        const value = rules.summaryOf(topics, assessment);
        row.append(value === null ? dash(says.noStatistic(statistic)) : el("td", { className: "num", text: value }));
        return row;
      };
      const body = el("tbody");
      data.sections.forEach((section) => body.append(rowFor(section.title, section.topics, section.id)));
      return scrollTable(
        el(
          "table",
          { className: "summary-table", id: "summary-table" },
          el("caption", { text: words.caption(statistic) }),
          el("thead", {}, head),
          body,
          data.summary.tally ? el("tfoot", {}, rowFor(says.total, rules.topics, "total")) : null,
        ),
      );
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
        section.topics.forEach((topic) => {
          const score = rules.scoreOf(assessment, topic);
          const below = rules.belowThreshold(topic, assessment);
          let value = score === null ? says.notAnswered : levelText(score);
          if (topic.threshold !== null) {
            value += (below ? says.needs : says.meets)(levels[topic.threshold - 1]);
          }
          list.append(
            el(
              "li",
              {
                className: "chart-row" + (score === null ? " unanswered" : "") + (below ? " below" : ""),
                "data-topic": topic.id,
              },
              el("span", { className: "chart-label" }, topicNumber(topic), " " + topic.title),
              bar(score, topic.threshold, below),
              el("span", { className: "chart-value", text: value }),
            ),
          );
        });
        figure.append(el("p", { className: "chart-section", "aria-hidden": "true", text: section.title }), list);
      });
      return figure;
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

    function tiers() {
      const says = text.tiers;
      const box = document.getElementById("tiers-content");
      if (!box) return;
      const assessment = app.current();
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

    /* ---------- Action plan ---------- */

    function plan() {
      const says = text.plan;
      const assessment = app.current();
      const box = document.getElementById("plan-content");
      box.replaceChildren(el("p", { className: "no-print", text: says.intro }));
      if (data.has_thresholds) {
        const below = rules.entries.filter((entry) => rules.belowThreshold(entry.topic, assessment));
        const rest = rules.entries.filter((entry) => !rules.belowThreshold(entry.topic, assessment));
        planGroup(box, says.below, below, "plan-group-below", assessment);
        planGroup(box, says.rest, rest, "plan-group-rest", assessment);
      } else {
        data.sections.forEach((section) => {
          const entries = rules.entries.filter((entry) => entry.section === section);
          planGroup(box, section.title, entries, "plan-group_" + section.id, assessment);
        });
      }
    }

    function planGroup(box, title, entries, id, assessment) {
      if (!entries.length) return;
      const list = el("div", { className: "plan-group", id: id });
      entries.forEach((entry) => list.append(planItem(entry.topic, assessment)));
      box.append(el("h3", { text: title }), list);
    }

    function planItem(topic, assessment) {
      const says = text.plan;
      const score = rules.scoreOf(assessment, topic);
      const next = rules.workTowards(topic, score);
      const written = rules.planOf(assessment, topic);
      const id = "plan_" + topic.id;
      let standing = score === null ? says.notAnswered : says.score(levelText(score));
      if (topic.requirement) standing += says.separator + text.sentence(topic.requirement);
      const item = el(
        "div",
        { className: "plan-item", id: id, "data-topic": topic.id },
        el("h4", { id: id + "_title" }, topicNumber(topic), " " + topic.title),
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
      );
      const fields = el("div", { className: "plan-fields" });
      files.PLAN_KEYS.forEach((key) => {
        const fieldId = id + "_" + key;
        const input = el(key === "action" ? "textarea" : "input", {
          id: fieldId,
          name: fieldId,
          rows: key === "action" ? "3" : null,
          type: key === "action" ? null : "text",
          "aria-describedby": id + "_title",
          oninput: (event) => app.change({ type: "plan", topic: topic.id, key: key, value: event.target.value }),
        });
        input.value = written[key] || "";
        fields.append(
          el(
            "div",
            { className: "field plan-field plan-" + key },
            el("label", { for: fieldId, text: says.fields[key] }),
            input,
            el("span", { className: "print-value", text: written[key] || "" }),
          ),
        );
      });
      item.append(fields);
      return item;
    }

    /* What is written in the plan, as printed (the fields themselves are what the user types in). */
    function printed() {
      const assessment = app.current();
      rules.topics.forEach((topic) => {
        const written = rules.planOf(assessment, topic);
        files.PLAN_KEYS.forEach((key) => {
          const field = document.getElementById("plan_" + topic.id + "_" + key);
          if (field) field.parentNode.querySelector(".print-value").textContent = written[key] || "";
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
          const tier = data.tiers[Number(number) - 1];
          part.append(el("h4", { text: says.plan(Number(number), data.form.plans, tier) }), list);
        });
      box.append(part);
    }

    return { buildForm, form, changed, summary, tiers, plan, printed, detailedPlans };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
