/* Read a ticked booklet (ProgressScoring.paper(app)): photos or a scanner's PDF of the printed booklet, read
 * in this browser by score-scan.js against the workbook's box map (pdf/<slug>.boxes.js, docs/paper-reading.md),
 * then shown for the user to check before anything is saved. This script, score-scan.js and the box map load
 * only when the user opens the reader; nothing is uploaded.
 *
 * It reads pictures and draws the reader; the state (state.paper) is changed by score-app.js's paper actions.
 */
(function (ns) {
  "use strict";

  const CROP_MARGIN = 3; // mm around a topic's boxes in the picture shown beside it
  const LEVEL_ROOM = 10; // mm to the left of the boxes, where the booklet prints each box's level

  ns.paper = function (app, map) {
    const el = ns.dom.el;
    const says = app.text.paper;
    const rules = app.rules;

    /* ---------- Reading pictures ---------- */

    /* A file as the pictures in it, each opened only when its turn comes (a scan's pages are large): an image
     * file is one, a scanner's PDF one per page; [{ name, open: () => a promise of { bitmap } or { problem } }]. */
    function pictures(file) {
      const isPdf = file.type === "application/pdf" || /\.pdf$/i.test(file.name);
      if (!isPdf) return Promise.resolve([{ name: file.name, open: () => bitmapOf(file) }]);
      return ns.dom
        .loadScript("score-pdf.js")
        .then(() => ns.dom.loadScript("score-pdf-images.js"))
        .then(() => file.arrayBuffer())
        .then((buffer) => ns.pdf.readImages(new Uint8Array(buffer)))
        .then(
          (pages) =>
            pages.map((page) => ({
              name: file.name + " (" + says.page(page.page) + ")",
              open: () => (page.blob ? bitmapOf(page.blob) : Promise.resolve({ problem: pdfProblem(page.problem) })),
            })),
          (error) => [{ name: file.name, open: () => Promise.resolve({ problem: pdfProblem(error && error.reason) }) }],
        );
    }

    /* A picture decoded by the browser: { bitmap }, or { problem } where it cannot decode it (HEIC outside Safari). */
    function bitmapOf(blob) {
      return createImageBitmap(blob).then(
        (bitmap) => ({ bitmap: bitmap }),
        () => ({ problem: says.problems.undecodable }),
      );
    }

    /* Why a scanner's PDF, or one of its pages, gives no picture, in words. */
    function pdfProblem(reason) {
      return says.pdfProblems[reason] || says.pdfProblems.damaged;
    }

    /* The region of a page that shows a topic's boxes and their levels, in mm. */
    function topicRegion(boxes) {
      const left = Math.min(...boxes.map((box) => box.x)) - LEVEL_ROOM;
      const top = Math.min(...boxes.map((box) => box.y)) - CROP_MARGIN;
      const right = Math.max(...boxes.map((box) => box.x + box.size)) + CROP_MARGIN;
      const bottom = Math.max(...boxes.map((box) => box.y + box.size)) + CROP_MARGIN;
      return { x: left, y: top, width: right - left, height: bottom - top };
    }

    /* A page read: what the reader found, with each of its topics' boxes cut out as a picture to show. */
    function kept(reading) {
      const entry = map.pages.find((page) => page.page === reading.page && page.hash === reading.hash);
      const byTopic = new Map();
      entry.boxes.forEach((box) => byTopic.set(box.topic, (byTopic.get(box.topic) || []).concat([box])));
      const crops = {};
      byTopic.forEach((boxes, topic) => {
        crops[topic] = reading.crop(topicRegion(boxes)).toDataURL("image/jpeg", 0.85);
      });
      return { page: reading.page, hash: reading.hash, boxes: reading.boxes, crops: crops };
    }

    /* Read the chosen files, picture by picture (the page says how far it is); then one change with all. */
    async function read(chosen) {
      const readings = [];
      const problems = [];
      const items = [];
      for (const file of chosen) items.push(...(await pictures(file)));
      for (let done = 0; done < items.length; done += 1) {
        app.change({ type: "paperProgress", done: done, total: items.length });
        await new Promise((resolve) => setTimeout(resolve, 0)); // let the page show how far it is
        const picture = await items[done].open();
        if (picture.problem) {
          problems.push(says.problemLine(items[done].name, picture.problem));
          continue;
        }
        const reading = ns.scan.readPage(picture.bitmap, map);
        if (reading.ok && reading.boxes.length) readings.push(kept(reading));
        else problems.push(says.problemLine(items[done].name, problemOf(reading)));
        picture.bitmap.close();
      }
      app.change({ type: "paperRead", readings: readings, problems: problems });
    }

    /* Why a picture could not be read, in words. */
    function problemOf(reading) {
      if (reading.ok) return says.problems.noBoxes;
      const problem = says.problems[reading.reason] || says.problems.noMarks;
      return typeof problem === "function" ? problem(reading.page) : problem;
    }

    /* ---------- What was read, topic by topic ---------- */

    /* The readings decided, with the user's choices over them: [{ topic, level, reason, chosen, crops }]. */
    function topics(paper) {
      const decided = ns.scan.decide(paper.readings, map);
      const listed = rules.topics
        .filter((topic) => Object.prototype.hasOwnProperty.call(decided.topics, topic.id))
        .map((topic) => {
          const found = decided.topics[topic.id];
          const chosen = Object.prototype.hasOwnProperty.call(paper.choices, topic.id);
          const crops = paper.readings
            .filter((reading) => reading.crops[topic.id])
            .map((reading) => ({ page: reading.page, src: reading.crops[topic.id] }));
          return {
            topic: topic,
            reason: found.reason,
            read: found.level,
            level: chosen ? paper.choices[topic.id] : found.level,
            checked: chosen,
            crops: crops,
          };
        });
      const flagged = listed.filter((item) => item.reason !== "read");
      return { list: flagged.concat(listed.filter((item) => item.reason === "read")), missing: decided.missing };
    }

    /* The answers to save: { topicId: score } for every topic with a level. */
    function answers(paper) {
      const found = {};
      topics(paper).list.forEach((item) => {
        if (item.level) found[item.topic.id] = item.level;
      });
      return found;
    }

    /* ---------- Drawing the reader ---------- */

    function button(attributes, label) {
      return el("button", { type: "button", className: "button", ...attributes }, label);
    }

    /* The file pickers: photos and scans, and the camera on a phone; a drop on the box reads too. */
    function pickers() {
      const chosen = (event) => {
        const files = Array.from(event.target.files || []);
        event.target.value = "";
        if (files.length) read(files);
      };
      const over = (event) => {
        event.preventDefault();
        event.currentTarget.classList.toggle("drop-over", event.type === "dragover");
      };
      const drop = (event) => {
        over(event);
        const files = Array.from(event.dataTransfer.files);
        if (files.length) read(files);
      };
      const accept = "image/*,.pdf,application/pdf";
      return el(
        "div",
        { className: "paper-pickers import-drop", ondragover: over, ondragleave: over, ondrop: drop },
        el(
          "div",
          { className: "field" },
          el("label", { for: "paper_files", text: app.state.paper.readings.length ? says.addMore : says.choose }),
          el("span", { className: "hint", id: "paper_files_hint", text: says.chooseHint }),
          el("input", {
            type: "file",
            id: "paper_files",
            accept: accept,
            multiple: true,
            "aria-describedby": "paper_files_hint",
            onchange: chosen,
          }),
        ),
        el(
          "div",
          { className: "field" },
          el("label", { for: "paper_camera", text: says.camera }),
          el("span", { className: "hint", id: "paper_camera_hint", text: says.cameraHint }),
          el("input", {
            type: "file",
            id: "paper_camera",
            accept: "image/*",
            capture: "environment",
            multiple: true,
            "aria-describedby": "paper_camera_hint",
            onchange: chosen,
          }),
        ),
        el("p", { className: "hint", text: says.drop }),
      );
    }

    /* One topic to check: the boxes as photographed, what was read, and its levels to choose from. */
    function topicItem(item, index) {
      const topic = item.topic;
      const id = "paper_" + topic.id;
      const choice = (level, label) =>
        el(
          "div",
          { className: "radio" },
          el("input", {
            type: "radio",
            name: id,
            id: id + "_" + (level || "none"),
            value: String(level || 0),
            checked: item.level === level,
            "data-index": String(index),
            onchange: () => app.change({ type: "paperChoose", topic: topic.id, level: level, index: index }),
          }),
          el("label", { for: id + "_" + (level || "none"), text: label }),
        );
      const state = item.checked ? says.confirmed : says.reasons[item.reason];
      return el(
        "li",
        { className: "paper-topic paper-" + (item.checked ? "checked" : item.reason) },
        el(
          "fieldset",
          { "data-index": String(index) },
          el("legend", { text: topic.number + ". " + topic.title + " (" + state + ")" }),
          el(
            "div",
            { className: "paper-crops" },
            ...item.crops.map((crop) =>
              el("img", { src: crop.src, alt: says.cropAlt(topic, crop.page), className: "paper-crop" }),
            ),
          ),
          el(
            "div",
            { className: "paper-levels" },
            ...rules.levels.map((level, at) => choice(at + 1, app.data.numeric_levels ? level : at + 1 + ". " + level)),
            choice(null, says.noAnswer),
          ),
        ),
      );
    }

    /* The list of topics read, to check; keys choose and accept (keydown). */
    function check(listed) {
      const flagged = listed.list.filter((item) => item.reason !== "read" && !item.checked).length;
      const read = listed.list.filter((item) => item.level).length;
      const modes = [["new", says.asNew]];
      if (app.isSaved(app.current())) modes.push(["fill", says.fill(app.current())]);
      return [
        el("h3", { id: "paper_check", tabindex: "-1", text: says.checkTitle }),
        el("p", { text: says.checkIntro }),
        el("p", { className: "paper-counts", text: says.counts(read, flagged, listed.list.length) }),
        listed.missing.length
          ? el("p", { className: "notice notice-warning", text: says.missing(listed.missing) })
          : null,
        el("ol", { className: "paper-topics", onkeydown: keydown }, ...listed.list.map(topicItem)),
        el(
          "fieldset",
          { className: "paper-save" },
          el("legend", { text: says.saveAs }),
          ...modes.map(([mode, label]) =>
            el(
              "div",
              { className: "radio" },
              el("input", {
                type: "radio",
                name: "paper_mode",
                id: "paper_mode_" + mode,
                value: mode,
                checked: app.state.paper.mode === mode,
                onchange: () => app.change({ type: "paperMode", mode: mode }),
              }),
              el("label", { for: "paper_mode_" + mode, text: label }),
            ),
          ),
          button({ id: "paper_save", onclick: () => app.change({ type: "paperSave" }) }, says.save),
        ),
      ];
    }

    /* Keys over the list: a digit chooses that level (0: no answer) and moves on; Enter accepts and moves on. */
    function keydown(event) {
      const field = event.target.closest && event.target.closest("fieldset[data-index]");
      if (!field || event.altKey || event.ctrlKey || event.metaKey) return;
      const index = Number(field.getAttribute("data-index"));
      const topic = topics(app.state.paper).list[index];
      if (/^[0-9]$/.test(event.key)) {
        const level = Number(event.key);
        if (level > rules.levels.length) return;
        event.preventDefault();
        app.change({ type: "paperChoose", topic: topic.topic.id, level: level || null, index: index, next: true });
      } else if (event.key === "Enter") {
        event.preventDefault();
        app.change({ type: "paperChoose", topic: topic.topic.id, level: topic.level, index: index, next: true });
      }
    }

    /* The id of the radio to focus for the topic at `index` in the list: its level's, or its first. */
    function focusAt(index) {
      const listed = topics(app.state.paper).list;
      const item = listed[index];
      if (!item) return "paper_save";
      return "paper_" + item.topic.id + "_" + (item.level || "none");
    }

    /* Draw the reader from state.paper (once opened: until then, and once closed, score-panels.js draws its button). */
    function render() {
      const box = document.querySelector("#paper_section .paper-content");
      const paper = app.state.paper;
      box.replaceChildren();
      const progress = paper.progress;
      box.append(
        progress
          ? el("p", { className: "paper-progress", role: "status", text: says.reading(progress.done, progress.total) })
          : pickers(),
      );
      if (paper.readings.length) box.append(el("p", { text: says.pages(paper.readings.length) }));
      if (paper.problems.length) {
        box.append(
          el(
            "ul",
            { className: "notice notice-warning paper-problems" },
            ...paper.problems.map((line) => el("li", { text: line })),
          ),
        );
      }
      if (paper.readings.length) box.append(...check(topics(paper)).filter(Boolean));
      box.append(button({ id: "paper_close", className: "button button-secondary", onclick: close }, says.close));
    }

    function close() {
      app.change({ type: "paperClose" });
    }

    return { render, answers, focusAt };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
