/* Search every workbook in the browser, from the index built with the site (assets/search-index.js).
   No request to anywhere: the index is a script that sets window.workbookSearchIndex, so this works
   opened from disk. Answers as the user types; the count is announced in a polite live region. */
(function () {
  "use strict";

  var DELAY = 200; // ms after the last key before searching
  var SHOWN = 50; // results shown before "Show all"
  var STOP_WORDS = ["a", "an", "and", "are", "about", "as", "at", "be", "by", "do", "does", "for", "how", "i", "in",
    "is", "it", "of", "on", "or", "say", "says", "the", "to", "what", "when", "where", "which", "who", "with"];
  var KIND_NAMES = { topic: "Topic", item: "Framework item", tool: "Tool" };

  /* Lower case, no accents, no apostrophes, every other non-letter a space: what matching compares. */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/['\u2018\u2019`]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }

  /* A query word cut to its stem, as words match by their start: "choosing" finds "choose", "risks" finds "risk". */
  function stem(word) {
    if (word.length > 5 && /(ing|ies)$/.test(word)) { return word.slice(0, -3); }
    if (word.length > 4 && /(es|ed)$/.test(word)) { return word.slice(0, -2); }
    if (word.length > 3 && /[^s]s$/.test(word)) { return word.slice(0, -1); }
    return word;
  }

  function terms(query) {
    var words = fold(query).split(" ").filter(Boolean);
    var kept = words.filter(function (word) { return STOP_WORDS.indexOf(word) === -1; });
    return (kept.length ? kept : words).map(stem);
  }

  /* Does the folded text (padded with spaces) contain a word starting with the term? */
  function has(hay, term) {
    return hay.indexOf(" " + term) !== -1;
  }

  function prepare(index) {
    return index.entries.map(function (entry, order) {
      return {
        entry: entry,
        order: order,
        title: " " + fold(entry.title) + " ",
        texts: entry.texts.map(function (text) { return " " + fold(text) + " "; }),
        extra: " " + fold(entry.extra.join(" ")) + " "
      };
    });
  }

  /* Score one entry for the terms: 0 when a term is missing everywhere. Titles weigh most. */
  function score(prepared, words, phrase) {
    var total = 0;
    var best = -1;
    var bestHits = 0;
    prepared.texts.forEach(function (text, position) {
      var hits = words.filter(function (word) { return has(text, word); }).length;
      if (words.length > 1 && has(text, phrase)) { hits += words.length; }
      if (hits > 0 && hits >= bestHits) { best = position; bestHits = hits; }
    });
    for (var i = 0; i < words.length; i += 1) {
      var word = words[i];
      if (has(prepared.title, word)) {
        total += 10;
      } else if (prepared.texts.some(function (text) { return has(text, word); })) {
        total += 3;
      } else if (has(prepared.extra, word)) {
        total += 2;
      } else {
        return null;
      }
    }
    if (words.length > 1 && has(prepared.title, phrase)) { total += 15; }
    if (words.length > 1 && best >= 0 && has(prepared.texts[best], phrase)) { total += 8; }
    if (prepared.entry.kind === "topic") { total += 1; }
    return { total: total, best: best };
  }

  function search(prepared, query) {
    var words = terms(query);
    if (!words.length) { return []; }
    var phrase = words.join(" ");
    var hits = [];
    prepared.forEach(function (item) {
      var found = score(item, words, phrase);
      if (found) { hits.push({ item: item, total: found.total, best: found.best }); }
    });
    hits.sort(function (a, b) { return b.total - a.total || a.item.order - b.item.order; });
    return hits;
  }

  /* Append text to a node with every word that starts with a term in <mark>; cut to a window around the first. */
  function highlight(node, text, words) {
    var pattern = /[\p{L}\p{N}'\u2018\u2019]+/gu;
    var tokens = [];
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var folded = fold(match[0]).split(" ");
      var marked = words.some(function (word) {
        return folded.some(function (part) { return part.indexOf(word) === 0; });
      });
      tokens.push({ start: match.index, end: match.index + match[0].length, marked: marked });
    }
    var first = tokens.findIndex(function (token) { return token.marked; });
    var from = Math.max(0, first - 12);
    var to = Math.min(tokens.length, Math.max(from, first) + 30);
    if (first === -1 || tokens.length <= 40) { from = 0; to = tokens.length; }
    var start = from > 0 ? tokens[from].start : 0;
    var end = to < tokens.length ? tokens[to - 1].end : text.length;
    if (from > 0) { node.appendChild(document.createTextNode("… ")); }
    var at = start;
    tokens.slice(from, to).forEach(function (token) {
      if (!token.marked) { return; }
      node.appendChild(document.createTextNode(text.slice(at, token.start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(token.start, token.end);
      node.appendChild(mark);
      at = token.end;
    });
    node.appendChild(document.createTextNode(text.slice(at, end)));
    if (to < tokens.length) { node.appendChild(document.createTextNode(" …")); }
  }

  function levelName(workbook, position) {
    var levels = workbook.levels;
    var label = levels[position];
    if (/^\d+$/.test(label)) { return "Statement " + label + " of " + levels[levels.length - 1]; }
    return label + " (" + (position + 1) + " of " + levels.length + ")";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function renderHit(index, hit, words) {
    var entry = hit.item.entry;
    var workbook = entry.workbook >= 0 ? index.workbooks[entry.workbook] : null;
    var item = element("li", "search-hit");
    var heading = element("h2", "hit-title");
    var link = element("a", "", entry.title);
    link.href = entry.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var where = KIND_NAMES[entry.kind] + " · " + (workbook ? workbook.title + " › " : "") + entry.where;
    item.appendChild(element("p", "hit-where", where));
    if (hit.best >= 0) {
      var snippet = element("p", "hit-snippet");
      if (entry.kind === "topic" && workbook) {
        snippet.appendChild(element("span", "hit-level", levelName(workbook, hit.best) + ": "));
      }
      highlight(snippet, entry.texts[hit.best], words);
      item.appendChild(snippet);
    } else if (entry.texts.length) {
      item.appendChild(element("p", "hit-snippet", entry.texts[entry.texts.length - 1].slice(0, 200) + "…"));
    }
    return item;
  }

  function start() {
    var form = document.getElementById("search-form");
    var input = document.getElementById("search-q");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    if (!form || !input || !status || !list) { return; }
    var index = window.workbookSearchIndex;
    if (!index) {
      status.textContent = "The search index did not load. Browse the workbooks below instead.";
      return;
    }
    var prepared = prepare(index);
    var more = element("button", "search-more");
    more.type = "button";
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);
    var timer = null;
    var shownFor = null;

    function remember(query) {
      try {
        var address = window.location.pathname + (query ? "?q=" + encodeURIComponent(query) : "");
        window.history.replaceState(null, "", address);
      } catch (error) {
        /* Some browsers refuse to change a file:// address: searching still works. */
      }
    }

    function show(query, all) {
      var trimmed = query.trim();
      list.textContent = "";
      more.hidden = true;
      shownFor = trimmed;
      if (!trimmed) {
        status.textContent = "";
        return;
      }
      var words = terms(trimmed);
      var hits = search(prepared, trimmed);
      var quoted = "\u201c" + trimmed + "\u201d";
      if (!hits.length) {
        status.textContent = "No results for " + quoted + ". Try fewer words, or another word for the same thing.";
        return;
      }
      var count = hits.length === 1 ? "1 result" : hits.length + " results";
      var limit = all ? hits.length : SHOWN;
      hits.slice(0, limit).forEach(function (hit) { list.appendChild(renderHit(index, hit, words)); });
      if (hits.length > limit) {
        status.textContent = count + " for " + quoted + ". Showing the first " + limit + ": add a word to narrow them down.";
        more.textContent = "Show all " + hits.length + " results";
        more.hidden = false;
        more.onclick = function () {
          show(trimmed, true);
          var target = list.children[limit] && list.children[limit].querySelector("a");
          if (target) { target.focus(); }
        };
      } else {
        status.textContent = count + " for " + quoted + ".";
      }
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (input.value.trim() === shownFor) { return; }
        show(input.value, false);
        remember(input.value.trim());
      }, DELAY);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      show(input.value, false);
      remember(input.value.trim());
    });

    var query = new URLSearchParams(window.location.search).get("q") || "";
    if (query) {
      input.value = query;
      show(query, false);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
