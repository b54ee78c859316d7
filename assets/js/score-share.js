/* Sharing an assessment by link (ProgressScoring.share(app)): the link, its QR code, the notice a page opened
 * with a shared link shows, and the team view's box to paste links in. No server: the answers travel in the
 * link's fragment ("#share=…"), which a browser never sends to any server.
 *
 * The link: "#share=" then "1" (the encoding's version) then, in base64url, the JSON below compressed with
 * CompressionStream("deflate-raw"):
 *   { w: the workbook, t: a fingerprint of its topics' ids in order (data.share.topics),
 *     s: a character per topic in the workbook's order, its score in base 36 ("0": not answered; trailing 0s
 *        left off), m: for each answered topic, the first 4 characters of the meaning it answered,
 *     n, d, p: the assessment's name, date and who took part, a: [[topic's position, action, who, by]],
 *     x: the detailed action plans from a booklet, o: [[topic's position, { prompt's key: text }]] the rest of each
 *     topic's plan (the workbook's own prompts), r: the positions of the priorities the team chose }, the empty ones
 *     left out. A link made before o and r were is read as it was.
 * A link made on another edition whose topics are the same, in the same order, is read topic by topic: an answer
 * whose meaning is not the topic's now waits for the user to choose, as any answer to other words does. One made
 * on an edition with other topics cannot be matched to these topics, and is refused.
 *
 * Each part draws from the state and changes it only through app.change(action) (score-app.js).
 */
(function (ns) {
  "use strict";

  const { el, svg } = ns.dom;
  const VERSION = "1";
  const MAX_PAYLOAD = 200000; // characters: a longer fragment is not a shared assessment
  const MAX_JSON = 1024 * 1024; // bytes a link may decompress to
  const QR_SCRIPT = "../vendor/qrcode-generator/qrcode.js";
  const QR_LEVEL = "M"; // error correction: a code on a screen is seldom damaged, but may be shot at an angle
  const QR_VERSION = 25; // the largest code drawn (117 modules a side): larger ones are hard to scan from a screen
  const QR_MOST = 990; // about the characters it holds, to say so
  const IN_ADDRESS = /^#share=(.*)$/s; // anything after it is read, to say so when it cannot be
  const IN_TEXT = /#share=([0-9A-Za-z_-]+)/g;

  function isObject(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
  }

  function base64url(bytes) {
    let binary = "";
    bytes.forEach((byte) => {
      binary += String.fromCharCode(byte);
    });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fromBase64url(text) {
    if (!/^[0-9A-Za-z_-]*$/.test(text)) return null;
    try {
      const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
      return Uint8Array.from(binary, (char) => char.charCodeAt(0));
    } catch {
      return null;
    }
  }

  /* Bytes through a compression or decompression stream, at most `limit` bytes out. */
  async function through(bytes, transform, limit) {
    const reader = new Blob([bytes]).stream().pipeThrough(transform).getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        reader.cancel();
        throw new Error("too large");
      }
      chunks.push(value);
    }
    const out = new Uint8Array(size);
    chunks.reduce((at, chunk) => {
      out.set(chunk, at);
      return at + chunk.length;
    }, 0);
    return out;
  }

  /* The page's address without its fragment: where a link to this page starts. */
  function pageAddress() {
    return window.location.href.split("#")[0];
  }

  ns.share = function (app) {
    const { data, rules, files, state } = app;
    const text = app.text;
    const says = text.share;

    /* ---------- The link: made and read ---------- */

    async function encode(assessment) {
      const shared = { w: data.workbook, t: data.share.topics };
      let scores = "";
      let checks = "";
      rules.topics.forEach((topic) => {
        const given = rules.answerOf(assessment, topic);
        if (given === null || given.score > 35) {
          scores += "0";
        } else {
          scores += given.score.toString(36);
          checks += (given.meaning + "----").slice(0, 4);
        }
      });
      const plans = [];
      rules.topics.forEach((topic, index) => {
        const plan = rules.planOf(assessment, topic);
        const row = [index, ...files.PLAN_KEYS.map((key) => plan[key] || "")];
        while (row.length > 1 && row[row.length - 1] === "") row.pop();
        if (row.length > 1) plans.push(row);
      });
      const prompts = [];
      rules.topics.forEach((topic, index) => {
        const plan = rules.planOf(assessment, topic);
        const rest = Object.keys(plan).filter((key) => files.PLAN_KEYS.indexOf(key) === -1 && plan[key]);
        if (rest.length) prompts.push([index, Object.fromEntries(rest.map((key) => [key, plan[key]]))]);
      });
      const chosen = Array.isArray(assessment.priorities)
        ? assessment.priorities.map((id) => rules.topics.indexOf(rules.byId.get(id))).filter((index) => index !== -1)
        : null;
      const detailed = assessment.action_plans;
      Object.assign(
        shared,
        scores.replace(/0+$/, "") ? { s: scores.replace(/0+$/, ""), m: checks } : {},
        assessment.name ? { n: assessment.name } : {},
        assessment.date ? { d: assessment.date } : {},
        assessment.people ? { p: assessment.people } : {},
        plans.length ? { a: plans } : {},
        isObject(detailed) && Object.keys(detailed).length ? { x: detailed } : {},
        prompts.length ? { o: prompts } : {},
        chosen ? { r: chosen } : {},
      );
      const json = new TextEncoder().encode(JSON.stringify(shared));
      const packed = await through(json, new CompressionStream("deflate-raw"), Infinity);
      return pageAddress() + "#share=" + VERSION + base64url(packed);
    }

    /* A link's payload (after "#share="): a promise of { value: a file of one new assessment, fresh } or
     * { problem }; never rejected. Every check of an imported file is made on it. */
    async function decode(payload) {
      const problems = says.problems;
      if (payload.length > MAX_PAYLOAD) return { problem: problems.tooLong };
      if (/^[2-9A-Za-z]/.test(payload)) return { problem: problems.newer };
      const bytes = payload.startsWith(VERSION) ? fromBase64url(payload.slice(1)) : null;
      if (!bytes || !bytes.length) return { problem: problems.damaged };
      let shared;
      try {
        const json = await through(bytes, new DecompressionStream("deflate-raw"), MAX_JSON);
        shared = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
      } catch {
        return { problem: problems.damaged };
      }
      if (!isObject(shared)) return { problem: problems.damaged };
      if (shared.w !== data.workbook) return { problem: text.problems.otherWorkbook(shared.w, data.workbook) };
      if (shared.t !== data.share.topics) return { problem: problems.otherTopics };
      const assessment = assessmentOf(shared);
      if (!assessment) return { problem: problems.damaged };
      const file = { format: files.FORMAT, workbook: data.workbook, current: assessment.id, assessments: [assessment] };
      const checked = files.read(JSON.stringify(file), true);
      return checked.problem ? { problem: checked.problem } : { value: checked.value, fresh: true };
    }

    /* The assessment a link's JSON describes, or null when it is not as encode() writes it. */
    function assessmentOf(shared) {
      const scores = shared.s === undefined ? "" : shared.s;
      const checks = shared.m === undefined ? "" : shared.m;
      const plans = shared.a === undefined ? [] : shared.a;
      const texts = ["n", "d", "p"].map((key) => (shared[key] === undefined ? "" : shared[key]));
      if (typeof scores !== "string" || !/^[0-9a-z]*$/.test(scores) || scores.length > rules.topics.length) return null;
      if (typeof checks !== "string" || checks.length !== scores.replace(/0/g, "").length * 4) return null;
      if (!Array.isArray(plans) || texts.some((item) => typeof item !== "string")) return null;
      const assessment = files.newAssessment(1);
      [assessment.name, assessment.date, assessment.people] = texts;
      assessment.name = assessment.name || says.defaultName;
      let answered = 0;
      Array.from(scores).forEach((digit, index) => {
        if (digit === "0") return;
        const topic = rules.topics[index];
        const score = parseInt(digit, 36);
        const check = checks.substr(4 * answered++, 4);
        const same = check === topic.meaning.slice(0, 4) && score <= topic.statements.length;
        assessment.scores[topic.id] = same ? rules.answer(topic, score) : { score: score, meaning: "", statement: "" };
      });
      for (const row of plans) {
        const topic = Array.isArray(row) && Number.isInteger(row[0]) ? rules.topics[row[0]] : undefined;
        if (!topic || row.length > 1 + files.PLAN_KEYS.length || Object.hasOwn(assessment.plans, topic.id)) return null;
        const plan = {};
        files.PLAN_KEYS.forEach((key, index) => {
          if (row[index + 1]) plan[key] = row[index + 1];
        });
        assessment.plans[topic.id] = plan;
      }
      if (shared.x !== undefined) assessment.action_plans = shared.x; // checked with the rest, as any import
      return withPrompts(assessment, shared) ? assessment : null;
    }

    /* The rest of each topic's plan (o) and the priorities chosen (r) added to an assessment a link describes;
     * false when they are not as encode() writes them. Their keys and texts are checked with the rest. */
    function withPrompts(assessment, shared) {
      const prompts = shared.o === undefined ? [] : shared.o;
      if (!Array.isArray(prompts)) return false;
      for (const row of prompts) {
        const topic = Array.isArray(row) && Number.isInteger(row[0]) ? rules.topics[row[0]] : undefined;
        if (!topic || row.length !== 2 || !isObject(row[1])) return false;
        const plan = Object.hasOwn(assessment.plans, topic.id) ? assessment.plans[topic.id] : {};
        if (Object.keys(row[1]).some((key) => !files.ID.test(key) || Object.hasOwn(plan, key))) return false;
        assessment.plans[topic.id] = Object.assign(plan, row[1]);
      }
      if (shared.r === undefined) return true;
      if (!Array.isArray(shared.r) || !shared.r.every((index) => Number.isInteger(index) && rules.topics[index])) {
        return false;
      }
      assessment.priorities = shared.r.map((index) => rules.topics[index].id);
      return true;
    }

    /* ---------- Making the link for the assessment shown, once the panel is open ---------- */

    let latest = 0; // only the latest link made is shown: one made for an earlier state is dropped

    function loadQr() {
      return ns.dom.loadScript(QR_SCRIPT).then(
        () => typeof window.qrcode === "function",
        () => false,
      );
    }

    /* After a change, while the panel is open: make the link again, and show it if it changed. */
    function sync() {
      if (!state.share.open) return;
      const ticket = (latest += 1);
      const assessment = app.current();
      Promise.all([encode(assessment), loadQr()]).then(([link, qr]) => {
        const shown = state.share;
        if (ticket !== latest || (shown.id === assessment.id && shown.link === link && shown.qr === qr)) return;
        app.change({ type: "shareMade", id: assessment.id, link: link, qr: qr });
      });
    }

    /* ---------- The share panel ---------- */

    function button(attributes, label) {
      return el("button", { type: "button", className: "button", ...attributes }, label);
    }

    function panel() {
      const box = document.querySelector(".share-content");
      const assessment = app.current();
      box.replaceChildren(el("p", { text: says.intro }), el("p", { className: "share-privacy", text: says.privacy }));
      if (!app.isSaved(assessment)) {
        box.append(el("p", { text: says.nothing }));
        return;
      }
      if (!state.share.open) {
        const open = () => app.change({ type: "shareOpen", open: true });
        box.append(
          el("p", {}, button({ id: "share_open", "aria-expanded": "false", onclick: open }, says.open(assessment))),
        );
        return;
      }
      const link = state.share.id === assessment.id ? state.share.link : "";
      const area = el("textarea", {
        id: "share_link",
        rows: "4",
        readonly: true,
        spellcheck: "false",
        "aria-describedby": "share_length",
      });
      area.value = link || says.making;
      box.append(
        el(
          "div",
          { className: "field" },
          el("label", { for: "share_link", text: says.linkLabel(assessment) }),
          area,
          el("p", { className: "hint", id: "share_length", text: link ? says.length(link.length) : "" }),
        ),
        el(
          "div",
          { className: "button-row" },
          button({ id: "share_copy", disabled: !link, onclick: () => copy(link) }, says.copy),
          button(
            { id: "share_close", className: "button button-secondary", "aria-expanded": "true", onclick: close },
            says.close,
          ),
        ),
        window.location.protocol === "file:" ? el("p", { className: "hint", text: says.fromDisk }) : null,
        link ? qrFigure(link) : null,
      );
    }

    function close() {
      app.change({ type: "shareOpen", open: false });
    }

    /* Copy the link: through the clipboard where the browser allows it, else by selecting it. */
    function copy(link) {
      const say = (copied) =>
        app.change({ type: "say", message: copied ? says.copied : says.notCopied, error: !copied });
      const byHand = () => {
        const area = document.getElementById("share_link");
        area.focus();
        area.select();
        let copied = false;
        try {
          copied = document.execCommand("copy");
        } catch {
          copied = false;
        }
        say(copied);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(link).then(() => say(true), byHand);
      } else {
        byHand();
      }
    }

    /* The link's QR code as SVG, a dark square per module; or why there is none. */
    function qrFigure(link) {
      if (!state.share.qr) return el("p", { className: "share-qr-note", text: says.qrMissing });
      let code = null;
      try {
        code = window.qrcode(0, QR_LEVEL);
        code.addData(link, "Byte");
        code.make();
      } catch {
        code = null; // more than the largest code holds
      }
      const count = code ? code.getModuleCount() : 0;
      if (!code || (count - 17) / 4 > QR_VERSION) {
        return el("p", { className: "share-qr-note", text: says.qrTooLong(link.length, QR_MOST) });
      }
      const quiet = 4; // the light margin a reader needs around the code, in modules
      const size = count + 2 * quiet;
      let path = "";
      for (let row = 0; row < count; row += 1) {
        for (let column = 0; column < count; column += 1) {
          if (code.isDark(row, column)) path += "M" + (column + quiet) + " " + (row + quiet) + "h1v1h-1z";
        }
      }
      const picture = svg("svg", {
        viewBox: "0 0 " + size + " " + size,
        class: "share-qr",
        role: "img",
        "aria-label": says.qrTitle,
        "shape-rendering": "crispEdges",
      });
      picture.append(svg("rect", { width: size, height: size, fill: "#fff" }), svg("path", { d: path, fill: "#000" }));
      return el(
        "figure",
        { className: "share-qr-figure" },
        el("figcaption", {}, el("strong", { text: says.qrTitle }), " ", says.qrHint),
        picture,
      );
    }

    /* ---------- A page opened with a shared link ---------- */

    function clearFragment() {
      window.history.replaceState(window.history.state, "", pageAddress());
    }

    /* The notice offering to add the assessment a link holds, or saying why it cannot be. */
    function offer() {
      const box = document.querySelector(".share-notice");
      const offered = state.offer;
      box.replaceChildren();
      if (!offered) return;
      const dismiss = () => {
        app.change({ type: "dismissOffer" });
        clearFragment();
      };
      const notNow = button(
        { id: "share_not_now", className: "button button-secondary", onclick: dismiss },
        says.notNow,
      );
      if (offered.problem) {
        box.append(el("p", { className: "lead-in", text: says.offerRefused(offered.problem) }), el("p", {}, notNow));
        return;
      }
      const assessment = offered.value.assessments[0];
      const add = () => {
        app.change({ type: "acceptOffer" });
        clearFragment();
      };
      box.append(
        el("p", { className: "lead-in", text: says.offerTitle }),
        el("p", { text: says.offer(assessment, Object.keys(assessment.scores).length, rules.topics.length) }),
        el("div", { className: "button-row" }, button({ id: "share_add", onclick: add }, says.add), notNow),
      );
    }

    /* Read the address's fragment: a shared link is offered (or its problem said). */
    function fromAddress() {
      const found = IN_ADDRESS.exec(window.location.hash);
      if (!found) return;
      decode(found[1]).then((read) => app.change({ type: "offer", read: read }));
    }

    /* ---------- The team view: links pasted ---------- */

    function teamLinks() {
      const box = document.querySelector(".team-links");
      const area = el("textarea", {
        id: "team_links",
        rows: "4",
        spellcheck: "false",
        autocomplete: "off",
        "aria-describedby": "team_links_hint",
      });
      box.replaceChildren(
        el("h3", { text: says.teamTitle }),
        el(
          "div",
          { className: "field" },
          el("label", { for: "team_links", text: says.teamLabel }),
          el("p", { className: "hint", id: "team_links_hint", text: says.teamHint }),
          area,
        ),
        el(
          "div",
          { className: "button-row" },
          button({ id: "team_links_add", onclick: () => addLinks(area) }, says.teamAdd),
        ),
      );
    }

    /* Add the assessments of every link pasted: all, or none if one cannot be added. */
    function addLinks(area) {
      const payloads = Array.from(area.value.matchAll(IN_TEXT), (found) => found[1]);
      if (!payloads.length) {
        app.change({ type: "say", message: says.noLinks, error: true });
        return;
      }
      const reads = payloads.map((payload) => decode(payload));
      Promise.all(reads).then((read) => {
        const results = read.map((item, index) => ({ name: says.linkName(index + 1), read: item }));
        app.change({ type: "import", results: results, links: true });
        if (!results.some((result) => result.read.problem)) area.value = "";
      });
    }

    function start() {
      teamLinks();
      fromAddress();
      window.addEventListener("hashchange", fromAddress);
    }

    return { encode, decode, sync, panel, offer, start };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
