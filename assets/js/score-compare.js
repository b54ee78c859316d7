/* The views over several assessments (ProgressScoring.compare(app)): two assessments compared topic by
 * topic, and the team view (for each topic, how many people chose each level). Each is drawn only while
 * it is open (a closed one holds nothing), and after a tick only the rows of the topics ticked.
 *
 * Each view draws from the state (app.state, app.current()) and nothing else; what the user does in
 * it goes to app.change(action), the page's one way to change the state (score-app.js).
 */
(function (ns) {
  "use strict";

  const { el, dash, scrollTable } = ns.dom;

  ns.compare = function (app) {
    const { data, rules } = app;
    const text = app.text;
    const state = app.state;
    const levels = rules.levels;

    /* The tables have one level of column headers (the head row) and one column of row headers: each section's
     * name heads its rows (scope "rowgroup") from the first column, beside an empty cell, rather than across
     * every column, which would make a second level of column headers that `scope` cannot tie to a cell. */
    function topicHeader(topic) {
      return el(
        "th",
        { scope: "row" },
        el("span", { className: "topic-number", text: text.form.topicNumber(topic) }),
        " " + topic.title,
      );
    }

    /* A table body per section, headed by its title, with a row per topic from `row`. */
    function topicRows(columns, row) {
      return data.sections.map((section) => {
        const body = el(
          "tbody",
          {},
          el(
            "tr",
            { className: "row-section" },
            el("th", { scope: "rowgroup", text: section.title }),
            el("td", { colspan: String(columns - 1) }),
          ),
        );
        section.topics.forEach((topic) => body.append(row(topic)));
        return body;
      });
    }

    /* ---------- Compare two assessments ---------- */

    /* The two assessments compared: those chosen, else the one shown and the one before it. */
    function compared() {
      const saved = state.file.assessments;
      const now = saved.find((item) => item.id === state.compareIds[1]) || app.current();
      const defaultThen = saved[saved.indexOf(now) - 1] || saved.find((item) => item !== now);
      const then = saved.find((item) => item.id === state.compareIds[0]) || defaultThen;
      return { then, now };
    }

    /* The compare and team views are drawn only while open (a closed one holds nothing); `name`: "compare" or "team".
     * Opened or closed by the user, or by the page (several files imported open the team view). */
    function viewOpen(name) {
      const details = document.getElementById(name + "_view");
      if (details.open !== state.views[name]) details.open = state.views[name];
      return state.views[name];
    }

    /* Follow the user opening or closing the compare and team views. */
    function watchViews() {
      ["compare", "team"].forEach((name) => {
        const details = document.getElementById(name + "_view");
        details.addEventListener("toggle", () => app.change({ type: "view", name: name, open: details.open }));
      });
    }

    /* The choice of the two assessments, then the table (compareTable). */
    function compare() {
      const says = text.compare;
      const box = document.getElementById("compare-content");
      box.replaceChildren();
      if (!viewOpen("compare")) return;
      const saved = state.file.assessments;
      if (saved.length < 2) {
        box.append(el("p", { text: says.intro }));
        return;
      }
      const { then, now } = compared();
      const chooser = (id, label, chosen, index) => {
        const select = el("select", {
          id: id,
          onchange: (event) => app.change({ type: "compare", index: index, id: event.target.value }),
        });
        saved.forEach((item) => {
          select.append(el("option", { value: item.id, selected: item === chosen, text: text.describe(item) }));
        });
        return el("div", { className: "field" }, el("label", { for: id, text: label }), select);
      };
      box.append(
        el(
          "div",
          { className: "compare-choice" },
          chooser("compare-then", says.then, then, 0),
          chooser("compare-now", says.now, now, 1),
        ),
        el("div", { className: "compare-result" }),
      );
      compareTable();
    }

    /* How the two assessments compared differ, topic by topic (the choice above it stays as it is). */
    function compareTable() {
      const says = text.compare;
      const box = document.querySelector("#compare-content .compare-result");
      if (!box) return;
      box.replaceChildren();
      const { then, now } = compared();
      if (then === now) {
        box.append(el("p", { text: says.different }));
        return;
      }
      const bodies = topicRows(4, (topic) => compareRow(topic, then, now));
      box.append(el("p", { className: "compare-counts", id: "compare-counts", text: says.counts(tally(then, now)) }));
      box.append(
        scrollTable(
          el(
            "table",
            { className: "compare-table", id: "compare-table" },
            el("caption", { text: says.caption(then, now) }),
            el(
              "thead",
              {},
              el(
                "tr",
                {},
                el("th", { scope: "col", text: says.topic }),
                el("th", { scope: "col", text: says.then }),
                el("th", { scope: "col", text: says.now }),
                el("th", { scope: "col", text: says.change }),
              ),
            ),
            ...bodies,
          ),
        ),
      );
    }

    /* How many topics went up, down, stayed the same, were newly answered or no longer answered. */
    function tally(then, now) {
      const counted = { up: 0, down: 0, same: 0, new: 0, gone: 0, none: 0 };
      rules.topics.forEach((topic) => {
        counted[rules.changeOf(rules.scoreOf(then, topic), rules.scoreOf(now, topic)).kind] += 1;
      });
      return counted;
    }

    /* A topic's row of the comparison: its score then and now, and how it changed. */
    function compareRow(topic, then, now) {
      const before = rules.scoreOf(then, topic);
      const after = rules.scoreOf(now, topic);
      const change = rules.changeOf(before, after);
      const shown = text.compare.changes[change.kind];
      return el(
        "tr",
        { "data-topic": topic.id, "data-change": change.kind },
        topicHeader(topic),
        ...[
          scoreCell(before),
          scoreCell(after),
          el(
            "td",
            { className: "change change-" + change.kind },
            el("span", { "aria-hidden": "true", className: "change-mark", text: shown.mark }),
            shown.text(change.by),
          ),
        ],
      );
    }

    /* The comparison's rows for some topics and its counts, after the assessment shown changed (if it is compared). */
    function compareRows(ids) {
      const table = document.getElementById("compare-table");
      if (!table) return;
      const { then, now } = compared();
      if (then !== app.current() && now !== app.current()) return;
      ids.forEach((id) => {
        const topic = rules.byId.get(id);
        const row = topic && table.querySelector('tr[data-topic="' + CSS.escape(id) + '"]');
        if (row) row.replaceWith(compareRow(topic, then, now));
      });
      const counts = document.getElementById("compare-counts");
      const said = text.compare.counts(tally(then, now));
      if (counts.textContent !== said) counts.textContent = said;
    }

    function scoreCell(score) {
      return score === null ? dash(text.compare.notAnswered) : el("td", { text: levels[score - 1] });
    }

    /* ---------- Team view ---------- */

    /* The assessments the team view includes. */
    function teamIncluded() {
      const ids = state.teamIds === null ? null : new Set(state.teamIds);
      return state.file.assessments.filter((item) => ids === null || ids.has(item.id));
    }

    /* The choice of assessments, then the table: for each topic, how many people chose each level. */
    function team() {
      const says = text.team;
      const box = document.getElementById("team-content");
      box.replaceChildren();
      if (!viewOpen("team")) return;
      box.append(el("p", { className: "team-intro", text: says.intro }));
      const saved = state.file.assessments;
      if (saved.length < 2) return;
      const included = teamIncluded();
      const isIncluded = new Set(included);
      const choices = el("fieldset", { className: "team-choice" }, el("legend", { text: says.include }));
      saved.forEach((item, index) => {
        const id = "team_" + index;
        choices.append(
          el(
            "div",
            { className: "checkbox" },
            el("input", {
              type: "checkbox",
              id: id,
              value: item.id,
              checked: isIncluded.has(item),
              onchange: () => {
                const ticked = Array.from(
                  document.querySelectorAll(".team-choice input:checked"),
                  (input) => input.value,
                );
                app.change({ type: "team", ids: ticked });
              },
            }),
            el("label", { for: id, text: says.choice(item) }),
          ),
        );
      });
      box.append(choices);
      if (included.length < 2) {
        box.append(el("p", { text: says.tickTwo }));
        return;
      }
      box.append(el("p", { className: "team-rule", text: says.rule(rules.TALK_GAP) }));
      const head = el(
        "tr",
        {},
        el("th", { scope: "col", text: says.topic }),
        ...included.map((item) => el("th", { scope: "col", "data-assessment": item.id, text: says.person(item) })),
        el("th", { scope: "col", text: says.spread }),
        el("th", { scope: "col", text: says.middle }),
        el("th", { scope: "col", text: says.talk }),
      );
      const bodies = topicRows(included.length + 4, (topic) => teamRow(included, topic));
      box.append(
        scrollTable(
          el(
            "table",
            { className: "team-table", id: "team-table" },
            el("caption", { text: says.caption(included.length) }),
            el("thead", {}, head),
            ...bodies,
          ),
        ),
        el(
          "div",
          { className: "button-row" },
          el(
            "button",
            { type: "button", className: "button", id: "team_csv", onclick: () => app.exportTeam(included) },
            says.csv,
          ),
          el(
            "button",
            {
              type: "button",
              className: "button button-secondary",
              id: "team_print",
              onclick: () => app.print("team"),
            },
            says.print,
          ),
        ),
      );
    }

    /* A topic's row of the team view: each person's answer, the spread, the middle answer, whether to talk. */
    function teamRow(included, topic) {
      const says = text.team;
      const answers = rules.teamOf(included, topic);
      const cells = answers.each.map((score) =>
        score === null ? dash(says.notAnswered) : el("td", { className: "num", text: levels[score - 1] }),
      );
      if (answers.low === null) {
        cells.push(dash(says.noAnswers), dash(says.noAnswers), dash(says.noAnswers));
      } else {
        cells.push(
          el("td", { text: says.range(levels[answers.low - 1], levels[answers.high - 1]) }),
          el("td", { text: says.between(levels[answers.middle.low - 1], levels[answers.middle.high - 1]) }),
          answers.talk
            ? el(
                "td",
                { className: "spread-wide" },
                el("span", { "aria-hidden": "true", text: says.talkMark }),
                says.talkYes,
              )
            : dash(says.talkNo),
        );
      }
      return el("tr", { "data-topic": topic.id, "data-talk": answers.talk }, topicHeader(topic), ...cells);
    }

    /* The team view's rows for some topics, after the assessment shown changed: drawn again only when it is
     * included, and only those rows (their counts are the one thing a tick there can change). */
    function teamRows(ids) {
      const table = document.getElementById("team-table");
      const shown = app.current();
      if (!table || !ids.length || (state.teamIds !== null && state.teamIds.indexOf(shown.id) === -1)) return;
      const included = teamIncluded();
      ids.forEach((id) => {
        const topic = rules.byId.get(id);
        const row = topic && table.querySelector('tr[data-topic="' + CSS.escape(id) + '"]');
        if (row) row.replaceWith(teamRow(included, topic));
      });
    }

    return { watchViews, compare, compareTable, compareRows, team, teamRows };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
