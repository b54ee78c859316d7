/* Search every workbook in the browser, from the index built with the site (assets/search-index.js).
 * No request to anywhere: the index is a script that sets window.workbookSearchIndex, so this works
 * opened from disk. Answers as the user types; the count is announced in a polite live region.
 *
 * A word finds the words it starts ("famil" finds "family") and the words the index says count as it: those
 * sharing its stem ("medicines", "medicine") and those of its synonym group in content ("medication"). The stems
 * are worked out when the site is built (workbook/search.py), so this script never stems a word itself.
 * A choice of workbook narrows the results to it; the address keeps it with the query (?q=...&workbook=slug).
 *
 * The index (a quarter of a megabyte) is not in the page's head: it is added once the page has loaded, or as soon
 * as the box is touched or the address holds a query, so it never delays the page's first paint. Results still on
 * their way keep the screen below the box (the class search-pending), so nothing below moves when they come.
 *
 * As on the scoring page: the words shown are in one object (TEXT), the state in one place
 * (`state`), which changes only through change(), and the results are drawn from the state.
 */
(function () {
  "use strict";

  const DELAY = 200; // ms after the last key before searching
  const SHOWN = 50; // results shown before "Show all"
  const STOP_WORDS = [
    ..."a an and are about as at be by do does for how i in is it of on or say says".split(" "),
    ..."the to what when where which who with".split(" "),
  ];

  const TEXT = {
    kinds: { topic: "Topic", item: "Framework item", tool: "Tool" },
    where: (kind, workbook, where) => kind + " · " + (workbook ? workbook + " › " : "") + where,
    noIndex: "The search index did not load. Browse the workbooks below instead.",
    searching: (query) => "Searching for " + quoted(query) + "\u2026",
    /* `scope` is "" for every workbook, or inWorkbook(its title). */
    inWorkbook: (title) => " in " + title,
    none: (query, scope) =>
      "No results for " +
      quoted(query) +
      scope +
      ". Try fewer words, or another word for the same thing" +
      (scope ? ", or every workbook." : "."),
    some: (count, query, scope, limit) =>
      results(count) +
      " for " +
      quoted(query) +
      scope +
      ". Showing the first " +
      limit +
      ": add a word to narrow them down.",
    all: (count, query, scope) => results(count) + " for " + quoted(query) + scope + ".",
    showAll: (count) => "Show all " + results(count),
    /* A statement's level: "Statement 3 of 5", or "Getting Started (1 of 3)". */
    level: (workbook, position) => {
      const levels = workbook.levels;
      return workbook.numeric_levels
        ? "Statement " + levels[position] + " of " + levels[levels.length - 1]
        : levels[position] + " (" + (position + 1) + " of " + levels.length + ")";
    },
    levelSeparator: ": ",
    cutBefore: "… ",
    cutAfter: " …",
    more: "…",
  };

  function quoted(query) {
    return "\u201c" + query + "\u201d";
  }

  function results(count) {
    return count === 1 ? "1 result" : count + " results";
  }

  /* Lower case, no accents, no apostrophes, every other non-letter a space: what matching compares. */
  function fold(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/['\u2018\u2019`]/g, "")
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  }

  /* The query's words, folded, without the small words (unless it has nothing else). */
  function queryWords(query) {
    const words = fold(query).split(" ").filter(Boolean);
    const kept = words.filter((word) => STOP_WORDS.indexOf(word) === -1);
    return kept.length ? kept : words;
  }

  /* Each query word with the words that count as it (the index's groups holding it): what a text may start a word with. */
  function terms(alike, query) {
    return queryWords(query).map((word) => [word, ...(alike.get(word) || []).filter((other) => other !== word)]);
  }

  /* Does the folded text (padded with spaces) contain a word starting with the word or one that counts as it? */
  function has(hay, term) {
    return term.some((word) => hay.indexOf(" " + word) !== -1);
  }

  /* Each word of the index's groups, with every word its groups hold. */
  function alikeWords(groups) {
    const alike = new Map();
    groups.forEach((group) => {
      const words = group.split(" ");
      words.forEach((word) => alike.set(word, [...new Set([...(alike.get(word) || []), ...words])]));
    });
    return alike;
  }

  function prepare(index) {
    return {
      alike: alikeWords(index.words),
      entries: index.entries.map((entry, order) => ({
        entry: entry,
        order: order,
        title: " " + fold(entry.title) + " ",
        texts: entry.texts.map((text) => " " + fold(text) + " "),
        extra: " " + fold(entry.extra.join(" ")) + " ",
      })),
    };
  }

  /* Score one entry for the terms: null when a term is missing everywhere. Titles weigh most. */
  function score(prepared, words, phrase) {
    /* The phrase is the query's own words in a row: a text holding it says just what was asked. */
    let total = 0;
    let best = -1;
    let bestHits = 0;
    prepared.texts.forEach((text, position) => {
      let hits = words.filter((word) => has(text, word)).length;
      if (words.length > 1 && has(text, [phrase])) hits += words.length;
      if (hits > 0 && hits >= bestHits) {
        best = position;
        bestHits = hits;
      }
    });
    for (const word of words) {
      if (has(prepared.title, word)) {
        total += 10;
      } else if (prepared.texts.some((text) => has(text, word))) {
        total += 3;
      } else if (has(prepared.extra, word)) {
        total += 2;
      } else {
        return null;
      }
    }
    if (words.length > 1 && has(prepared.title, [phrase])) total += 15;
    if (words.length > 1 && best >= 0 && has(prepared.texts[best], [phrase])) total += 8;
    if (prepared.entry.kind === "topic") total += 1;
    return { total: total, best: best };
  }

  /* The entries found for a query, best first; with a workbook (its number in the index), only that workbook's. */
  function search(prepared, query, workbook) {
    const words = terms(prepared.alike, query);
    if (!words.length) return [];
    const phrase = queryWords(query).join(" ");
    const hits = [];
    prepared.entries.forEach((item) => {
      if (workbook >= 0 && item.entry.workbook !== workbook) return;
      const found = score(item, words, phrase);
      if (found) hits.push({ item: item, total: found.total, best: found.best });
    });
    hits.sort((a, b) => b.total - a.total || a.item.order - b.item.order);
    return hits;
  }

  /* Append text to a node with every word that starts with a term in <mark>; cut to a window around the first. */
  function highlight(node, text, words) {
    const pattern = /[\p{L}\p{N}'\u2018\u2019]+/gu;
    const tokens = [];
    let match;
    while ((match = pattern.exec(text)) !== null) {
      const folded = fold(match[0]).split(" ");
      const marked = words.some((term) => term.some((word) => folded.some((part) => part.indexOf(word) === 0)));
      tokens.push({ start: match.index, end: match.index + match[0].length, marked: marked });
    }
    const first = tokens.findIndex((token) => token.marked);
    let from = Math.max(0, first - 12);
    let to = Math.min(tokens.length, Math.max(from, first) + 30);
    if (first === -1 || tokens.length <= 40) {
      from = 0;
      to = tokens.length;
    }
    const start = from > 0 ? tokens[from].start : 0;
    const end = to < tokens.length ? tokens[to - 1].end : text.length;
    if (from > 0) node.appendChild(document.createTextNode(TEXT.cutBefore));
    let at = start;
    tokens.slice(from, to).forEach((token) => {
      if (!token.marked) return;
      node.appendChild(document.createTextNode(text.slice(at, token.start)));
      node.appendChild(element("mark", "", text.slice(token.start, token.end)));
      at = token.end;
    });
    node.appendChild(document.createTextNode(text.slice(at, end)));
    if (to < tokens.length) node.appendChild(document.createTextNode(TEXT.cutAfter));
  }

  /* Add the index's script once (no fetch: works from disk); call done(true) when it has set its global. */
  function loadIndex(address, done) {
    const script = document.createElement("script");
    script.src = address;
    script.onload = () => done(Boolean(window.workbookSearchIndex));
    script.onerror = () => done(false);
    document.head.appendChild(script);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function renderHit(index, hit, words) {
    const entry = hit.item.entry;
    const workbook = entry.workbook >= 0 ? index.workbooks[entry.workbook] : null;
    const item = element("li", "search-hit");
    const heading = element("h2", "hit-title");
    const link = element("a", "", entry.title);
    link.href = entry.url;
    heading.appendChild(link);
    item.appendChild(heading);
    const where = TEXT.where(TEXT.kinds[entry.kind], workbook ? workbook.title : "", entry.where);
    item.appendChild(element("p", "hit-where", where));
    if (hit.best >= 0) {
      const snippet = element("p", "hit-snippet");
      if (entry.kind === "topic" && workbook) {
        snippet.appendChild(element("span", "hit-level", TEXT.level(workbook, hit.best) + TEXT.levelSeparator));
      }
      highlight(snippet, entry.texts[hit.best], words);
      item.appendChild(snippet);
    } else if (entry.texts.length) {
      item.appendChild(element("p", "hit-snippet", entry.texts[entry.texts.length - 1].slice(0, 200) + TEXT.more));
    }
    return item;
  }

  function start() {
    const form = document.getElementById("search-form");
    const input = document.getElementById("search-q");
    const choice = document.getElementById("search-workbook"); // which workbook's results: "" for all
    const status = document.getElementById("search-status");
    const list = document.getElementById("search-results");
    if (!form || !input || !choice || !status || !list) return;
    const more = element("button", "search-more"); // in the page only while it has results to show
    more.type = "button";
    let timer = null; // the search waiting for the user to stop typing
    let prepared = null; // the index, folded for matching once it has loaded

    /* The state: the query shown (null: none yet), the workbook chosen (its slug, "" for all), whether all the
     * results are shown, the index ("waiting" to be asked for, "loading", "ready" or "failed"), and whether the
     * results keep room below the box (`pending`). */
    const state = { query: null, workbook: "", all: false, index: "waiting", pending: false };

    /* The one way the state changes: set part of it, draw the results; with `remember`, keep it in the address. */
    function change(update, remember) {
      Object.assign(state, update);
      render();
      if (remember) keepInAddress(state.query, state.workbook);
    }

    /* A workbook's slug if the list offers it, else "" (every workbook): an old or mistyped link shows all. */
    function offered(slug) {
      return Array.from(choice.options).some((option) => option.value === slug) ? slug : "";
    }

    /* A new query (with more of the state, `also`): its results keep room below the box if the index has yet to
     * come (until the next query). */
    function ask(query, remember, also) {
      const trimmed = query.trim();
      const update = { query: trimmed, all: false, pending: Boolean(trimmed) && state.index !== "ready" };
      change(Object.assign(update, also), remember);
    }

    function requestIndex() {
      if (state.index !== "waiting") return;
      change({ index: "loading" }, false);
      loadIndex(form.dataset.index, (loaded) => {
        if (loaded) prepared = prepare(window.workbookSearchIndex);
        change({ index: loaded ? "ready" : "failed", pending: loaded && state.pending }, false); // failed: browse below
      });
    }

    function keepInAddress(query, workbook) {
      const parts = [];
      if (query) parts.push("q=" + encodeURIComponent(query));
      if (workbook) parts.push("workbook=" + encodeURIComponent(workbook));
      try {
        const address = window.location.pathname + (parts.length ? "?" + parts.join("&") : "");
        window.history.replaceState(null, "", address);
      } catch {
        /* Some browsers refuse to change a file:// address: searching still works. */
      }
    }

    function render() {
      const query = state.query;
      document.documentElement.classList.toggle("search-pending", state.pending);
      list.textContent = "";
      more.remove();
      if (state.index === "failed") {
        status.textContent = TEXT.noIndex;
        return;
      }
      if (!query) {
        status.textContent = "";
        return;
      }
      if (state.index !== "ready") {
        status.textContent = TEXT.searching(query);
        return;
      }
      const index = window.workbookSearchIndex;
      const workbook = index.workbooks.findIndex((book) => book.slug === state.workbook);
      const scope = workbook >= 0 ? TEXT.inWorkbook(index.workbooks[workbook].title) : "";
      const words = terms(prepared.alike, query);
      const hits = search(prepared, query, workbook);
      if (!hits.length) {
        status.textContent = TEXT.none(query, scope);
        return;
      }
      const limit = state.all ? hits.length : SHOWN;
      hits.slice(0, limit).forEach((hit) => list.appendChild(renderHit(index, hit, words)));
      if (hits.length > limit) {
        status.textContent = TEXT.some(hits.length, query, scope, limit);
        more.textContent = TEXT.showAll(hits.length);
        list.parentNode.insertBefore(more, list.nextSibling);
      } else {
        status.textContent = TEXT.all(hits.length, query, scope);
      }
    }

    more.addEventListener("click", () => {
      change({ all: true }, false);
      const target = list.children[SHOWN] && list.children[SHOWN].querySelector("a");
      if (target) target.focus();
    });
    input.addEventListener("focus", requestIndex);
    choice.addEventListener("change", () => {
      requestIndex();
      change({ workbook: offered(choice.value), all: false }, true);
    });
    input.addEventListener("input", () => {
      requestIndex();
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        if (input.value.trim() === state.query) return;
        ask(input.value, true);
      }, DELAY);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      requestIndex();
      window.clearTimeout(timer);
      ask(input.value, true);
    });

    const asked = new URLSearchParams(window.location.search);
    const query = asked.get("q") || "";
    if (query) input.value = query;
    choice.value = offered(asked.get("workbook") || "");
    ask(query, false, { workbook: choice.value });
    if (query || document.readyState === "complete") {
      requestIndex();
    } else {
      window.addEventListener("load", requestIndex);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
