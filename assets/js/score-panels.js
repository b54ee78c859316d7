/* The scoring page's controls (ProgressScoring.panels(app)): the notices about saving, the
 * assessment shown (choose, name, add, delete), export and import.
 *
 * Each panel draws from the state (app.state, app.current()) and nothing else; what the user does in
 * it goes to app.change(action), the page's one way to change the state (score-app.js), or, for a
 * download, to the app's export functions.
 */
(function (ns) {
  "use strict";

  const { el, announce } = ns.dom;

  ns.panels = function (app) {
    const { storage } = app;
    const text = app.text;
    const state = app.state;

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
            el("p", { className: "lead-in", text: item.why }),
            el("p", { text: says.noRoomForCopy }),
            el("p", {}, download),
          );
        } else {
          box.append(
            el("p", { className: "lead-in", text: item.why }),
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
              { className: "button", id: "new-assessment", onclick: () => app.change({ type: "askNew" }) },
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
      if (state.offeringNew && saved) panel.append(newFrom());
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

    /* Over time (issue 17): how to start the new assessment, from the latest one's answers or blank. */
    function newFrom() {
      const says = text.overTime;
      const latest = app.rules.latest(state.file.assessments);
      return el(
        "div",
        { className: "offer-new", id: "new_from", role: "group", "aria-labelledby": "new_from_title" },
        el("p", { className: "offer-title", id: "new_from_title", text: says.offerTitle }),
        el("p", { text: says.offer }),
        el(
          "div",
          { className: "button-row" },
          button(
            {
              className: "button",
              id: "new_from_latest",
              onclick: () => app.change({ type: "new", from: latest.id }),
            },
            says.fromLatest(latest),
          ),
          button({ className: "button", id: "new_blank", onclick: () => app.change({ type: "new" }) }, says.blank),
          button(
            {
              className: "button button-secondary",
              id: "new_cancel",
              onclick: () => app.change({ type: "cancelNew" }),
            },
            says.cancel,
          ),
        ),
      );
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
              { className: "button button-secondary", id: "print-results", onclick: () => app.print("results") },
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
      exportImport,
    };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
