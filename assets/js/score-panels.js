/* The scoring page's controls (ProgressScoring.panels(app)): the notices about saving, the
 * assessment shown (choose, name, add, delete), comparing two assessments, the team view, export
 * and import.
 *
 * Each panel draws from the state (app.state, app.current()) and nothing else; what the user does in
 * it goes to app.change(action), the page's one way to change the state (score-app.js), or, for a
 * download, to the app's export functions.
 */
(function (ns) {
  "use strict";

  const { el, dash, levelHeaders, scrollTable, announce } = ns.dom;

  ns.panels = function (app) {
    const { data, rules, storage } = app;
    const text = app.text;
    const state = app.state;
    const levels = rules.levels;

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
            el("th", { scope: "rowgroup", colspan: String(columns), text: section.title }),
          ),
        );
        section.topics.forEach((topic) => body.append(row(topic)));
        return body;
      });
    }

    /* A button: `attributes` as el() takes them (className, id, onclick), and its label. */
    function button(attributes, label) {
      return el("button", { type: "button", ...attributes }, label);
    }

    /* ---------- Notices and the status line ---------- */

    function status() {
      announce(state.status.text, state.status.error);
    }

    function storageProblem() {
      const says = text.storage;
      const box = document.getElementById("storage-problem");
      box.replaceChildren();
      if (!state.storageProblem) return;
      const saved = state.file.assessments;
      box.append(
        el("p", {}, el("strong", { text: says.notSaved }), state.storageProblem),
        el("p", { text: says.stillHere }),
        el(
          "p",
          {},
          button(
            { className: "button", onclick: () => app.exportJson(saved.length ? saved : [app.current()]) },
            says.exportAll,
          ),
        ),
      );
    }

    /* What the page found and kept when it loaded: said once, each with a button to download it. */
    function kept() {
      const says = text.storage;
      const box = document.getElementById("backup-notice");
      box.replaceChildren();
      state.kept.forEach((item, index) => {
        const download = button(
          {
            className: "button",
            id: "download-backup-" + (index + 1),
            onclick: () => app.downloadBackup(item.key, item.text),
          },
          item.unreadable ? says.downloadUnreadable : says.downloadCopy,
        );
        if (!item.key && item.unreadable) {
          box.append(el("p", { text: says.keepUnreadable }), el("p", {}, download));
        } else if (!item.key) {
          box.append(
            el("p", {}, el("strong", { text: item.why })),
            el("p", { text: says.noRoomForCopy }),
            el("p", {}, download),
          );
        } else {
          box.append(
            el("p", {}, el("strong", { text: item.why })),
            el("p", { text: item.unreadable ? says.keptUnreadable : says.keptCopy }),
            el("p", {}, download),
          );
        }
      });
    }

    /* ---------- Your assessment: choose, name, add, delete ---------- */

    function assessmentPanel() {
      const says = text.assessment;
      const panel = document.getElementById("assessment-panel");
      const assessment = app.current();
      const saved = app.isSaved(assessment);
      panel.replaceChildren();
      if (state.file.assessments.length) {
        const select = el("select", {
          id: "assessment-choice",
          onchange: (event) => app.change({ type: "switch", id: event.target.value }),
        });
        state.file.assessments.forEach((item) => {
          select.append(
            el("option", { value: item.id, selected: item.id === assessment.id, text: text.describe(item) }),
          );
        });
        panel.append(
          el("div", { className: "field" }, el("label", { for: "assessment-choice", text: says.shown }), select),
        );
      } else {
        panel.append(el("p", { text: says.nothingSaved }));
      }
      panel.append(
        textField({ id: "assessment-name", key: "name", label: says.name, hint: says.nameHint }),
        textField({ id: "assessment-date", key: "date", label: says.date, type: "date" }),
        textField({ id: "assessment-people", key: "people", label: says.people }),
      );
      if (saved) {
        panel.append(
          el(
            "div",
            { className: "button-row" },
            button(
              { className: "button", id: "new-assessment", onclick: () => app.change({ type: "new" }) },
              says.startNew,
            ),
            button(
              {
                className: "button button-secondary",
                id: "delete-assessment",
                onclick: () => app.change({ type: "askDelete" }),
              },
              says.delete,
            ),
          ),
        );
      }
      if (state.confirmingDelete && saved) {
        panel.append(
          el(
            "div",
            { className: "confirm", id: "confirm-delete", role: "group", "aria-labelledby": "confirm-delete-text" },
            el("p", { id: "confirm-delete-text", tabindex: "-1" }, says.confirmDelete(assessment.name)),
            el(
              "div",
              { className: "button-row" },
              button(
                {
                  className: "button button-warning",
                  id: "confirm-delete-yes",
                  onclick: () => app.change({ type: "delete" }),
                },
                says.yesDelete,
              ),
              button(
                {
                  className: "button button-secondary",
                  id: "confirm-delete-no",
                  onclick: () => app.change({ type: "cancelDelete" }),
                },
                says.noKeep,
              ),
            ),
          ),
        );
      }
    }

    /* A text field for one of the details of the assessment shown (`field.key`: name, date or people). */
    function textField(field) {
      const { id, key, label, hint } = field;
      const input = el("input", {
        id: id,
        name: key,
        type: field.type || "text",
        value: app.current()[key],
        autocomplete: "off",
        "aria-describedby": hint ? id + "-hint" : null,
        oninput: (event) => app.change({ type: "detail", key: key, value: event.target.value }),
      });
      return el(
        "div",
        { className: "field" },
        el("label", { for: id, text: label }),
        hint ? el("p", { className: "hint", id: id + "-hint", text: hint }) : null,
        input,
      );
    }

    /* The name of the assessment shown, where lists of assessments give it (while it is renamed, the rest
     * stays as it is: the lists follow the order of the saved assessments). */
    function labels() {
      const assessment = app.current();
      const index = state.file.assessments.indexOf(assessment);
      if (index === -1) return;
      ["assessment-choice", "compare-then", "compare-now"].forEach((id) => {
        const select = document.getElementById(id);
        if (select && select.options[index]) select.options[index].textContent = text.describe(assessment);
      });
      const box = document.getElementById("team_" + index);
      if (box && box.labels.length) box.labels[0].textContent = text.team.choice(assessment);
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

    /* The choice of the two assessments, then the table (compareTable). */
    function compare() {
      const says = text.compare;
      const box = document.getElementById("compare-content");
      box.replaceChildren();
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
      const tally = { up: 0, down: 0, same: 0, new: 0, gone: 0, none: 0 };
      const bodies = topicRows(4, (topic) => {
        const before = rules.scoreOf(then, topic);
        const after = rules.scoreOf(now, topic);
        const change = rules.changeOf(before, after);
        const shown = says.changes[change.kind];
        tally[change.kind] += 1;
        return el(
          "tr",
          { "data-topic": topic.id, "data-change": change.kind },
          topicHeader(topic),
          scoreCell(before),
          scoreCell(after),
          el(
            "td",
            { className: "change change-" + change.kind },
            el("span", { "aria-hidden": "true", className: "change-mark", text: shown.mark }),
            shown.text(change.by),
          ),
        );
      });
      box.append(el("p", { className: "compare-counts", id: "compare-counts", text: says.counts(tally) }));
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
      box.replaceChildren(el("p", { text: says.intro }));
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
      const head = el(
        "tr",
        {},
        el("th", { scope: "col", text: says.topic }),
        ...levelHeaders(levels, says.atLevel),
        el("th", { scope: "col", className: "num", text: says.notAnswered }),
        el("th", { scope: "col", text: says.spread }),
      );
      const bodies = topicRows(rules.top + 3, (topic) => teamRow(included, topic));
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
      );
    }

    /* A topic's row of the team view: people per level, how many did not answer, the spread. */
    function teamRow(included, topic) {
      const says = text.team;
      const spread = rules.spreadOf(included, topic);
      const row = el("tr", { "data-topic": topic.id }, topicHeader(topic));
      spread.perLevel.forEach((count) => {
        row.append(el("td", { className: "num" + (count ? " count" : ""), text: String(count) }));
      });
      row.append(el("td", { className: "num", text: String(spread.unanswered) }));
      if (spread.low === null) {
        row.append(dash(says.noAnswers));
        return row;
      }
      const low = levels[spread.low - 1];
      row.append(
        el("td", {
          className: spread.wide ? "spread-wide" : null,
          text: spread.low === spread.high ? says.all(low) : says.range(low, levels[spread.high - 1], spread.wide),
        }),
      );
      return row;
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

    /* ---------- Export and import ---------- */

    function exportImport() {
      const says = text.files;
      const box = document.getElementById("export-content");
      const saved = state.file.assessments;
      const chosen = () => (state.exportWhat === "current" ? [app.current()] : state.file.assessments);
      box.replaceChildren();
      if (!saved.length) {
        box.append(el("p", { text: says.nothingToExport }));
      } else {
        const pick = (event) => app.change({ type: "exportWhat", what: event.target.value });
        const choice = (radio, label) =>
          el(
            "div",
            { className: "radio" },
            el("input", {
              type: "radio",
              name: "export-what",
              ...radio,
              checked: state.exportWhat === radio.value,
              onchange: pick,
            }),
            el("label", { for: radio.id, text: label }),
          );
        box.append(
          el(
            "fieldset",
            { className: "export-choice" },
            el("legend", { text: says.what }),
            choice({ id: "export-all", value: "all" }, says.all(saved.length)),
            choice({ id: "export-current", value: "current" }, says.only(app.current())),
          ),
          el(
            "div",
            { className: "button-row" },
            button(
              { className: "button", id: "export-json", onclick: () => app.exportJson(chosen()) },
              says.exportJson,
            ),
            button({ className: "button", id: "export-csv", onclick: () => app.exportCsv(chosen()) }, says.exportCsv),
            button(
              { className: "button button-secondary", id: "print-results", onclick: () => window.print() },
              says.print,
            ),
          ),
        );
      }
      const input = el("input", {
        type: "file",
        id: "import-files",
        accept: ".json,application/json,.pdf,application/pdf",
        multiple: true,
        "aria-describedby": "import-hint",
        onchange: (event) => {
          app.importFiles(Array.from(event.target.files));
          event.target.value = "";
        },
      });
      /* A file dropped on the box is imported as if chosen (the file picker stays for keyboards). */
      const over = (event) => {
        event.preventDefault();
        event.currentTarget.classList.toggle("drop-over", event.type === "dragover");
      };
      const drop = (event) => {
        over(event);
        app.importFiles(Array.from(event.dataTransfer.files));
      };
      box.append(
        el("h3", { text: says.import }),
        el(
          "div",
          { className: "field import-drop", ondragover: over, ondragleave: over, ondrop: drop },
          el("label", { for: "import-files", text: says.importLabel }),
          el("p", { className: "hint", id: "import-hint", text: says.importHint + " " + says.dropHint }),
          input,
        ),
      );
      const backups = storage.backupKeys();
      if (backups.length) {
        const list = el("ul", { className: "backup-list", id: "backup-list" });
        backups.forEach((key, index) => {
          const time = storage.backupTime(key);
          list.append(
            el(
              "li",
              {},
              el("span", { text: says.keptOn(time) }),
              el(
                "button",
                {
                  type: "button",
                  className: "button button-secondary",
                  id: "stored-backup-" + (index + 1),
                  "aria-label": says.downloadBackupLabel(time),
                  onclick: () => app.downloadBackup(key),
                },
                says.download,
              ),
            ),
          );
        });
        box.append(el("h3", { text: says.backups }), el("p", { text: says.backupsIntro }), list);
      }
    }

    /* ---------- Read a ticked booklet, until its reader is loaded (score-paper.js draws it then) ---------- */

    function paperStart() {
      const says = text.paper;
      const box = document.querySelector("#paper_section .paper-content");
      box.replaceChildren(
        el("p", { text: says.intro }),
        button(
          { className: "button", id: "paper_open", disabled: state.paperLoading, onclick: () => app.openPaper() },
          says.open,
        ),
        state.paperLoading ? el("p", { role: "status", text: says.opening }) : null,
        state.paperUnavailable ? el("p", { className: "notice notice-warning", text: says.unavailable }) : null,
      );
    }

    return {
      status,
      storageProblem,
      paperStart,
      kept,
      assessmentPanel,
      labels,
      compare,
      compareTable,
      team,
      teamRows,
      exportImport,
    };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
