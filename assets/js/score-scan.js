/* Reading a photo or scan of a ticked booklet page (ProgressScoring.scan): the page's four finder marks, its
 * page code and, through score-scan-boxes.js, its tick boxes. The contract is docs/paper-reading.md: marks,
 * code strip and boxes in millimetres on the A4 trim, the box map (`map`) listing every page that has boxes.
 *
 * readPage(image, map) takes an ImageBitmap, image, canvas or ImageData, finds the marks in a small copy of
 * it (adaptive threshold, connected components, a ring with a square centred in it), tries each way four of
 * them can be the page's corners until the code's check holds, and returns { ok: true, page, hash, boxes,
 * crop(rect) } or { ok: false, reason: "noMarks" | "noCode" | "otherWorkbook" | "otherEdition", page? }.
 * Each box is { topic, level, ink (0 to 1), state: "blank" | "marked" | "faint" | "filled" }; crop({ x, y,
 * width, height }, mm) is a canvas of that part of the page, straightened, at 8 pixels per mm, drawn from the
 * image given (so call it before closing an ImageBitmap). decide(readings, map) (score-scan-boxes.js, which
 * must be loaded too) turns the readings into a level or a reason per topic. Everything is synchronous.
 */
(function (ns) {
  "use strict";

  const SMALL = 1600; // the longest side, in pixels, of the copy the marks are looked for in (at most)
  const RING = 6.17; // the variance of a finder's ring (mm², 7 mm outside, 5 mm inside) along any axis
  const CROP = 8; // pixels per mm of a crop
  const TILE = 12; // mm: a crop is drawn in tiles this big, each straightened by its own affine map

  /* ---------- Pixels ---------- */

  /* The image's pixels at full size, as ImageData. */
  function pixelsOf(image) {
    if (typeof ImageData !== "undefined" && image instanceof ImageData) return image;
    const width = image.naturalWidth || image.videoWidth || image.width;
    const height = image.naturalHeight || image.videoHeight || image.height;
    if (!width || !height) return { width: 0, height: 0, data: new Uint8ClampedArray(0) };
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(image, 0, 0);
    return context.getImageData(0, 0, width, height);
  }

  /* A function giving the brightness at (x, y), between pixels by bilinear interpolation: min(R, G, B), so
   * ink of any colour is dark; -1 outside the image. */
  function sampler(pixels) {
    const { width, height, data } = pixels;
    const min = (i) => Math.min(data[i], data[i + 1], data[i + 2]);
    return function (x, y) {
      if (!(x >= 0 && y >= 0 && x <= width - 1 && y <= height - 1)) return -1;
      const x0 = Math.min(Math.floor(x), width - 2);
      const y0 = Math.min(Math.floor(y), height - 2);
      const fx = x - x0;
      const fy = y - y0;
      const i = (y0 * width + x0) * 4;
      const j = i + width * 4;
      const top = min(i) + (min(i + 4) - min(i)) * fx;
      const bottom = min(j) + (min(j + 4) - min(j)) * fx;
      return top + (bottom - top) * fy;
    };
  }

  /* The image made `factor` times smaller, each pixel the mean brightness (min(R, G, B)) of its block: of
   * every pixel of it, or of four spread across it when the block is bigger than 2 x 2. */
  function shrink(pixels, factor) {
    const { width, data } = pixels;
    const w = Math.floor(pixels.width / factor);
    const h = Math.floor(pixels.height / factor);
    const near = Math.floor((factor - 1) / 4);
    const taps = factor <= 2 ? Array.from({ length: factor }, (_, i) => i) : [near, factor - 1 - near];
    const offsets = [];
    taps.forEach((dy) => taps.forEach((dx) => offsets.push((dy * width + dx) * 4)));
    const gray = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const start = (y * width + x) * factor * 4;
        let sum = 0;
        for (let k = 0; k < offsets.length; k++) {
          const i = start + offsets[k];
          const r = data[i];
          const g = data[i + 1];
          const b = data[i + 2];
          sum += r < g ? (r < b ? r : b) : g < b ? g : b;
        }
        gray[y * w + x] = sum / offsets.length;
      }
    return { gray, w, h, factor };
  }

  /* The dark pixels: darker by a fraction `k` than the mean of the square around them (`radius` pixels
   * either way), from an integral image. The image's outermost pixels are left light. */
  function threshold(small, radius, k) {
    const { gray, w, h } = small;
    const sums = new Float64Array((w + 1) * (h + 1));
    for (let y = 0; y < h; y++) {
      let run = 0;
      for (let x = 0; x < w; x++) {
        run += gray[y * w + x];
        sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1] + run;
      }
    }
    const mask = new Uint8Array(w * h);
    for (let y = 1; y < h - 1; y++) {
      const y0 = Math.max(0, y - radius);
      const y1 = Math.min(h, y + radius + 1);
      for (let x = 1; x < w - 1; x++) {
        const x0 = Math.max(0, x - radius);
        const x1 = Math.min(w, x + radius + 1);
        const sum =
          sums[y1 * (w + 1) + x1] - sums[y0 * (w + 1) + x1] - sums[y1 * (w + 1) + x0] + sums[y0 * (w + 1) + x0];
        const mean = sum / ((x1 - x0) * (y1 - y0));
        const value = gray[y * w + x];
        mask[y * w + x] = value < mean * (1 - k) && value < mean - 12 ? 1 : 0;
      }
    }
    return mask;
  }

  /* ---------- Finder marks ---------- */

  /* The 8-connected components of the mask: a label per pixel (0: light) and, per label, the count, the sums
   * of x, y, x², y² and xy, and the bounds. */
  function components(mask, w, h) {
    const labels = new Int32Array(w * h);
    const stack = new Int32Array(w * h);
    const parts = [null];
    const steps = [-w - 1, -w, -w + 1, -1, 1, w - 1, w, w + 1];
    for (let start = 0; start < w * h; start++) {
      if (!mask[start] || labels[start]) continue;
      const id = parts.length;
      const part = { count: 0, sx: 0, sy: 0, sxx: 0, syy: 0, sxy: 0, x0: w, x1: 0, y0: h, y1: 0 };
      let top = 0;
      stack[top++] = start;
      labels[start] = id;
      while (top > 0) {
        const at = stack[--top];
        const x = at % w;
        const y = (at - x) / w;
        part.count += 1;
        part.sx += x;
        part.sy += y;
        part.sxx += x * x;
        part.syy += y * y;
        part.sxy += x * y;
        if (x < part.x0) part.x0 = x;
        if (x > part.x1) part.x1 = x;
        if (y < part.y0) part.y0 = y;
        if (y > part.y1) part.y1 = y;
        for (let s = 0; s < 8; s++) {
          const next = at + steps[s];
          if (mask[next] && !labels[next]) {
            labels[next] = id;
            stack[top++] = next;
          }
        }
      }
      parts.push(part);
    }
    return { labels, parts };
  }

  /* A component's centre and spread: the square root of its covariance's determinant (the variance along any
   * axis, for a shape as round as a square), and how much longer it is one way than the other. */
  function moments(part) {
    const x = part.sx / part.count;
    const y = part.sy / part.count;
    const xx = part.sxx / part.count - x * x + 1 / 12;
    const yy = part.syy / part.count - y * y + 1 / 12;
    const xy = part.sxy / part.count - x * y;
    const det = Math.max(xx * yy - xy * xy, 1e-9);
    const half = (xx + yy) / 2;
    const root = Math.sqrt(Math.max(half * half - det, 0));
    return { x, y, spread: Math.sqrt(det), stretch: (half + root) / Math.max(half - root, 1e-9) };
  }

  /* How far a finder candidate is from the ideal mark (0: exactly it), or Infinity if it is not one: a ring
   * of the right thickness, its centre square a third of its size and at its middle. */
  function unlikeness(ring, centre, r, c) {
    const thickness = ring.count / r.spread; // 24 mm² / 6.17 mm² for the ideal ring
    const area = centre.count / ring.count; // 9 / 24
    const size = c.spread / r.spread; // (9 / 12) / 6.17
    const offset = Math.hypot(c.x - r.x, c.y - r.y) / Math.sqrt(r.spread);
    const terms = [
      Math.abs(Math.log(thickness / 3.89)),
      Math.abs(Math.log(area / 0.375)),
      Math.abs(Math.log(size / 0.1216)) / 2,
      Math.log(r.stretch) / 2,
      offset * 2,
    ];
    return terms.every((term) => term < 1.2) ? terms.reduce((a, b) => a + b, 0) : Infinity;
  }

  /* The finder marks among the components, as { x, y (the centre, in the full image's pixels), size (the
   * side, in the full image's pixels), score (0: ideal) }: a ring whose middle pixel is another component
   * lying inside it. */
  function finders(small, labels, parts) {
    const { w, h, factor } = small;
    const found = [];
    for (let id = 1; id < parts.length; id++) {
      const ring = parts[id];
      const width = ring.x1 - ring.x0 + 1;
      const height = ring.y1 - ring.y0 + 1;
      if (ring.count < 12 || width < 5 || height < 5 || width > w / 4 || height > h / 4) continue;
      const r = moments(ring);
      const inner = labels[Math.round(r.y) * w + Math.round(r.x)];
      if (inner === 0 || inner === id) continue;
      const centre = parts[inner];
      if (centre.x0 <= ring.x0 || centre.x1 >= ring.x1 || centre.y0 <= ring.y0 || centre.y1 >= ring.y1) continue;
      const c = moments(centre);
      const score = unlikeness(ring, centre, r, c);
      if (score === Infinity) continue;
      const count = ring.count + centre.count;
      const x = (ring.sx + centre.sx) / count;
      const y = (ring.sy + centre.sy) / count;
      const size = 7 * Math.sqrt(r.spread / RING) * factor;
      found.push({ x: (x + 0.5) * factor - 0.5, y: (y + 0.5) * factor - 0.5, size, score });
    }
    return found.sort((a, b) => a.score - b.score);
  }

  /* Whether the four points, in order, make a convex quadrilateral. */
  function convex(points) {
    let sign = 0;
    for (let i = 0; i < 4; i++) {
      const [a, b, c] = [points[i], points[(i + 1) % 4], points[(i + 2) % 4]];
      const cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
      if (cross === 0 || (sign !== 0 && Math.sign(cross) !== sign)) return false;
      sign = Math.sign(cross);
    }
    return sign > 0;
  }

  /* The four marks in clockwise order (as seen, y downwards), if they could be a page's corners: a convex
   * quadrilateral whose marks are alike in size and whose sides are 12 to 90 marks long (27 and 39 on the page). */
  function corners(four) {
    const mx = four.reduce((sum, mark) => sum + mark.x, 0) / 4;
    const my = four.reduce((sum, mark) => sum + mark.y, 0) / 4;
    const points = four.slice().sort((a, b) => Math.atan2(a.y - my, a.x - mx) - Math.atan2(b.y - my, b.x - mx));
    if (!convex(points)) return null;
    const sizes = points.map((mark) => mark.size);
    if (Math.max(...sizes) > 2.5 * Math.min(...sizes)) return null;
    for (let i = 0; i < 4; i++) {
      const [a, b] = [points[i], points[(i + 1) % 4]];
      const sides = Math.hypot(b.x - a.x, b.y - a.y) / ((a.size + b.size) / 2);
      if (sides < 12 || sides > 90) return null;
    }
    return points;
  }

  /* The ways four of the best ten marks could be the page's corners, the likeliest first. */
  function quads(marks) {
    const best = marks.slice(0, 10);
    const found = [];
    for (let a = 0; a < best.length; a++)
      for (let b = a + 1; b < best.length; b++)
        for (let c = b + 1; c < best.length; c++)
          for (let d = c + 1; d < best.length; d++) {
            const points = corners([best[a], best[b], best[c], best[d]]);
            if (points) found.push({ points, score: points.reduce((sum, mark) => sum + mark.score, 0) });
          }
    return found.sort((x, y) => x.score - y.score);
  }

  /* ---------- Geometry ---------- */

  /* The solution of the linear system a·x = b (Gaussian elimination, partial pivoting), or null. */
  function solve(a, b) {
    const n = b.length;
    const m = a.map((row, i) => row.concat([b[i]]));
    for (let col = 0; col < n; col++) {
      let pivot = col;
      for (let row = col + 1; row < n; row++) if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) pivot = row;
      if (Math.abs(m[pivot][col]) < 1e-12) return null;
      [m[col], m[pivot]] = [m[pivot], m[col]];
      for (let row = 0; row < n; row++) {
        if (row === col) continue;
        const f = m[row][col] / m[col][col];
        for (let k = col; k <= n; k++) m[row][k] -= f * m[col][k];
      }
    }
    return m.map((row, i) => row[n] / row[i]);
  }

  /* The homography (9 numbers, row by row) taking each of the four points `from` to its point in `to`. */
  function homography(from, to) {
    const a = [];
    const b = [];
    from.forEach(([x, y], i) => {
      const [u, v] = to[i];
      a.push([x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]);
      b.push(u, v);
    });
    const h = solve(a, b);
    return h ? h.concat([1]) : null;
  }

  /* Where the homography takes the point (x, y). */
  function project(h, x, y) {
    const w = h[6] * x + h[7] * y + h[8];
    return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
  }

  /* A straightened piece of the page: the brightness `scale` times per mm over the rectangle x, y, width,
   * height (mm on the page), as { values (-1 outside the image), w, h, outside (how many) }. */
  function straighten(sample, h, x, y, width, height, scale) {
    const w = Math.round(width * scale);
    const rows = Math.round(height * scale);
    const values = new Float32Array(w * rows);
    let outside = 0;
    for (let j = 0; j < rows; j++) {
      const v = y + (j + 0.5) / scale;
      for (let i = 0; i < w; i++) {
        const u = x + (i + 0.5) / scale;
        const d = h[6] * u + h[7] * v + h[8];
        const value = sample((h[0] * u + h[1] * v + h[2]) / d, (h[3] * u + h[4] * v + h[5]) / d);
        values[j * w + i] = value;
        if (value < 0) outside += 1;
      }
    }
    return { values, w, h: rows, outside };
  }

  /* ---------- Page code ---------- */

  /* CRC-16/CCITT-FALSE of the bytes: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR. */
  function crc16(bytes) {
    let crc = 0xffff;
    bytes.forEach((byte) => {
      crc ^= byte << 8;
      for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    });
    return crc;
  }

  /* The mean brightness of a few points around (x, y) mm, seen through the homography (-1 if any is outside). */
  function spot(sample, h, x, y, rx, ry) {
    let sum = 0;
    for (const dx of [-rx, 0, rx])
      for (const dy of [-ry, 0, ry]) {
        const value = sample(...project(h, x + dx, y + dy));
        if (value < 0) return -1;
        sum += value;
      }
    return sum / 9;
  }

  /* The strip's cells as bits: each cell's brightness against the paper beside it, split where the sorted
   * ratios jump most; null if part is outside the image or dark and light cells are not clearly apart. */
  function readBits(sample, h, strip) {
    const ratios = [];
    const x = strip.x + strip.width / 2;
    for (let n = 0; n < strip.bits; n++) {
      const y = strip.y + (n + 0.5) * strip.cell;
      const cell = spot(sample, h, x, y, strip.width / 4, strip.cell / 4);
      const paper = Math.max(
        spot(sample, h, strip.x - 2, y, 0.5, 1),
        spot(sample, h, strip.x + strip.width + 2, y, 0.5, 1),
      );
      if (cell < 0 || paper <= 0) return null;
      ratios.push(cell / paper);
    }
    const sorted = ratios.slice().sort((a, b) => a - b);
    let split = 1;
    for (let i = 2; i < sorted.length; i++)
      if (sorted[i] - sorted[i - 1] > sorted[split] - sorted[split - 1]) split = i;
    const [dark, light] = [sorted[split - 1], sorted[split]];
    if (light - dark < 0.2 || dark > 0.7 || light < 0.6) return null;
    return ratios.map((ratio) => (ratio < (dark + light) / 2 ? 1 : 0));
  }

  /* The page code read through the homography: its six bytes, or null if its check does not hold. */
  function readCode(sample, h, strip) {
    const bits = readBits(sample, h, strip);
    if (!bits) return null;
    const bytes = [];
    for (let i = 0; i < bits.length; i += 8)
      bytes.push(bits.slice(i, i + 8).reduce((byte, bit) => (byte << 1) | bit, 0));
    return bytes.length === 6 && crc16(bytes.slice(0, 4)) === bytes[4] * 256 + bytes[5] ? bytes : null;
  }

  /* ---------- The page ---------- */

  /* How to look for the marks: the small copy's scale and the threshold's, the likeliest first. */
  function attempts(pixels) {
    const factor = Math.max(1, Math.ceil(Math.max(pixels.width, pixels.height) / SMALL));
    const tries = [
      { factor, k: 0.2 },
      { factor, k: 0.35 },
    ];
    if (factor > 1) tries.push({ factor: Math.max(1, Math.round(factor / 2)), k: 0.2 });
    return tries;
  }

  /* The page in the image: { h (page mm to image pixels), bytes } for the first way of matching marks to
   * corners whose code's check holds and names this workbook, else { reason }. */
  function locate(pixels, sample, map) {
    const page = [map.finders[0], map.finders[1], map.finders[3], map.finders[2]]; // clockwise
    let seen = false;
    let other = null;
    let small = null;
    for (const attempt of attempts(pixels)) {
      if (!small || small.factor !== attempt.factor) small = shrink(pixels, attempt.factor);
      const radius = Math.max(8, Math.round(Math.max(small.w, small.h) / 40));
      const { labels, parts } = components(threshold(small, radius, attempt.k), small.w, small.h);
      for (const quad of quads(finders(small, labels, parts))) {
        seen = true;
        for (let turn = 0; turn < 4; turn++) {
          const to = page.map((_, i) => quad.points[(i + turn) % 4]).map((mark) => [mark.x, mark.y]);
          const h = homography(page, to);
          const bytes = h && readCode(sample, h, map.strip);
          if (bytes && bytes[0] === map.code) return { h, bytes };
          if (bytes && !other) other = { h, bytes };
        }
      }
      if (other) break; // another workbook's page, clearly
    }
    return { reason: other ? "otherWorkbook" : seen ? "noCode" : "noMarks" };
  }

  /* A function drawing a rectangle of the page ({ x, y, width, height }, mm) straightened into a new canvas at
   * CROP pixels per mm: tile by tile, each tile drawn from the image through the affine map its corners give. */
  function cropper(image, h) {
    let source = image;
    return function (rect) {
      if (typeof ImageData !== "undefined" && source instanceof ImageData) {
        const canvas = document.createElement("canvas");
        canvas.width = source.width;
        canvas.height = source.height;
        canvas.getContext("2d").putImageData(source, 0, 0);
        source = canvas;
      }
      const canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(rect.width * CROP));
      canvas.height = Math.max(1, Math.round(rect.height * CROP));
      const context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      for (let ty = 0; ty < rect.height; ty += TILE)
        for (let tx = 0; tx < rect.width; tx += TILE) {
          const [tw, th] = [Math.min(TILE, rect.width - tx), Math.min(TILE, rect.height - ty)];
          drawTile(
            context,
            source,
            h,
            [rect.x + tx, rect.y + ty, tw, th],
            [tx * CROP, ty * CROP, tw * CROP, th * CROP],
          );
        }
      return canvas;
    };
  }

  /* One tile of a crop: the page's rectangle `from` (mm) into the canvas's rectangle `to` (pixels). */
  function drawTile(context, source, h, from, to) {
    const [x, y, width, height] = from;
    const [o, e, s] = [project(h, x, y), project(h, x + width, y), project(h, x, y + height)];
    // The map from the canvas to the image: o + (c - to.x) / to.w * (e - o) + (r - to.y) / to.h * (s - o).
    const a = (e[0] - o[0]) / to[2];
    const b = (e[1] - o[1]) / to[2];
    const c = (s[0] - o[0]) / to[3];
    const d = (s[1] - o[1]) / to[3];
    const det = a * d - b * c;
    if (!det) return;
    const [ia, ib, ic, id] = [d / det, -b / det, -c / det, a / det];
    const ox = o[0] - a * to[0] - c * to[1];
    const oy = o[1] - b * to[0] - d * to[1];
    context.save();
    context.beginPath();
    context.rect(to[0] - 0.5, to[1] - 0.5, to[2] + 1, to[3] + 1);
    context.clip();
    context.setTransform(ia, ib, ic, id, -(ia * ox + ic * oy), -(ib * ox + id * oy));
    context.drawImage(source, 0, 0);
    context.restore();
  }

  /* The reading of a page: see the top of this file. */
  function readPage(image, map) {
    const pixels = pixelsOf(image);
    if (pixels.width < 64 || pixels.height < 64) return { ok: false, reason: "noMarks" };
    const sample = sampler(pixels);
    const found = locate(pixels, sample, map);
    if (!found.h) return { ok: false, reason: found.reason };
    const [page, hash] = [found.bytes[1], found.bytes[2] * 256 + found.bytes[3]];
    const entry = map.pages.find((candidate) => candidate.page === page && candidate.hash === hash);
    if (!entry) return { ok: false, reason: "otherEdition", page };
    const patch = (x, y, width, height, scale) => straighten(sample, found.h, x, y, width, height, scale);
    const read = ns.scanBoxes.read(patch, entry.boxes);
    const boxes = entry.boxes.map((box, i) => ({ topic: box.topic, level: box.level, ...read[i] }));
    return { ok: true, page, hash, boxes, crop: cropper(image, found.h) };
  }

  ns.scan = {
    readPage,
    decide: (readings, map) => ns.scanBoxes.decide(readings, map),
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
