/* Printing the scoring page's results (ProgressScoring.print): "Print results" (the summary, the chart, the tier
 * and the priorities, on up to three A4 pages: print.css) or "Print the full action plan" (the plan only, every
 * topic). window.print() prints; a class on <html> says which, set for the print and taken off after it. Each page's
 * foot names the workbook and what is printed, and counts the pages ("Page 2 of 3"), in CSS page-margin boxes.
 *
 * It changes nothing the page saves: what prints is drawn from the state by the views (score-views.js).
 */
(function (ns) {
  "use strict";

  const PLAN = "print-plan"; // the class on <html> while the full action plan prints

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

    /* The running foot for what prints (`plan`: the full action plan): the workbook and what, and the page count. */
    function setFoot(plan) {
      const name = data.full_title;
      const what = says.foot(name, plan ? says.footPlan : says.footResults);
      foot.textContent =
        "@page { @bottom-left { content: " +
        cssString(what) +
        '; font: 8pt sans-serif; } @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; } }';
    }

    /* Make the page print `what` ("results" or "plan"): the class, the foot, the folded topics opened. */
    function prepare(what) {
      const plan = what === "plan";
      document.documentElement.classList.toggle(PLAN, plan);
      setFoot(plan);
      document.querySelectorAll("#plan-content details").forEach((details) => {
        if (plan && !details.open) {
          details.open = true;
          details.setAttribute("data-print-opened", "");
        }
      });
    }

    /* After printing: the page as it was (results print by default, folded topics folded again). */
    function done() {
      document.documentElement.classList.remove(PLAN);
      setFoot(false);
      document.querySelectorAll("#plan-content details[data-print-opened]").forEach((details) => {
        details.open = false;
        details.removeAttribute("data-print-opened");
      });
    }

    function print(what) {
      prepare(what);
      window.print();
    }

    setFoot(false);
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
