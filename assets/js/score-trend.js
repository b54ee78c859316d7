/* Over time (ProgressScoring.trend(app)): every assessment's section results side by side, oldest first, as a
 * table (the text alternative) and a small chart of the same, a line per section. Drawn only while its view is
 * open (a closed one holds nothing); it needs two assessments or more.
 *
 * A section's result is the workbook's summary statistic (the mean, or the percentage: rules.summaryOf); a
 * workbook with a tally adds its total, one with tiers the tier reached. The view draws from the state only;
 * opening or closing it goes to app.change (score-app.js).
 */
(function (ns) {
  "use strict";

  const { el, svg, dash, scrollTable } = ns.dom;

  /* The chart's size, in SVG units: a line chart per series, its points spaced evenly. */
  const CHART = { width: 240, height: 72, left: 40, right: 10, top: 8, bottom: 20 };

  ns.trend = function (app) {
    const { data, rules } = app;
    const text = app.text;
    const state = app.state;
    const says = text.overTime;

    /* The view's <details> made to match the state; whether it is open. */
    function viewOpen() {
      const details = document.getElementById("trend_view");
      if (details.open !== state.views.trend) details.open = state.views.trend;
      return state.views.trend;
    }

    /* Follow the user opening or closing the view. */
    function watch() {
      const details = document.getElementById("trend_view");
      details.addEventListener("toggle", () => app.change({ type: "view", name: "trend", open: details.open }));
    }

    /* What the view shows, a series a row: { key (its data-series), title, values (a number or null per
     * assessment), shown (text or null), low and high (the scale), ticks (the scale's ends as written) }. */
    function series(assessments) {
      const percentage = data.summary.name === "percentage";
      const scale = percentage
        ? { low: 0, high: 100, ticks: ["0%", "100%"] }
        : { low: 1, high: rules.top, ticks: ["1", String(rules.top)] };
      const ofTopics = (key, title, topics) => ({
        key: key,
        title: title,
        values: assessments.map((item) => rules.summaryValue(topics, item)),
        shown: assessments.map((item) => rules.summaryOf(topics, item)),
        ...scale,
      });
      const rows = data.sections.map((section) => ofTopics(section.id, section.title, section.topics));
      if (data.summary.tally) rows.push(ofTopics("total", text.summary.total, rules.topics));
      if (data.tiers.length) {
        const reached = assessments.map((item) => rules.tierReached(item));
        rows.push({
          key: "tier",
          title: says.tier,
          values: reached.map((tier) => (tier === null ? 0 : data.tiers.indexOf(tier) + 1)),
          shown: reached.map((tier) => (tier === null ? says.noTier : tier)),
          low: 0,
          high: data.tiers.length,
          ticks: [says.noTierShort, data.tiers[data.tiers.length - 1]],
        });
      }
      return rows;
    }

    /* The view: every assessment in date order, as a table then a chart. */
    function trend() {
      const box = document.getElementById("trend_content");
      box.replaceChildren();
      if (!viewOpen()) return;
      const assessments = rules.byDate(state.file.assessments.slice());
      if (assessments.length < 2) {
        box.append(el("p", { text: says.intro }));
        return;
      }
      const rows = series(assessments);
      box.append(el("p", { text: says.lead(data.summary.statistic) }), table(assessments, rows), chart(rows));
    }

    /* The table: a column per assessment (numbered as the chart's points), a row per section. */
    function table(assessments, rows) {
      const head = el(
        "tr",
        {},
        el("th", { scope: "col", text: says.section }),
        ...assessments.map((item, index) =>
          el("th", { scope: "col", className: "num", "data-assessment": item.id }, says.column(index + 1, item)),
        ),
      );
      const body = el("tbody");
      rows.forEach((row) => {
        const line = el("tr", { "data-series": row.key }, el("th", { scope: "row", text: row.title }));
        row.shown.forEach((shown) =>
          line.append(shown === null ? dash(says.notAnswered) : el("td", { className: "num", text: shown })),
        );
        body.append(line);
      });
      return scrollTable(
        el(
          "table",
          { className: "trend-table", id: "trend_table" },
          el("caption", { text: says.caption(data.summary.statistic, assessments.length) }),
          el("thead", {}, head),
          body,
        ),
      );
    }

    /* The chart: a small line chart per row, its points numbered as the table's columns. The table says the same
     * in words, so the pictures are hidden from screen readers. */
    function chart(rows) {
      const figure = el(
        "figure",
        { className: "trend-chart", id: "trend_chart" },
        el("figcaption", { text: says.chartCaption }),
      );
      const grid = el("div", { className: "trend-charts", "aria-hidden": "true" });
      rows.forEach((row) =>
        grid.append(
          el("div", { className: "trend-one", "data-series": row.key }, el("p", { text: row.title }), line(row)),
        ),
      );
      figure.append(grid);
      return figure;
    }

    /* One row's line chart: the scale's ends at the left, a point per assessment answered, joined in order. */
    function line(row) {
      const { width, height, left, right, top, bottom } = CHART;
      const count = row.values.length;
      const step = (width - left - right) / Math.max(count - 1, 1);
      const x = (index) => left + index * step;
      const y = (value) => top + (height - top - bottom) * (1 - (value - row.low) / (row.high - row.low || 1));
      const picture = svg("svg", { viewBox: "0 0 " + width + " " + height, class: "trend-line", focusable: "false" });
      [row.high, row.low].forEach((value, index) => {
        picture.append(svg("line", { x1: left, x2: width - right, y1: y(value), y2: y(value), class: "trend-grid" }));
        const label = svg("text", { x: left - 4, y: y(value) + 4, class: "trend-tick", "text-anchor": "end" });
        label.textContent = row.ticks[index === 0 ? 1 : 0];
        picture.append(label);
      });
      let path = "";
      let joined = false;
      row.values.forEach((value, index) => {
        const number = svg("text", { x: x(index), y: height - 4, class: "trend-tick", "text-anchor": "middle" });
        number.textContent = String(index + 1);
        picture.append(number);
        if (value === null) {
          joined = false; // a gap where an assessment has no result
          return;
        }
        path += (joined ? "L" : "M") + x(index).toFixed(1) + " " + y(value).toFixed(1);
        joined = true;
        picture.append(svg("circle", { cx: x(index), cy: y(value), r: 3.5, class: "trend-point" }));
      });
      if (path) picture.insertBefore(svg("path", { d: path, class: "trend-path" }), picture.querySelector("circle"));
      return picture;
    }

    return { watch, trend };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
