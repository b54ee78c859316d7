/* The scoring page's form (ProgressScoring.form(app)): the topics to tick, drawn once and then ticked to
 * follow the assessment shown, and the answers given to statements that have changed since.
 *
 * Each part draws from the state (app.state, app.current()) and nothing else; what the user does in
 * it goes to app.change(action), the page's one way to change the state (score-app.js).
 */
(function (ns) {
  "use strict";

  const { el, hidden, textBlocks } = ns.dom;

  ns.form = function (app) {
    const { data, rules } = app;
    const text = app.text;
    const levels = rules.levels;

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
    function tick() {
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
      box.append(el("p", { className: "lead-in", text: says.title }), el("p", { text: says.intro }), list);
    }

    return { buildForm, tick, changed };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
