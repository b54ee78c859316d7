/* Small helpers for drawing the scoring page (ProgressScoring.dom): making elements, keeping the
 * focus across a redraw, announcing a message, offering a download. They hold no state.
 */
(function (ns) {
  "use strict";

  /* Where the page's scripts are (assets/js/), from this script's own address: from disk or from a host. */
  const SCRIPTS = document.currentScript ? document.currentScript.src.replace(/[^/]*$/, "") : "";

  /* An element with attributes (`text`: its text; `className`; `onclick` and the like: listeners;
   * true: a bare attribute; null, undefined or false: left out) and children (text or nodes). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.keys(attributes || {}).forEach((name) => {
      const value = attributes[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, "");
      else node.setAttribute(name, value);
    });
    children.forEach((child) => {
      if (child === null || child === undefined || child === false) return;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attributes).forEach((name) => node.setAttribute(name, attributes[name]));
    return node;
  }

  /* Text for screen readers only. */
  function hidden(text) {
    return el("span", { className: "visually-hidden", text: text });
  }

  /* Plain text with blank-line paragraphs and "- " list lines (workbook/markup.py's plain() writes a list
   * item so), as block spans (valid in labels). Every other character is shown as written: "4* and 5*". */
  function textBlocks(text, className) {
    const box = el("span", { className: className });
    text.split(/\n\s*\n/).forEach((paragraph) => {
      paragraph.split("\n").forEach((line) => {
        const item = /^- /.test(line);
        box.append(el("span", { className: item ? "line bullet" : "line", text: item ? line.slice(2) : line }));
      });
    });
    return box;
  }

  /* A table cell for "nothing here": a dash, with `text` said to screen readers instead. */
  function dash(text) {
    return el("td", { className: "none" }, el("span", { "aria-hidden": "true", text: "–" }), hidden(text));
  }

  /* A column heading per level, each with `prefix` said before it to screen readers ("Topics at "). */
  function levelHeaders(levels, prefix) {
    return levels.map((label) => el("th", { scope: "col", className: "num" }, hidden(prefix), label));
  }

  /* A table in a region that scrolls sideways on a narrow screen, named by its caption. */
  function scrollTable(table) {
    const label = table.querySelector("caption").textContent;
    return el("div", { className: "table-scroll", role: "region", tabindex: "0", "aria-label": label }, table);
  }

  /* Redraw through `render`, then give focus (and the caret) back to the element of the same id. */
  function keepFocus(render) {
    const before = document.activeElement;
    const id = before && before.id;
    let caret = null;
    try {
      caret = [before.selectionStart, before.selectionEnd];
    } catch {
      caret = null;
    }
    render();
    const again = id && document.getElementById(id);
    if (!again || again === before) return;
    again.focus();
    if (caret && caret[0] !== null && caret[0] !== undefined) {
      try {
        again.setSelectionRange(caret[0], caret[1]);
      } catch {
        /* not a text field */
      }
    }
  }

  /* Say a message in the live region #status (emptied first, so the same message is said again). */
  function announce(message, isError) {
    const box = document.getElementById("status");
    box.classList.toggle("status-error", Boolean(isError));
    box.textContent = "";
    window.setTimeout(() => {
      box.textContent = message;
    }, 50);
  }

  /* Run `then` once the browser has painted what is drawn now (or after 250 ms, in a window that is not painted). */
  function afterPaint(then) {
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      then();
    };
    window.requestAnimationFrame(() => window.setTimeout(once, 0));
    window.setTimeout(once, 250);
  }

  /* Offer `text` as a file to download. */
  function download(name, type, text) {
    const link = el("a", { href: URL.createObjectURL(new Blob([text], { type: type })), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  /* Load a script of the site once, when it is first needed (`path` from assets/js/): a promise of its loading. */
  const loading = new Map();
  function loadScript(path) {
    const src = new URL(path, SCRIPTS).href;
    if (!loading.has(src)) {
      const promise = new Promise((resolve, reject) => {
        const script = el("script", { src: src, onload: () => resolve(), onerror: () => reject(new Error(src)) });
        document.head.append(script);
      });
      promise.catch(() => loading.delete(src)); // tried again next time
      loading.set(src, promise);
    }
    return loading.get(src);
  }

  ns.dom = {
    el,
    svg,
    hidden,
    textBlocks,
    dash,
    levelHeaders,
    scrollTable,
    keepFocus,
    announce,
    afterPaint,
    download,
    loadScript,
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
