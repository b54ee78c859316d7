/* The tick boxes of a page found by score-scan.js (ProgressScoring.scanBoxes), and what the boxes of the pages
 * read say about each topic (ProgressScoring.scan.decide). Load it with score-scan.js.
 *
 * A box is read from a straightened piece of the page around it: the paper's white is the piece's own (so
 * uneven light does not count), the printed border is found where two dark lines a box apart are, up to 3 mm
 * from where the homography puts it (so a page photographed bent does not count the border as ink), and only
 * the ink well inside the border is measured. Its state is "blank", "marked", "faint" (something, but not
 * clearly a mark; or the box itself is unclear: its border not found, or washed out) or "filled" (blacked
 * out). decide() never guesses: a topic gets a level only when it is clearly marked once wherever it was seen.
 */
(function (ns) {
  "use strict";

  const SCALE = 8; // samples per mm of the piece of page around a box
  const MARGIN = 3.5; // mm of page around the box in that piece
  const BORDER = 0.53; // mm: the box's border, 1.5 pt, inside its size
  const REACH = 3; // mm either way of where the homography puts it that the border is looked for...
  const FINE = 0.6; // ...then this far either way of where that found it
  const INSET = 0.6; // mm between the border's inner edge and the ink measured
  const FILLED = 0.85; // ink (of the box's inside, 0 to 1) from which a box is blacked out...
  const EVERYWHERE = 0.6; // ...if every ninth of its inside has this much ink
  const UNCLEAR = 0.8; // ink from which a box not blacked out is too dark to call a mark
  const MARKED = 0.035; // ink from which a box is marked, if the ink spans enough of it...
  const SPAN = 0.45; // ...this much of its inside's side, one way or the other
  const FAINT = 0.008; // ink from which a box is not blank...
  const WEAK = 0.035; // ...or the share of its inside (0.8 mm² of a 7 mm box) with a trace of ink:
  const TRACE = 0.1; // this much darker, on average with its neighbours
  const WASHED = 0.5; // a box's border this much fainter than the page's typical one leaves the box unclear

  /* The value below which `fraction` of the piece's values in the rectangle x0..x1, y0..y1 are, of those at
   * least `floor` (-1, outside the image, left out). */
  function percentile(piece, [x0, y0, x1, y1], fraction, floor) {
    const counts = new Uint32Array(256);
    let total = 0;
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) {
        const value = piece.values[y * piece.w + x];
        if (value < floor) continue;
        counts[Math.round(value)] += 1;
        total += 1;
      }
    let seen = 0;
    for (let value = 0; value < 256; value++) {
      seen += counts[value];
      if (seen > fraction * total) return value;
    }
    return 255;
  }

  /* How much darker than the paper each value of the piece is (0 as white as the paper, 1 black). The paper is
   * the median of the light values in each quarter of the piece (so neither ink nor the bright fringe a phone's
   * sharpening leaves along the border counts), blended between the quarters (so a shadow's edge is not ink). */
  function darkness(piece, white) {
    const { w, h } = piece;
    const [mx, my] = [Math.round(w / 2), Math.round(h / 2)];
    const quarter = (x0, y0, x1, y1) => percentile(piece, [x0, y0, x1, y1], 0.5, 0.6 * white);
    const [a, b] = [quarter(0, 0, mx, my), quarter(mx, 0, w, my)];
    const [c, d] = [quarter(0, my, mx, h), quarter(mx, my, w, h)];
    const dark = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      const fy = Math.min(1, Math.max(0, (y - h / 4) / (h / 2)));
      for (let x = 0; x < w; x++) {
        const fx = Math.min(1, Math.max(0, (x - w / 4) / (w / 2)));
        const paper = (a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy;
        dark[y * w + x] = Math.min(1, Math.max(0, 1 - piece.values[y * w + x] / paper));
      }
    }
    return dark;
  }

  /* The darkness of each row of the piece (each column, if `columns`), averaged across the box from `start`
   * (where its other side begins) over its `n` pixels less `keep` at each end. */
  function profile(dark, w, columns, start, n, keep) {
    const from = start + keep;
    const to = Math.max(from + 2, start + n - keep);
    const out = new Float32Array(w);
    for (let a = 0; a < w; a++) {
      let sum = 0;
      for (let b = from; b < to; b++) sum += columns ? dark[b * w + a] : dark[a * w + b];
      out[a] = sum / (to - from);
    }
    return out;
  }

  /* The mean of `count` values of the profile from `start`. */
  function mean(values, start, count) {
    let sum = 0;
    for (let i = start; i < start + count; i++) sum += values[i];
    return sum / count;
  }

  /* Where the box's border starts along the profile, within `reach` of `home`: the two lines a box apart (`n`
   * pixels, each `b` thick), both dark, nearest `home` on a tie; how dark the lines are; and whether the
   * best place is at the end of the reach (so perhaps beyond it). */
  function edges(values, home, n, b, reach) {
    let best = { at: home, score: -Infinity, strength: 0, edge: false };
    for (let shift = -reach; shift <= reach; shift++) {
      const first = mean(values, home + shift, b);
      const second = mean(values, home + shift + n - b, b);
      const score = Math.min(first, second) - (0.02 * Math.abs(shift)) / reach;
      const edge = Math.abs(shift) === reach;
      if (score > best.score) best = { at: home + shift, score, strength: (first + second) / 2, edge };
    }
    return best;
  }

  /* The box's border in the piece: where it starts along x and y, looked for far and wide across the middle
   * of the box where the homography puts it, then near that across the middle of the box found; how dark the
   * border is; and whether it was found at the end of the reach. */
  function border(dark, w, n, b) {
    const [home, reach, fine] = [Math.round(MARGIN * SCALE), Math.round(REACH * SCALE), Math.round(FINE * SCALE)];
    const keep = b + 2;
    const top = edges(profile(dark, w, false, home, n, keep), home, n, b, reach);
    const left = edges(profile(dark, w, true, home, n, keep), home, n, b, reach);
    const y = edges(profile(dark, w, false, left.at, n, keep + fine), top.at, n, b, fine);
    const x = edges(profile(dark, w, true, top.at, n, keep + fine), left.at, n, b, fine);
    return { x: x.at, y: y.at, strength: (x.strength + y.strength) / 2, edge: top.edge || left.edge };
  }

  /* The mean darkness of a pixel and its eight neighbours: a stroke's, not a speck of noise's. */
  function around(dark, w, at) {
    let sum = 0;
    for (const row of [at - w, at, at + w]) sum += dark[row - 1] + dark[row] + dark[row + 1];
    return sum / 9;
  }

  /* The share of the inside with a trace of ink: darker than TRACE and than a grainy, blocky photo's paper may
   * be (five times the spread of the values about their median, as a standard deviation). */
  function traceOf(smooth) {
    const sorted = smooth.slice().sort();
    const middle = sorted[sorted.length >> 1];
    const deviations = sorted.map((value) => Math.abs(value - middle)).sort();
    const floor = Math.max(TRACE, 7.4 * deviations[deviations.length >> 1]);
    return sorted.filter((value) => value >= floor).length / sorted.length;
  }

  /* The pixels from the 5% to the 95% of the weight along a histogram. */
  function span(weights) {
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    if (!total) return 0;
    let [seen, first, last] = [0, -1, -1];
    weights.forEach((weight, i) => {
      seen += weight;
      if (first < 0 && seen >= 0.05 * total) first = i;
      if (last < 0 && seen >= 0.95 * total) last = i;
    });
    return last - first + 1;
  }

  /* The ink inside the border whose outer corner is at `corner` in the piece: its amount (0 to 1: each pixel
   * counts from faintly to clearly darker than the paper, clearly being about half as dark as the border),
   * the share of the inside with a trace of ink, how far across the inside the ink spans (0 to 1), and the
   * least ink in any ninth of the inside. */
  function measure(dark, w, corner, n, b, strength) {
    const inset = Math.round(INSET * SCALE);
    const [x0, y0] = [corner[0] + b + inset, corner[1] + b + inset];
    const side = n - 2 * (b + inset);
    const strong = Math.min(0.5, Math.max(0.25, 0.55 * strength));
    const weak = Math.max(0.12, strong / 2);
    const part = (d) => Math.min(1, Math.max(0, (d - weak) / (strong - weak)));
    const [columns, rows] = [new Float32Array(side), new Float32Array(side)];
    const smooth = new Float32Array(side * side);
    let ink = 0;
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++) {
        const at = (y0 + y) * w + x0 + x;
        const inked = part(dark[at]);
        ink += inked;
        columns[x] += inked;
        rows[y] += inked;
        smooth[y * side + x] = around(dark, w, at);
      }
    const area = side * side;
    const spread = Math.max(span(columns), span(rows)) / side;
    const trace = traceOf(smooth);
    return { ink: ink / area, trace, span: spread, least: leastInk(dark, w, [x0, y0], side, part) };
  }

  /* The least ink in any ninth of the box's inside (a 3 x 3 grid): a box blacked out is inked all over, while
   * a cross leaves the middles of the sides clear and a blob the corners. */
  function leastInk(dark, w, origin, side, part) {
    const third = side / 3;
    let least = 1;
    for (let row = 0; row < 3; row++)
      for (let col = 0; col < 3; col++) {
        const [x0, x1] = [Math.round(col * third), Math.round((col + 1) * third)];
        const [y0, y1] = [Math.round(row * third), Math.round((row + 1) * third)];
        let sum = 0;
        for (let y = y0; y < y1; y++)
          for (let x = x0; x < x1; x++) sum += part(dark[(origin[1] + y) * w + origin[0] + x]);
        least = Math.min(least, sum / ((x1 - x0) * (y1 - y0)));
      }
    return least;
  }

  /* A box's state from its ink. */
  function stateOf(found) {
    if (found.ink >= FILLED && found.least >= EVERYWHERE) return "filled";
    if (found.ink >= UNCLEAR) return "faint";
    if (found.ink >= MARKED && found.span >= SPAN) return "marked";
    if (found.ink >= FAINT || found.trace >= WEAK) return "faint";
    return "blank";
  }

  /* A box of the map read through `patch(x, y, width, height, scale)` (a straightened piece of the page):
   * { ink, state, border (how dark) }. A box partly outside the image, on paper too dark to tell, or whose
   * border is not within reach, is "faint". */
  function read(patch, box) {
    const piece = patch(box.x - MARGIN, box.y - MARGIN, box.size + 2 * MARGIN, box.size + 2 * MARGIN, SCALE);
    const white = percentile(piece, [0, 0, piece.w, piece.h], 0.75, 0);
    if (piece.outside > 0 || white < 24) return { ink: 0, state: "faint", border: 0 };
    const dark = darkness(piece, white);
    const n = Math.round(box.size * SCALE);
    const b = Math.max(2, Math.round(BORDER * SCALE));
    const frame = border(dark, piece.w, n, b);
    const found = measure(dark, piece.w, [frame.x, frame.y], n, b, frame.strength);
    const state = frame.edge ? "faint" : stateOf(found);
    return { ink: Math.round(found.ink * 1000) / 1000, state, border: frame.strength };
  }

  /* The boxes of a page read through `patch`: [{ ink, state }]. A box whose border is much fainter than the
   * page's others (glare, a shadow, a finger) is "faint": what is in it may be washed out too. */
  function readAll(patch, boxes) {
    const found = boxes.map((box) => read(patch, box));
    const borders = found.map((box) => box.border).sort((a, b) => a - b);
    const typical = borders[Math.floor(borders.length / 2)];
    return found.map((box) => ({ ink: box.ink, state: box.border < WASHED * typical ? "faint" : box.state }));
  }

  /* ---------- Decisions ---------- */

  /* What one reading says of each of its topics: { topic: { marked: [levels], filled, faint } }. */
  function sightings(reading) {
    const seen = new Map();
    reading.boxes.forEach((box) => {
      if (!seen.has(box.topic)) seen.set(box.topic, { marked: [], filled: false, faint: false });
      const sight = seen.get(box.topic);
      if (box.state === "marked") sight.marked.push(box.level);
      if (box.state === "filled") sight.filled = true;
      if (box.state === "faint") sight.faint = true;
    });
    return seen;
  }

  /* A topic's level and reason from everywhere it was seen. */
  function verdict(sights) {
    if (sights.some((sight) => sight.filled)) return { level: null, reason: "crossed" };
    if (sights.some((sight) => sight.marked.length > 1)) return { level: null, reason: "two" };
    if (sights.some((sight) => sight.faint)) return { level: null, reason: "faint" };
    const levels = new Set(sights.filter((sight) => sight.marked.length === 1).map((sight) => sight.marked[0]));
    if (levels.size > 1) return { level: null, reason: "disagree" };
    if (levels.size === 1) return { level: levels.values().next().value, reason: "read" };
    return { level: null, reason: "blank" };
  }

  /* The pages with boxes of the booklet being read (printed, unless every page read is only in the fillable
   * one) that are not among the readings. */
  function missing(readings, map) {
    const entries = readings.map((reading) =>
      map.pages.find((p) => p.page === reading.page && p.hash === reading.hash),
    );
    const fillable = entries.length > 0 && entries.every((entry) => entry && entry.in.indexOf("printed") === -1);
    const booklet = fillable ? "fillable" : "printed";
    const read = new Set(readings.map((reading) => reading.page));
    const pages = map.pages.filter((p) => p.in.indexOf(booklet) !== -1 && p.boxes.length && !read.has(p.page));
    return Array.from(new Set(pages.map((p) => p.page))).sort((a, b) => a - b);
  }

  /* The topics of the pages read, each with a level (only when "read") and a reason, and the pages missing. */
  function decide(readings, map) {
    const byTopic = new Map();
    readings.forEach((reading) => {
      sightings(reading).forEach((sight, topic) => {
        if (!byTopic.has(topic)) byTopic.set(topic, []);
        byTopic.get(topic).push(sight);
      });
    });
    const topics = {};
    byTopic.forEach((sights, topic) => {
      topics[topic] = verdict(sights);
    });
    return { topics, missing: missing(readings, map) };
  }

  ns.scanBoxes = { read: readAll, decide };
})((window.ProgressScoring = window.ProgressScoring || {}));
