/* The rules that run on the user's answers (ProgressScoring.rules(data)): counts per level, the
 * mean and the percentage, thresholds and the tier reached, what to work towards, how two
 * assessments differ and how a team's scores spread. tests/oracle.py states the same in Python.
 *
 * Everything the content decides (the levels, the thresholds, which summary a workbook has) comes
 * from `data`, the page's #scoring-data (workbook/scoring.py). No text and no drawing here.
 */
(function (ns) {
  "use strict";

  function sum(total, value) {
    return total + value;
  }

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  ns.rules = function (data) {
    const levels = data.levels;
    const top = levels.length;
    const entries = data.sections.flatMap((section) => section.topics.map((topic) => ({ topic, section })));
    const topics = entries.map((entry) => entry.topic);
    const byId = new Map(topics.map((topic) => [topic.id, topic]));

    /* What a tick saves: the score, and what it meant then (the topic's fingerprint, the statement's words). */
    function answer(topic, score) {
      return { score: score, meaning: topic.meaning, statement: topic.statements[score - 1] };
    }

    /* The answer saved for a topic ({ score, meaning, statement }), or null. */
    function answerOf(assessment, topic) {
      return has(assessment.scores, topic.id) ? assessment.scores[topic.id] : null;
    }

    /* Whether an answer was given to the statements the topic has now (same levels, same words, same order). */
    function current(answer, topic) {
      return answer.meaning === topic.meaning && answer.score <= topic.statements.length;
    }

    /* The score ticked for a topic, or null: an answer given to statements that have changed since is not
     * counted until the user chooses (needsChoice). */
    function scoreOf(assessment, topic) {
      const given = answerOf(assessment, topic);
      return given !== null && current(given, topic) ? given.score : null;
    }

    /* Whether a topic's saved answer was given to other statements than it has now (kept, not counted). */
    function needsChoice(assessment, topic) {
      const given = answerOf(assessment, topic);
      return given !== null && !current(given, topic);
    }

    /* The topics whose answers wait for the user to choose, in the workbook's order. */
    function waiting(assessment) {
      return topics.filter((topic) => needsChoice(assessment, topic));
    }

    /* The action-plan fields written for a topic (none: an empty object). */
    function planOf(assessment, topic) {
      return has(assessment.plans, topic.id) ? assessment.plans[topic.id] : {};
    }

    /* The statement to work towards: its level (null at the top) and its text. */
    function workTowards(topic, score) {
      if (score === null) return { level: 1, text: topic.statements[0] };
      if (score >= topic.statements.length) return { level: null, text: data.keep_doing };
      return { level: score + 1, text: topic.statements[score] };
    }

    function answeredScores(someTopics, assessment) {
      return someTopics.map((topic) => scoreOf(assessment, topic)).filter((score) => score !== null);
    }

    /* How many of the topics are at each level. */
    function counts(someTopics, assessment) {
      const found = levels.map(() => 0);
      answeredScores(someTopics, assessment).forEach((score) => {
        found[score - 1] += 1;
      });
      return found;
    }

    function mean(someTopics, assessment) {
      const answered = answeredScores(someTopics, assessment);
      return answered.length ? answered.reduce(sum, 0) / answered.length : null;
    }

    /* Points scored over the points for the top level on every topic answered, as a percentage. */
    function percentage(someTopics, assessment) {
      const answered = answeredScores(someTopics, assessment);
      return answered.length ? (100 * answered.reduce(sum, 0)) / (top * answered.length) : null;
    }

    /* Each summary (data.summary.name): its statistic, and that statistic as shown (halves rounded up). */
    const statistics = {
      mean: {
        of: mean,
        shown: (value) => (Math.floor(value * 10 + 0.5) / 10).toFixed(1),
      },
      percentage: {
        of: percentage,
        shown: (value) => Math.floor(value + 0.5) + "%",
      },
    };
    const statistic = statistics[data.summary.name];

    /* The workbook's summary statistic of the topics, as shown; null when none is answered. */
    function summaryOf(someTopics, assessment) {
      const value = statistic.of(someTopics, assessment);
      return value === null ? null : statistic.shown(value);
    }

    /* Whether a topic is below the level it needs (a topic not answered is below any). */
    function belowThreshold(topic, assessment) {
      const score = scoreOf(assessment, topic);
      return topic.threshold !== null && (score === null ? 0 : score) < topic.threshold;
    }

    /* The topics (with their sections) that keep a tier from being reached. */
    function blockingTopics(tier, assessment) {
      return entries.filter((entry) => entry.section.tier === tier && belowThreshold(entry.topic, assessment));
    }

    /* The highest tier reached: each of its topics, and every lower tier's, at the level needed. */
    function tierReached(assessment) {
      let reached = null;
      for (const tier of data.tiers) {
        if (blockingTopics(tier, assessment).length) break;
        reached = tier;
      }
      return reached;
    }

    /* The tier after the one reached (the first when none is), or undefined at the top. */
    function nextTier(reached) {
      return data.tiers[reached === null ? 0 : data.tiers.indexOf(reached) + 1];
    }

    /* Whether a tier is reached, given the highest one reached. */
    function tierDone(tier, reached) {
      return reached !== null && data.tiers.indexOf(tier) <= data.tiers.indexOf(reached);
    }

    /* How a topic's score changed from one assessment to another: its kind, and by how many levels. */
    function changeOf(before, after) {
      if (before === null && after === null) return { kind: "none", by: 0 };
      if (before === null) return { kind: "new", by: 0 };
      if (after === null) return { kind: "gone", by: 0 };
      if (after > before) return { kind: "up", by: after - before };
      if (after < before) return { kind: "down", by: before - after };
      return { kind: "same", by: 0 };
    }

    /* How several assessments scored a topic: people per level, how many did not answer, the range. */
    function spreadOf(assessments, topic) {
      const scores = assessments.map((item) => scoreOf(item, topic)).filter((score) => score !== null);
      const perLevel = levels.map((label, index) => scores.filter((score) => score === index + 1).length);
      if (!scores.length) return { perLevel, unanswered: assessments.length, low: null, high: null, wide: false };
      const low = Math.min(...scores);
      const high = Math.max(...scores);
      return { perLevel, unanswered: assessments.length - scores.length, low, high, wide: high - low >= 2 };
    }

    /* ---------- Over time and the team view (issue 17) ---------- */

    /* People "talk about it" on a topic when the answers given are this many levels apart or more. */
    const TALK_GAP = 2;

    /* The workbook's summary statistic of the topics as a number (mean, or percentage), or null. */
    function summaryValue(someTopics, assessment) {
      return statistic.of(someTopics, assessment);
    }

    /* Assessments in date order: dated ones oldest first, then undated ones; ties keep the order saved. */
    function byDate(assessments) {
      const dated = assessments.filter((item) => item.date);
      const undated = assessments.filter((item) => !item.date);
      return dated.sort((one, other) => (one.date < other.date ? -1 : one.date > other.date ? 1 : 0)).concat(undated);
    }

    /* The most recent assessment (the last in date order), or undefined. */
    function latest(assessments) {
      const ordered = byDate(assessments.slice());
      return ordered.filter((item) => item.date).pop() || ordered[ordered.length - 1];
    }

    /* The team's middle answer: the median of the answers given ({ low, high }, the same level when one middle
     * answer; with an even count the two middle answers, equal or not), or null when nobody answered. */
    function middleOf(scores) {
      const sorted = scores.slice().sort((one, other) => one - other);
      if (!sorted.length) return null;
      const half = Math.floor(sorted.length / 2);
      if (sorted.length % 2) return { low: sorted[half], high: sorted[half] };
      return { low: sorted[half - 1], high: sorted[half] };
    }

    /* A team's answers to a topic: each person's score (null: not answered), the lowest and highest given, the
     * middle (middleOf), and whether to talk about it (answers TALK_GAP levels apart or more). */
    function teamOf(assessments, topic) {
      const each = assessments.map((item) => scoreOf(item, topic));
      const given = each.filter((score) => score !== null);
      const low = given.length ? Math.min(...given) : null;
      const high = given.length ? Math.max(...given) : null;
      return { each, low, high, middle: middleOf(given), talk: given.length > 1 && high - low >= TALK_GAP };
    }

    /* ---------- Priorities of the action plan (issue 17) ---------- */

    /* Whether a topic is at its top level: nothing further to work towards ("keep doing this"). */
    function atTop(topic, assessment) {
      const score = scoreOf(assessment, topic);
      return score !== null && score >= topic.statements.length;
    }

    /* Topics in the order a plan takes them: below their threshold first, then the lowest score (not answered as
     * 0), then the workbook's order. */
    function ranked(someTopics, assessment) {
      const key = (topic) => [belowThreshold(topic, assessment) ? 0 : 1, scoreOf(assessment, topic) || 0];
      return someTopics
        .map((topic) => ({ topic, key: key(topic), index: topics.indexOf(topic) }))
        .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.index - b.index)
        .map((item) => item.topic);
    }

    /* The priorities until the team chooses its own: of the topics answered and not at the top level, the first
     * data.priorities as ranked. */
    function defaultPriorities(assessment) {
      const candidates = topics.filter((topic) => scoreOf(assessment, topic) !== null && !atTop(topic, assessment));
      return ranked(candidates, assessment).slice(0, data.priorities);
    }

    /* The priorities: those the team chose (assessment.priorities, ids) as ranked, else the default. */
    function priorities(assessment) {
      if (!Array.isArray(assessment.priorities)) return defaultPriorities(assessment);
      const chosen = assessment.priorities.map((id) => byId.get(id)).filter(Boolean);
      return ranked(Array.from(new Set(chosen)), assessment);
    }

    /* The prompts of a priority's plan (the index-th priority, from 0): the booklet's plan of that number, or its
     * last; as keys of the topic's plan (data.form.plan_keys). */
    function promptsFor(index) {
      const plans = data.form.plan_keys;
      return plans.length ? plans[Math.min(index, plans.length - 1)] : [];
    }

    /* Whether the summary is a mean of named levels, which says "out of" the top level's number (1.8 out of 3). */
    const meanOfNames = data.summary.name === "mean" && !data.numeric_levels;

    return {
      atTop,
      ranked,
      defaultPriorities,
      priorities,
      promptsFor,
      meanOfNames,
      levels,
      top,
      entries,
      topics,
      byId,
      answer,
      answerOf,
      scoreOf,
      needsChoice,
      waiting,
      planOf,
      workTowards,
      answeredScores,
      counts,
      mean,
      percentage,
      summaryOf,
      belowThreshold,
      blockingTopics,
      tierReached,
      nextTier,
      tierDone,
      changeOf,
      spreadOf,
      /* Over time and the team view (issue 17). */
      TALK_GAP,
      summaryValue,
      byDate,
      latest,
      middleOf,
      teamOf,
    };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
