/* The scoring page's words: every piece of text it shows, in one object (ProgressScoring.text).
 *
 * The other scripts of the page hold no user-facing wording: they take it from here. A plain
 * string is shown as it is; a function builds a message from its parts. Wording that belongs to a
 * workbook (levels, titles, each topic's requirement, the summary's formula) comes from the
 * page's data instead (workbook/scoring.py). Loaded first: it needs nothing.
 */
(function (ns) {
  "use strict";

  const LOCALE = "en-GB";
  /* Made once: a formatter made per call would cost more than the rest of a list of thousands. */
  const DAY = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "long", year: "numeric" });

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  function quoted(text) {
    return "“" + text + "”";
  }

  /* A date written YYYY-MM-DD, as people write it: "31 March 2025". */
  function longDate(text) {
    const parts = text.split("-").map(Number);
    return DAY.format(new Date(parts[0], parts[1] - 1, parts[2]));
  }

  /* An assessment as lists and messages name it: its name and date. */
  function describe(assessment) {
    return (assessment.name || "Untitled") + (assessment.date ? " (" + longDate(assessment.date) + ")" : "");
  }

  /* Capitalise the first letter, where a phrase from the data starts a sentence. */
  function sentence(phrase) {
    return phrase.charAt(0).toUpperCase() + phrase.slice(1);
  }

  ns.text = {
    plural: plural,
    describe: describe,
    sentence: sentence,

    /* ---------- Your assessment ---------- */
    assessment: {
      newName: (number) => "Assessment " + number,
      /* A name already taken, made unique: "From the booklet (2)". */
      numbered: (name, number) => name + " (" + number + ")",
      shown: "Assessment shown",
      nothingSaved: "Nothing is saved yet: your first answer starts this assessment.",
      name: "Name",
      nameHint: "For example, the quarter or the team.",
      date: "Date",
      people: "Who took part",
      startNew: "Start a new assessment",
      delete: "Delete this assessment",
      confirmDelete: (name) =>
        "Delete " +
        quoted(name) +
        "? Its scores and action plan will be removed from this browser. This cannot be undone.",
      yesDelete: "Yes, delete it",
      noKeep: "No, keep it",
      showing: (assessment) => "Showing " + quoted(describe(assessment)) + ".",
      started: (assessment) => "Started " + quoted(describe(assessment)) + ". Give it a name, then score each topic.",
      deleted: (gone, next) =>
        "Deleted " + quoted(describe(gone)) + "." + (next ? " Showing " + quoted(describe(next)) + "." : ""),
      updatedElsewhere: "Updated with changes made in another window.",
    },

    /* ---------- Answers given to statements that have changed since ---------- */
    changed: {
      title: "The wording of these topics changed since you answered:",
      intro:
        "Until you choose, each of these answers is kept as it was, in this browser and in your exports, but it is not ticked or counted in your results.",
      topic: (topic) => topic.number + ". " + topic.title,
      separator: ": ",
      /* What was chosen: the statement's words when they were saved (answers saved before they were, only the level). */
      chose: (answer) =>
        "you chose " +
        (answer.statement ? quoted(answer.statement) + " (level " + answer.score + ")" : "level " + answer.score) +
        ". ",
      /* What that level reads now; the same words when the topic's other statements or its levels changed. */
      reads: (score, now, same) =>
        same
          ? "Level " + score + " still reads the same, but this topic’s other statements or its levels changed."
          : "Now level " + score + " reads " + quoted(now) + (/[.!?]$/.test(now) ? "" : "."),
      gone: (top) => "This topic now has " + top + " levels, so choose again.",
      keep: (score) => "Keep level " + score,
      again: "Choose again",
      kept: (topic, score) => "Kept level " + score + " for " + quoted(topic.title) + ".",
      cleared: (topic) =>
        "Cleared your earlier answer for " + quoted(topic.title) + ": tick the statement most like your service today.",
      /* Said after "n of m topics answered." while some wait. */
      waiting: (count) =>
        " " +
        plural(count, "earlier answer waits", "earlier answers wait") +
        " for you to choose (see the top of the page).",
    },

    /* ---------- Score each topic ---------- */
    form: {
      topicNumber: (topic) => topic.number + ".",
      hintSeparator: " · ",
      levelSeparator: ": ",
      notAssessed: "Not assessed yet",
    },

    /* ---------- Summary and chart ---------- */
    summary: {
      whoTookPart: (people) => ". Who took part: " + people,
      progress: (answered, total) => answered + " of " + total + " topics answered.",
      section: "Section",
      total: "Total",
      answered: (answered, total) => answered + " of " + total,
      noneAnswered: "none answered",
      noStatistic: (statistic) => "no " + statistic.toLowerCase() + " yet",
      /* The columns and caption of the table: a tally of ticks (with totals), or topics per level. */
      tally: {
        atLevel: "Ticks at ",
        answeredHeading: "Total ticks",
        caption: (statistic) => "Ticks at each level, totals and " + statistic.toLowerCase() + "s, by section",
      },
      perTopic: {
        atLevel: "Topics at ",
        answeredHeading: "Answered",
        caption: (statistic) =>
          "How many topics are at each level, and the " + statistic.toLowerCase() + " score, by section",
      },
      /* Said after the summary's formula, by the summary's name. */
      rounding: {
        percentage:
          " Percentages are rounded to the nearest whole number; a topic not answered yet is left out, not counted as zero.",
      },
    },

    chart: {
      title: "Chart: every topic’s score. ",
      legend: (hasThresholds) =>
        "A longer bar is more progress" +
        (hasThresholds ? "; the upright line marks the level each topic needs" : "") +
        ". A topic not answered yet is an empty dashed box.",
      notAnswered: "Not answered",
      outOf: (score, top) => score + " of " + top,
      needs: (label) => " (needs " + label + ")",
      meets: (label) => " (meets " + label + ")",
    },

    /* ---------- Tiers ---------- */
    tiers: {
      reached: "You have reached ",
      reachedEnd: ".",
      notReached: "You have not reached a tier yet.",
      rule: "A tier is reached when every topic in it achieves the level it must, and every lower tier is reached.",
      done: "Reached",
      blocking: (count) => plural(count, "topic", "topics") + " still to reach the level needed",
      lowerNotReached: "Every topic achieves the level needed; a lower tier is not reached yet",
      highest: "This is the highest tier. Keep doing what got you here.",
      toReach: (tier) => "To reach " + tier,
      needed: "These topics need to achieve the level shown:",
      topic: (topic) => topic.number + ". " + topic.title,
      blockingDetail: (requirement, now) => ": " + requirement + "; now " + (now === null ? "not answered" : now) + ".",
    },

    /* ---------- Action plan ---------- */
    plan: {
      intro:
        "For each topic, the next statement is what to work towards. Write what you will do, who will do it and by when: it is saved as you type.",
      below: "Below the level needed: start here",
      rest: "At the level needed, or with no level set",
      notAnswered: "Not answered yet",
      score: (level) => "Score: " + level,
      separator: " · ",
      workTowards: "Work towards",
      workTowardsLevel: (label, numeric) => "Work towards (" + (numeric ? "statement " : "") + label + ")",
      fields: { action: "Action", who: "Who", by: "By when" },
    },

    /* ---------- Compare two assessments ---------- */
    compare: {
      intro:
        "When you have two or more assessments, for example this quarter’s and the last, compare them here: topic by topic, then and now.",
      then: "Then",
      now: "Now",
      topic: "Topic",
      change: "Change",
      different: "Choose two different assessments to compare.",
      counts: (tally) =>
        "Up in " +
        plural(tally.up, "topic", "topics") +
        ", down in " +
        tally.down +
        ", the same in " +
        tally.same +
        ", newly answered in " +
        tally.new +
        (tally.gone ? ", no longer answered in " + tally.gone : "") +
        (tally.none ? ", not answered in either in " + tally.none : "") +
        ".",
      caption: (then, now) => "Then: " + describe(then) + ". Now: " + describe(now) + ".",
      notAnswered: "not answered",
      /* Each kind of change: the mark drawn before it and what it says (`by`: how many levels). */
      changes: {
        none: { mark: "", text: () => "Not answered" },
        new: { mark: "+ ", text: () => "Newly answered" },
        gone: { mark: "", text: () => "No longer answered" },
        up: { mark: "▲ ", text: (by) => "Up " + by },
        down: { mark: "▼ ", text: (by) => "Down " + by },
        same: { mark: "= ", text: () => "Same" },
      },
    },

    /* ---------- Team view ---------- */
    team: {
      intro:
        "To see how several people scored, ask each to share their assessment by link (or export it), then add all the links below (or import all the files at once). The table shows each person’s answer, the spread from lowest to highest, the team’s middle answer, and where to talk about it.",
      include: "Include these assessments",
      choice: (assessment) => describe(assessment) + (assessment.people ? " – " + assessment.people : ""),
      tickTwo: "Tick two or more assessments to see the spread of their scores.",
      topic: "Topic",
      section: "Section",
      number: "Number",
      /* A person, as a column heading: who took part, else the assessment's name. */
      person: (assessment) => assessment.people || assessment.name || "Untitled",
      notAnswered: "not answered",
      spread: "Spread",
      middle: "Middle",
      talk: "Talk about it",
      noAnswers: "no answers",
      range: (low, high) => (low === high ? low : low + " to " + high),
      between: (low, high) => (low === high ? low : "between " + low + " and " + high),
      talkYes: "Yes",
      talkMark: "⚑ ",
      talkNo: "no",
      caption: (count) =>
        "Each person’s answer, the spread and the team’s middle answer, across " + plural(count, "person", "people"),
      rule: (gap) =>
        "Spread: the lowest and highest answers given. Middle: the median answer: with an odd number of answers, the one in the middle; with an even number, the two in the middle (“between 2 and 3” when they differ). Topics not answered are left out. “Talk about it” marks a topic where two people’s answers are " +
        gap +
        " levels apart or more.",
      csv: "Export the team view as CSV",
      print: "Print the team view",
      exported: (count) => "Exported the team view of " + plural(count, "person", "people") + " as CSV.",
      fileName: (slug) => slug + "-team-view.csv",
      csvYes: "yes",
    },

    /* ---------- Over time (issue 17): a new assessment from the latest, and the trend ---------- */
    overTime: {
      /* Starting a new assessment while one is saved. */
      offerTitle: "Start the new assessment from earlier answers?",
      offer:
        "Your team may want to start from the last assessment’s answers and change what has changed. The earlier assessment stays as it is.",
      fromLatest: (latest) => "Start from the answers of " + quoted(describe(latest)),
      blank: "Start blank",
      cancel: "Cancel",
      startedFrom: (assessment, from) =>
        "Started " +
        quoted(describe(assessment)) +
        " from the answers of " +
        quoted(describe(from)) +
        ". Give it a name, then change what has changed.",
      /* The trend: every assessment's section results. */
      intro:
        "When you have two or more assessments, for example one a quarter, see here how each section’s results changed over time.",
      lead: (statistic) =>
        "Each section’s " +
        statistic.toLowerCase() +
        " in every assessment, oldest first (by date). Numbers match the chart’s points.",
      section: "Section",
      column: (number, assessment) => number + ". " + describe(assessment),
      caption: (statistic, count) =>
        sentence(statistic.toLowerCase()) +
        " by section over time, across " +
        plural(count, "assessment", "assessments"),
      notAnswered: "not answered",
      tier: "Tier reached",
      noTier: "None yet",
      noTierShort: "None",
      chartCaption: "Chart of the table above: a line per row, each point an assessment, numbered as the columns.",
    },

    /* ---------- Export and import ---------- */
    files: {
      nothingToExport: "Nothing to export yet: score a topic first.",
      what: "What to export",
      all: (count) => "All assessments (" + count + ")",
      only: (assessment) => "Only " + quoted(describe(assessment)),
      exportJson: "Export as JSON (to import later)",
      exportCsv: "Export as CSV (for Excel)",
      print: "Print the results",
      import: "Import",
      importLabel: "Choose one or more JSON files exported from this page, or filled-in booklets (PDF)",
      importHint:
        "Their assessments are added to the ones here. An assessment exported from here and imported again replaces the one it was exported from. Choose several people’s files at once to see the team view.",
      dropHint:
        "A fillable booklet (the PDF with boxes to tick on screen), once filled in and saved, becomes a new assessment here: choose it above, or drop it on this box. It is read in this browser; nothing is uploaded.",
      backups: "Backups",
      backupsIntro:
        "Answers this page found saved in this browser but could not use as they were, kept exactly as they were. Download one to keep a copy, ask for help with it, or import it if it can be read.",
      keptOn: (time) => "Kept on " + time + " ",
      downloadBackupLabel: (time) => "Download the backup kept on " + time,
      download: "Download",
      exportedJson: (count) => "Exported " + plural(count, "assessment", "assessments") + " as JSON.",
      exportedCsv: (count) => "Exported " + plural(count, "assessment", "assessments") + " as CSV, one row per topic.",
      csvHeadings: [
        "Assessment",
        "Date",
        "Workbook",
        "Section",
        "Topic",
        "Title",
        "Score",
        "Work towards",
        "Action",
        "Who",
        "By when",
      ],
      /* The words in the names of downloaded files. */
      fileWords: { all: "assessments", one: "assessment", backup: "backup" },
      tooLarge: (name, size, limit) =>
        "Nothing was imported: " +
        quoted(name) +
        " was refused because it is " +
        size +
        ", too large to be a file of assessments exported from this page or a filled-in booklet (the limit is " +
        limit +
        "; an export is usually a few KB, a filled-in booklet about 1 MB). Your assessments are unchanged.",
      refused: (name, problem) =>
        "Nothing was imported: " +
        quoted(name) +
        " was refused because " +
        problem +
        ". Your assessments are unchanged.",
      empty: (several) => "Nothing was imported: the file" + (several ? "s hold" : " holds") + " no assessments.",
      imported: (count, files, replaced, shown, links) =>
        "Imported " +
        plural(count, "assessment", "assessments") +
        " from " +
        (links ? plural(files, "link", "links") : plural(files, "file", "files")) +
        (replaced ? " (" + replaced + " replaced the same assessment already here)" : "") +
        "." +
        (files > 1 ? " The team view shows them side by side." : " Showing " + quoted(describe(shown)) + "."),
      /* A file's size as people read it: bytes, KB or MB (of 1,024). */
      size: (bytes) => {
        if (bytes < 1024) return plural(bytes, "byte", "bytes");
        if (bytes < 1024 * 1024) return Math.round(bytes / 1024) + " KB";
        return Math.round((bytes / (1024 * 1024)) * 10) / 10 + " MB";
      },
    },

    /* Why a file (exported, or saved in this browser) cannot be read: each completes "…, because ". */
    problems: {
      notJson: "it is not valid JSON (it may be damaged, or not a file exported from this page)",
      newer: (format, reads) =>
        "it was saved by a newer version of this page (format " + format + "; this page reads format " + reads + ")",
      forbidden: "it contains a key named __proto__, constructor or prototype, which this page never writes",
      notAssessments: "it is not a file of assessments exported from this page",
      unknownFormat: (format) => "its format, " + JSON.stringify(format) + ", is not one this page knows",
      tooOld: (format) => "its format, " + format + ", is too old for this page",
      otherWorkbook: (theirs, ours) =>
        "it is for another workbook (" + JSON.stringify(theirs) + "), not this one (" + JSON.stringify(ours) + ")",
      unexpectedEntry: (key) => "it has an unexpected entry " + JSON.stringify(key),
      notAList: "its assessments are not a list",
      /* An assessment by its number in the file and, when it has one, its name. */
      inAssessment: (number, name, problem) =>
        "assessment " + number + (typeof name === "string" && name ? " (" + quoted(name) + ")" : "") + " " + problem,
      unknownCurrent: "its current assessment is not one of its assessments",
      unreadable: "it could not be read",
      /* What is wrong with one assessment: each follows "assessment N ". */
      assessment: {
        notAnAssessment: "is not an assessment",
        unexpectedEntry: (key) => "has an unexpected entry " + JSON.stringify(key),
        noId: "has no id",
        sameId: "has the same id as another",
        notText: (key) => "has a " + key + " that is not text",
        notADate: "has a date that is not a date (expected YYYY-MM-DD)",
        notADay: (date) => "has the date " + date + ", which is not a day in the calendar (expected YYYY-MM-DD)",
        noScores: "has no scores",
        scoreNotTopic: (topic) => "has a score for " + JSON.stringify(topic) + ", which is not a topic id",
        notAScore: (topic, found, top) =>
          "has a score for topic " +
          JSON.stringify(topic) +
          " that is not one: a score must be a whole number from 1 to " +
          top +
          "; found " +
          found,
        bareScore: (topic) =>
          "has a score for topic " +
          JSON.stringify(topic) +
          " without the statement it answered (expected its score, meaning and statement)",
        unexpectedAnswerEntry: (topic, key) =>
          "has an unexpected entry " + JSON.stringify(key) + " in its answer for topic " + JSON.stringify(topic),
        answerNotText: (topic) =>
          "has an answer for topic " + JSON.stringify(topic) + " whose meaning or statement is not text",
        noPlan: "has no action plan",
        planNotTopic: (topic) => "has an action plan for " + JSON.stringify(topic) + ", which is not a topic id",
        planNotFields: (topic) =>
          "has an action plan for topic " + JSON.stringify(topic) + " that is not a set of fields",
        unexpectedPlanField: (key) => "has an unexpected action plan field " + JSON.stringify(key),
        planNotText: "has an action plan field that is not text",
        detailedNotPlans: "has detailed action plans that are not a set of plans",
        detailedNotNumber: (key) =>
          "has a detailed action plan " + JSON.stringify(key) + ", which is not a plan’s number (1, 2, 3…)",
        detailedNotPrompts: (number) => "has a detailed action plan " + number + " that is not a set of answers",
        detailedNotPrompt: (number, key) =>
          "has an answer in detailed action plan " + number + " to " + JSON.stringify(key) + ", which is not a prompt",
        detailedNotText: (number) => "has an answer in detailed action plan " + number + " that is not text",
      },
    },

    /* ---------- A filled-in booklet (PDF), imported ---------- */
    booklet: {
      /* The name of the assessment a booklet becomes. */
      name: () => "From the booklet",
      /* Said when one booklet was imported; `counts`: { ticked, topics, waiting, written, unknown }. */
      imported: (file, shown, counts) =>
        "Imported the booklet " +
        quoted(file) +
        " as " +
        quoted(shown.name) +
        ": " +
        counts.ticked +
        " of " +
        plural(counts.topics, "topic", "topics") +
        " ticked" +
        (counts.written ? ", " + plural(counts.written, "box", "boxes") + " of the action plans filled in" : "") +
        "." +
        (counts.unknown
          ? " " +
            plural(counts.unknown, "tick names a level", "ticks name levels") +
            " this workbook no longer has, so " +
            (counts.unknown === 1 ? "it was" : "they were") +
            " left out."
          : "") +
        (counts.waiting
          ? " The wording of " +
            plural(counts.waiting, "topic", "topics") +
            " changed since the booklet was made: choose at the top of the page."
          : ""),
      detailedTitle: "Detailed action plans (from the booklet)",
      detailedIntro:
        "As written in the booklet this assessment was imported from. To change them, edit the booklet and import it again.",
      plan: (number, count, title) =>
        title ? "Detailed action plan: " + title : "Detailed action plan " + number + " of " + count,
      /* Why a PDF is refused: each completes "…, because ". */
      problems: {
        notPdf: "it is not a PDF (it may be damaged, or another kind of file with a name ending .pdf)",
        damaged:
          "it is damaged or incomplete (it may not have finished downloading or saving), so its form cannot be read",
        encrypted:
          "it is protected by a password or encryption, which this page cannot read: save a copy without protection and import that",
        noForm:
          "it has no form to read: it is not the fillable booklet (use the booklet whose name ends “-fillable.pdf”, filled in and saved)",
        notBooklet:
          "it is not a fillable booklet of these workbooks (it does not say which workbook and edition it is)",
        noFields: "it has none of this workbook’s boxes to tick or fill in",
        noAnswers:
          "nothing in it is filled in: no statement is ticked and no action is written (fill it in and save it, then import it again)",
        noReader: "this page’s PDF reader could not be loaded (try reloading the page)",
      },
    },

    /* ---------- Read a ticked booklet (score-paper.js) ---------- */
    paper: {
      intro:
        "Ticked the printed booklet with a pen? Photograph its pages with a phone, or scan them, and this page reads the ticks. You check what it read before anything is saved. The pictures stay on this device: nothing is uploaded.",
      open: "Read a ticked booklet",
      opening: "Getting the reader ready…",
      unavailable:
        "The reader could not be loaded. If this site was built without its booklets, there are no booklet pages to read; otherwise, try reloading the page.",
      choose: "Choose photos or scans",
      chooseHint:
        "Photos (JPEG or PNG) or a scanner’s PDF; several at once, pages in any order. Take each page flat and whole, with its four corner squares in the picture.",
      camera: "Take photos",
      cameraHint: "Opens the camera on a phone or tablet.",
      drop: "Or drop the pictures here.",
      close: "Close the reader",
      reading: (done, total) => "Reading picture " + (done + 1) + " of " + total + "…",
      pages: (count) => "Read " + plural(count, "page", "pages") + ".",
      missing: (pages) =>
        (pages.length === 1 ? "Page " : "Pages ") +
        pages.join(", ") +
        " of the booklet " +
        (pages.length === 1 ? "has" : "have") +
        " tick boxes but " +
        (pages.length === 1 ? "was" : "were") +
        " not among the pictures: add " +
        (pages.length === 1 ? "it" : "them") +
        ", or leave those topics unanswered.",
      addMore: "Add more pictures",
      /* Why a picture could not be read: each completes "<name>: ". */
      problems: {
        noMarks:
          "the four black corner squares of a booklet page were not found (take the whole page, flat and in focus)",
        noCode:
          "the page’s code, the column of small squares on its left edge, could not be read (take the page flat and in focus)",
        otherWorkbook: "it is a page of another workbook’s booklet (open that workbook’s scoring page to read it)",
        otherEdition: (page) =>
          "it is page " +
          page +
          " of a booklet printed from another edition of this workbook, whose boxes or statements have changed since: print the booklet again, or score that page by hand",
        undecodable:
          "the picture could not be opened here (it may be damaged; HEIC photos open only in Safari: send them as JPEG)",
        noBoxes: "it is a booklet page without tick boxes",
      },
      /* Why a scanner's PDF, or one of its pages, gives no picture to read. */
      pdfProblems: {
        notPdf: "it is not a PDF",
        damaged: "the PDF is damaged or incomplete",
        encrypted: "the PDF is password-protected (scan again without a password)",
        noImages: "the PDF has no scanned pages in it (is it a scan of the booklet?)",
        noImage: "this page of the PDF has no scanned picture on it",
        ccitt:
          "the scanner stored this page in black and white only, which a browser cannot open: scan again in grey or colour",
        jbig2:
          "the scanner stored this page in black and white only, which a browser cannot open: scan again in grey or colour",
        jpx: "the scanner stored this page as JPEG 2000, which this browser cannot open: scan again as JPEG",
        unsupported: "this page’s picture is stored in a way this page cannot open: scan again as JPEG",
        tooLarge: "this page’s picture is too large to open here: scan again at 300 dpi or less",
      },
      page: (number) => "page " + number,
      problemLine: (name, problem) => name + ": " + problem + ".",
      checkTitle: "Check what was read",
      checkIntro:
        "Each topic shows the boxes as photographed and the level read. Topics that need you come first. Keys: 1 to 9 choose a level and move on, 0 clears it, Enter accepts and moves on.",
      counts: (read, flagged, total) =>
        read +
        " of " +
        plural(total, "topic", "topics") +
        " read" +
        (flagged ? "; " + flagged + " need you" : "") +
        ".",
      reasons: {
        read: "Read",
        blank: "No box ticked",
        two: "Two or more boxes ticked: choose one",
        crossed: "A box crossed out: choose the one meant",
        faint: "A mark that is not clear: choose",
        disagree: "Its page and the summary sheet differ: choose",
      },
      confirmed: "Checked",
      noAnswer: "No answer",
      cropAlt: (topic, page) => "The boxes of topic " + topic.number + " on page " + page + ", as photographed",
      saveAs: "Save the answers read",
      asNew: "As a new assessment",
      fill: (assessment) => "Into the unanswered topics of " + quoted(describe(assessment)),
      save: "Save",
      name: (date) => "From paper, " + longDate(date),
      saved: (assessment, count) =>
        "Saved " + plural(count, "answer", "answers") + " read from paper into " + quoted(describe(assessment)) + ".",
      nothing: "Nothing to save: no topic has a level. Choose levels above, or add pictures.",
    },

    /* ---------- Share by link ---------- */
    share: {
      intro:
        "Share an assessment as a link, to open on another computer or phone (scan the QR code) or to send to your team lead: opening it offers to add the assessment there.",
      privacy:
        "The answers are inside the link itself, after the # sign: they are not sent to us or to any server. Anyone who has the link can see them.",
      nothing: "Nothing to share yet: score a topic first.",
      open: (assessment) => "Share " + quoted(describe(assessment)) + " by link",
      close: "Close",
      making: "Making the link…",
      linkLabel: (assessment) => "Link to " + quoted(describe(assessment)),
      length: (characters) => "The link is " + characters.toLocaleString(LOCALE) + " characters long.",
      copy: "Copy the link",
      copied: "Copied the link. Paste it into an email or a message.",
      notCopied: "The link could not be copied here: select it in the box and copy it yourself.",
      qrTitle: "Scan to open on another device",
      qrHint: "Point a phone’s camera at this code to open the link there.",
      qrTooLong: (characters, most) =>
        "This link is too long for a QR code (" +
        characters.toLocaleString(LOCALE) +
        " characters; a code that a phone reads easily holds about " +
        most.toLocaleString(LOCALE) +
        "). Copy the link instead and send it by email or message.",
      qrMissing: "The QR code could not be drawn here (its script could not be loaded). The link above still works.",
      fromDisk:
        "This page is opened from a file on this computer, so the link opens only where the same file is in the same place. Put the site on a web address to share links that open anywhere.",
      /* The notice shown when the page is opened with a shared link. */
      offerTitle: "An assessment was shared with you by link.",
      offer: (assessment, answered, total) =>
        quoted(describe(assessment)) +
        (assessment.people ? ", with " + assessment.people : "") +
        ": " +
        answered +
        " of " +
        plural(total, "topic", "topics") +
        " answered. Add it to the assessments in this browser? Nothing here is replaced.",
      offerRefused: (problem) => "A link opened this page, but it cannot be added, because " + problem + ".",
      add: "Add this assessment",
      notNow: "Not now",
      added: (assessment) => "Added " + quoted(describe(assessment)) + " from the link. Showing it now.",
      notAdded: "The shared assessment was not added. To add it later, open the link again.",
      dismissed: "Closed the notice. Nothing was added.",
      /* Collecting a team's links. */
      teamTitle: "Add assessments shared by link",
      teamLabel: "Paste one or more links, one per line",
      teamHint:
        "Ask each person to share their assessment by link and send it to you. Each becomes an assessment here, in the team view.",
      teamAdd: "Add to the team view",
      linkName: (number) => "link " + number,
      noLinks: "Nothing was added: no shared link was found in what you pasted (a shared link has “#share=” in it).",
      defaultName: "Shared assessment",
      /* Why a link cannot be read: each completes "…, because ". */
      problems: {
        damaged: "it is incomplete or damaged (it may have been cut short when it was copied)",
        newer: "it was made by a newer version of this page",
        otherTopics:
          "it was made on an edition of this workbook with other topics, so its answers cannot be matched to these (ask for an exported file instead)",
        tooLong: "it is too long to be a shared assessment",
      },
    },

    /* ---------- Saving in this browser ---------- */
    storage: {
      off: "This browser is not letting the page keep your answers (its storage is turned off or blocked).",
      cannotRead:
        "This browser is not letting the page read your saved answers (its storage is turned off or blocked).",
      full: "This browser's storage is full, so your latest changes could not be saved.",
      blocked: "This browser is not letting the page save your answers (its storage is turned off or blocked).",
      unreadable: (problem) => "The answers saved earlier in this browser could not be read, because " + problem + ".",
      leftAlone: " They have been left as they were, and what you do now will not be saved over them.",
      /* The saved answers, changed in another window into something this page cannot read. */
      changedElsewhere: (problem) =>
        "The answers saved in this browser were just changed in another window, and this page cannot read them now, because " +
        problem +
        ".",
      noRoom:
        " There is no room in this browser to keep a copy of them, so they have been left as they were, and what you do now will not be saved over them.",
      otherCopy:
        "Another copy of your answers, saved by an earlier version of this page, was also found in this browser.",
      savingAgain: "Your answers are being saved in this browser again.",
      notSaved: "Your answers are not being saved. ",
      stillHere:
        "They are still on this page until you close it. Export them now to keep a copy, and import the file later.",
      exportAll: "Export all assessments (JSON)",
      /* What the page found and kept on loading: a button to download each. */
      downloadUnreadable: "Download the answers that could not be read",
      downloadCopy: "Download the other copy",
      keepUnreadable:
        "To keep a copy of the answers that could not be read, exactly as they were saved, download them.",
      noRoomForCopy:
        "There is no room in this browser to keep it as a backup, so it has been left where it was. Download it, then import it below to add its assessments to these.",
      keptUnreadable:
        "Nothing has been deleted: they are kept, exactly as they were, as a backup in this browser. Download the backup to keep a copy or to ask for help with it (it is also under “Export and import”). You can carry on with a fresh assessment below: it is saved as usual.",
      keptCopy:
        "It is kept, exactly as it was, as a backup in this browser (also under “Export and import”). Download it, then import it below to add its assessments to these.",
      backupGone: "That backup is no longer in this browser (it may have been removed in another window).",
      backupDownloaded: "Downloaded the backup, exactly as it was saved.",
      /* When a backup was kept, from the time in its key. */
      time: (when) =>
        when.toLocaleString(LOCALE, {
          day: "numeric",
          month: "long",
          year: "numeric",
          hour: "2-digit",
          minute: "2-digit",
          second: "2-digit",
        }),
    },
  };

  /* ---------- Results to take to a meeting: printing, the graph by heading, priorities (issue 17) ---------- */
  const text = ns.text;
  text.results = {
    printResults: "Print results",
    printPlan: "Print the full action plan",
    printHint:
      "Results: the summary, the chart" +
      " and your priorities, on up to three pages. The full action plan: every topic, with what you wrote.",
    /* The running foot of each printed page: the workbook, and what is printed. */
    foot: (title, what) => title + " · " + what,
    footOf: { results: "results", plan: "action plan", team: "team view" },
    notDated: "No date given",
    noPeople: "Who took part: not recorded",
    people: (people) => "Who took part: " + people,
  };
  text.headingChart = {
    title: "Graph: the percentage for each heading. ",
    legend: "A longer bar is a higher percentage; the same numbers are in the table above.",
    label: (rows) =>
      "Percentage for each heading: " +
      rows.map((row) => row.title + ", " + (row.value === null ? "not answered" : row.value)).join("; "),
    notAnswered: "Not answered",
  };
  Object.assign(text.plan, {
    introPriorities:
      "Choose the topics to work on first: they are your priorities. Until you choose, they are the topics below the level they need, then those with the lowest scores (up to five). For each, the workbook’s questions: your answers are saved as you type.",
    priorities: "Your priorities",
    noPriorities: "No priority yet: score some topics, or tick “Make this a priority” on a topic below.",
    byDefault: "Chosen for you from the scores until you choose your own.",
    chosen: "Chosen by your team.",
    priorityNumber: (number) => (number === 1 ? "Top priority" : "Priority " + number),
    makePriority: "Make this a priority",
    others: (count) => "Other topics (" + count + ")",
    atTop: (count) => "Keep doing this: " + plural(count, "topic", "topics") + " at the top level",
    keepDoing: "Keep doing this",
    written: "Written earlier",
    useDefault: "Choose for us again from the scores",
  });
  text.summary.outOf = (top) => " out of " + top;
  text.files.csvHeadings = text.files.csvHeadings
    .slice(0, 2)
    .concat("Who took part", text.files.csvHeadings.slice(2), "Priority", "Plan (the workbook’s other questions)");
  text.files.csvPriority = "Yes";
  text.problems.assessment.notPriorities = "has priorities that are not a list of topic ids, each once";
})((window.ProgressScoring = window.ProgressScoring || {}));
