/* The team view taken away (ProgressScoring.teamFiles(data, rules, files, text)): as a CSV file, a row per topic
 * and a column per person, with the spread, the middle answer and whether to talk about it (printed alone by
 * score-print.js). It reads assessments and writes text; the view itself is drawn by score-compare.js.
 */
(function (ns) {
  "use strict";

  ns.teamFiles = function (data, rules, files, text) {
    const says = text.team;
    const label = (score) => (score === null ? "" : rules.levels[score - 1]);

    /* The team view as CSV: a row per topic; a column per person (named), then spread, middle, talk about it. */
    function csv(assessments) {
      const rows = [
        [says.section, says.number, says.topic, ...assessments.map(says.person), says.spread, says.middle, says.talk],
      ];
      rules.entries.forEach(({ topic, section }) => {
        const answers = rules.teamOf(assessments, topic);
        const given = answers.low !== null;
        rows.push([
          section.title,
          topic.number,
          topic.title,
          ...answers.each.map(label),
          given ? says.range(label(answers.low), label(answers.high)) : "",
          given ? says.between(label(answers.middle.low), label(answers.middle.high)) : "",
          answers.talk ? says.csvYes : "",
        ]);
      });
      return files.csvText(rows);
    }

    return { csv, fileName: () => says.fileName(data.workbook) };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
