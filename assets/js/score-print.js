/* Printing the scoring page (ProgressScoring.print): "Print results" (the summary, the chart, the tier and the
 * priorities, on up to three A4 pages: print.css), "Print the full action plan" (the plan only, every topic) or the
 * team view alone (score.css). window.print() prints; a class on <html> says which, set for the print and taken off
 * after it. Each page's foot names the workbook and what is printed, and counts the pages ("Page 2 of 3"), in CSS
 * page-margin boxes.
 *
 * It changes nothing the page saves: what prints is drawn from the state by the views (score-views.js).
 */
(function (ns) {
  "use strict";

  // What can be printed: the class on <html> while it prints (none: the results, as the browser's own print does).
  const CLASSES = { results: "", plan: "print-plan", team: "print-team" };

  /* A CSS string: the text in double quotes, quotes and backslashes escaped, line ends as spaces. */
  function cssString(text) {
    return '"' + text.replace(/[\\"]/g, "\\$&").replace(/[\r\n]+/g, " ") + '"';
  }

  ns.print = (function () {
    const data = JSON.parse(document.getElementById("scoring-data").textContent);
    const says = ns.text.results;
    const foot = document.createElement("style");
    foot.id = "print-foot";
    document.head.append(foot);

    /* The running foot for what prints (a key of CLASSES): the workbook and what, and the page count. */
    function setFoot(what) {
      const words = says.foot(data.full_title, says.footOf[what]);
      foot.textContent =
        "@page { @bottom-left { content: " +
        cssString(words) +
        '; font: 8pt sans-serif; } @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; } }';
    }

    /* Make the page print `what` (a key of CLASSES): its class, its foot, for the plan the folded topics opened. */
    function prepare(what) {
      Object.keys(CLASSES).forEach(
        (key) => CLASSES[key] && document.documentElement.classList.toggle(CLASSES[key], key === what),
      );
      setFoot(what);
      document.querySelectorAll("#plan-content details").forEach((details) => {
        if (what === "plan" && !details.open) {
          details.open = true;
          details.setAttribute("data-print-opened", "");
        }
      });
    }

    /* After printing: the page as it was (results print by default, folded topics folded again). */
    function done() {
      Object.values(CLASSES).forEach((name) => name && document.documentElement.classList.remove(name));
      setFoot("results");
      document.querySelectorAll("#plan-content details[data-print-opened]").forEach((details) => {
        details.open = false;
        details.removeAttribute("data-print-opened");
      });
    }

    function print(what) {
      prepare(what);
      window.print();
    }

    setFoot("results");
    window.addEventListener("afterprint", done);

    /* The two buttons, in the page's #print-buttons. */
    function buttons() {
      const box = document.getElementById("print-buttons");
      if (!box) return;
      const button = (id, label, what) => {
        const node = document.createElement("button");
        node.type = "button";
        node.id = id;
        node.className = "button button-secondary";
        node.textContent = label;
        node.addEventListener("click", () => print(what));
        return node;
      };
      const hint = document.createElement("p");
      hint.className = "hint";
      hint.textContent = says.printHint;
      box.replaceChildren(
        button("print-results-now", says.printResults, "results"),
        button("print-plan", says.printPlan, "plan"),
        hint,
      );
    }

    buttons();
    return { prepare, done, print };
  })();
})((window.ProgressScoring = window.ProgressScoring || {}));
