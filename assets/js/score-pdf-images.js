/* The page images of a scanner's PDF (ProgressScoring.pdf.readImages), read in the browser from the file's bytes
 * with score-pdf.js's parser (its `internal` parts: load score-pdf.js first); nothing is sent anywhere. Loaded
 * only when a ticked booklet is read.
 *
 * For each page, in the order of the page tree (/Pages /Kids, /Resources inherited), the largest image (in
 * pixels) among the image XObjects that the page's content draws with "Do", and those that the form XObjects it
 * draws draw (one level down); every image its resources list when its content cannot be read. As a Blob that
 * the browser decodes:
 * - DCTDecode (after any of the filters below): the JPEG itself, "image/jpeg". /Decode [1 0 ...] on a grey or
 *   RGB one is undone through a canvas (a PNG then); a CMYK JPEG is passed as it is (browsers undo Adobe's
 *   inverted CMYK, which is what /Decode [1 0 1 0 1 0 1 0] is usually there for).
 * - Samples (FlateDecode, LZWDecode, RunLengthDecode, ASCIIHexDecode, ASCII85Decode; PNG predictors 10 to 15,
 *   TIFF predictor 2 at 8 or 16 bits): a PNG written here. DeviceGray, CalGray, DeviceRGB, CalRGB, DeviceCMYK
 *   (made RGB naively), ICCBased by its /N (the profile is not applied), Indexed over any of them; 1, 2, 4, 8 or
 *   16 bits; an /ImageMask as black on white; /Decode [1 0 ...] inverts (any other /Decode is ignored).
 * - CCITTFaxDecode, JBIG2Decode, JPXDecode: no browser decodes them, so the page's problem says which.
 * Not read: inline images (BI ... ID ... EI), soft masks, and where the image is drawn (rotated, flipped, cut).
 *
 * readImages(bytes) resolves to [{ page, blob } or { page, problem }], pages counted from 1; a problem is
 * "ccitt", "jbig2", "jpx", "unsupported" (another filter or colour space), "tooLarge" (over the limits below),
 * "damaged" (this page's image) or "noImage" (the page draws none). It rejects with score-pdf.js's PdfProblem,
 * `reason` "notPdf", "damaged", "encrypted", or "noImages" when no page has an image.
 */
(function (ns) {
  "use strict";

  const core = ns.pdf && ns.pdf.internal;
  if (!core) return; // score-pdf.js is not loaded: readImages stays undefined
  const { open, unpredict, Parser, Name, Bytes, Ref, Stream, PdfProblem, isDict, typeOf } = core;

  const MAX_DEPTH = 64; // levels of the page tree
  const MAX_PAGES = 10000;
  const MAX_DRAWN = 10000; // images and forms looked at on one page
  const MAX_PIXELS = 60 * 1000 * 1000; // an image decoded here (A4 at 600 dpi is 35 million)
  const MAX_SAMPLES = 256 * 1024 * 1024; // its samples' bytes (A4 at 600 dpi in 8-bit RGB is 105 MB)
  const MAX_STREAM = 256 * 1024 * 1024; // what one filter of a JPEG's stream may decode to
  const MAX_CONTENT = 16 * 1024 * 1024; // a page's or form's drawing instructions, decoded
  const MAX_TOTAL = 1024 * 1024 * 1024; // what all the filters of the file may decode to, together; and again,
  // what all its images decoded here may hold (so that a file's work is bounded by these and its size)
  const ALIASES = {
    Fl: "FlateDecode",
    LZW: "LZWDecode",
    RL: "RunLengthDecode",
    AHx: "ASCIIHexDecode",
    A85: "ASCII85Decode",
    DCT: "DCTDecode",
    CCF: "CCITTFaxDecode",
  };
  const UNREADABLE = { CCITTFaxDecode: "ccitt", JBIG2Decode: "jbig2", JPXDecode: "jpx" };
  const PROBLEMS = new Set(["ccitt", "jbig2", "jpx", "unsupported", "tooLarge", "damaged"]);
  const GRAY = { kind: "gray", colors: 1 };
  const RGB = { kind: "rgb", colors: 3 };
  const CMYK = { kind: "cmyk", colors: 4 };
  const PNG_SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);
  const CRC_TABLE = crcTable();

  /* A page's problem (or the file's, by the same class score-pdf.js rejects with). */
  function problem(reason) {
    return new PdfProblem(reason);
  }

  /* ---------- Filters ---------- */

  /* Chunks joined into one array of `size` bytes (the chunks may hold more). */
  function join(chunks, size) {
    const out = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      if (at >= size) break;
      const part = chunk.subarray(0, size - at);
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /* Inflate zlib data up to `limit` bytes; what came before damage (a bad checksum, a cut) is kept. */
  async function inflate(data, limit) {
    const reader = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate")).getReader();
    const chunks = [];
    let size = 0;
    try {
      while (size < limit) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        size += value.length;
      }
    } catch {
      /* damage: what came before it is kept */
    }
    reader.cancel().catch(() => {});
    return join(chunks, Math.min(size, limit));
  }

  /* Undo LZW as TIFF and PDF write it (codes of 9 to 12 bits, 256 to clear, 257 to end), up to `limit` bytes. */
  function lzw(data, early, limit) {
    const prefix = new Int32Array(4096).fill(-1);
    const suffix = new Uint8Array(4096);
    const first = new Uint8Array(4096);
    const length = new Int32Array(4096);
    for (let code = 0; code < 256; code += 1) [suffix[code], first[code], length[code]] = [code, code, 1];
    let out = new Uint8Array(Math.min(limit, 65536) + 4097);
    let [size, next, width, previous, buffer, bits, index] = [0, 258, 9, -1, 0, 0, 0];
    while (size < limit) {
      while (bits < width && index < data.length) {
        buffer = ((buffer << 8) | data[index++]) & 0xffffff;
        bits += 8;
      }
      if (bits < width) break;
      bits -= width;
      const code = (buffer >>> bits) & ((1 << width) - 1);
      if (code === 256) {
        [next, width, previous] = [258, 9, -1];
        continue;
      }
      if (code === 257) break;
      if (code > next || (code === next && previous < 0)) throw problem("damaged"); // after a clear, a byte comes
      if (previous >= 0 && next < 4096) {
        [prefix[next], suffix[next]] = [previous, first[code === next ? previous : code]];
        [first[next], length[next]] = [first[previous], length[previous] + 1];
        next += 1;
        if (next + early >= 1 << width && width < 12) width += 1;
      }
      if (size + length[code] > out.length) {
        const grown = new Uint8Array(Math.min(limit + 4097, Math.max(out.length * 2, size + length[code])));
        grown.set(out.subarray(0, size));
        out = grown;
      }
      for (let at = size + length[code] - 1, entry = code; entry >= 0; at -= 1, entry = prefix[entry]) {
        out[at] = suffix[entry];
      }
      size += length[code];
      previous = code;
    }
    return out.subarray(0, Math.min(size, limit));
  }

  /* Undo RunLengthDecode (PackBits), up to `limit` bytes. */
  function runLength(data, limit) {
    let size = 0;
    for (let index = 0; index < data.length && data[index] !== 128 && size < limit;) {
      const count = data[index];
      size += count < 128 ? count + 1 : 257 - count;
      index += count < 128 ? count + 2 : 2;
    }
    const out = new Uint8Array(Math.min(size, limit));
    let at = 0;
    for (let index = 0; index < data.length && data[index] !== 128 && at < out.length;) {
      const count = data[index];
      if (count < 128) {
        const part = data.subarray(index + 1, index + 2 + count).subarray(0, out.length - at);
        out.set(part, at);
        at += part.length;
        index += count + 2;
      } else {
        const end = Math.min(out.length, at + 257 - count);
        out.fill(data[index + 1] || 0, at, end);
        at = end;
        index += 2;
      }
    }
    return out.subarray(0, at);
  }

  /* Undo ASCIIHexDecode: hex digits up to ">", white space between them. */
  function asciiHex(data) {
    const out = new Uint8Array((data.length + 1) >> 1);
    let [size, high] = [0, -1];
    for (let index = 0; index < data.length && data[index] !== 62; index += 1) {
      const digit = parseInt(String.fromCharCode(data[index]), 16);
      if (Number.isNaN(digit)) {
        if ([0, 9, 10, 12, 13, 32].includes(data[index])) continue;
        throw problem("damaged");
      }
      if (high < 0) high = digit;
      else [out[size++], high] = [high * 16 + digit, -1];
    }
    if (high >= 0) out[size++] = high * 16;
    return out.subarray(0, size);
  }

  /* Undo ASCII85Decode: groups of five characters "!" to "u" for four bytes, "z" for four zeros, up to "~>". */
  function ascii85(data) {
    const out = new Uint8Array(data.length * 4 + 4);
    const group = [];
    let size = 0;
    const flush = (count) => {
      while (group.length < 5) group.push(84);
      const value = group.reduce((total, digit) => total * 85 + digit, 0);
      if (value > 0xffffffff) throw problem("damaged");
      for (let byte = 0; byte < count; byte += 1) out[size++] = Math.floor(value / 256 ** (3 - byte)) & 0xff;
      group.length = 0;
    };
    for (let index = 0; index < data.length && data[index] !== 126; index += 1) {
      const byte = data[index];
      if (byte === 122 && !group.length) size += 4;
      else if (byte >= 33 && byte <= 117) {
        group.push(byte - 33);
        if (group.length === 5) flush(4);
      } else if (![0, 9, 10, 12, 13, 32].includes(byte)) throw problem("damaged");
    }
    if (group.length === 1) throw problem("damaged");
    if (group.length) flush(group.length - 1);
    return out.subarray(0, size);
  }

  /* Undo TIFF predictor 2 (each sample less the one to its left) at 8 or 16 bits, in place. */
  function untiff(data, parms) {
    const bits = parms.BitsPerComponent;
    if (bits !== 8 && bits !== 16) throw problem("unsupported");
    const step = (parms.Colors * bits) / 8;
    const width = parms.Columns * step;
    for (let row = 0; row + width <= data.length; row += width) {
      for (let at = row + step; at < row + width; at += bits / 8) {
        if (bits === 8) {
          data[at] = (data[at] + data[at - step]) & 0xff;
        } else {
          const value = (((data[at] + data[at - step]) << 8) + data[at + 1] + data[at + 1 - step]) & 0xffff;
          [data[at], data[at + 1]] = [value >> 8, value & 0xff];
        }
      }
    }
    return data;
  }

  /* Undo the predictor that /DecodeParms gives FlateDecode or LZWDecode: PNG's (10 to 15) or TIFF's (2). */
  function predicted(data, parms, resolve) {
    const predictor = parms ? resolve(parms.Predictor) : 1;
    if (predictor === undefined || predictor === null || predictor === 1) return data;
    const plain = {
      Colors: parms.Colors === undefined ? 1 : resolve(parms.Colors),
      BitsPerComponent: parms.BitsPerComponent === undefined ? 8 : resolve(parms.BitsPerComponent),
      Columns: parms.Columns === undefined ? 1 : resolve(parms.Columns),
    };
    const fine = [1, 2, 4, 8, 16].includes(plain.BitsPerComponent) && plain.Colors >= 1 && plain.Colors <= 32;
    if (!fine || !Number.isInteger(plain.Colors) || !Number.isInteger(plain.Columns) || plain.Columns < 1) {
      throw problem("damaged");
    }
    if (predictor >= 10 && predictor <= 15) return unpredict(data, plain);
    if (predictor === 2) return untiff(data, plain);
    throw problem("unsupported");
  }

  /* A stream's filters (full names) and their parameters (a dictionary, or null), references followed. */
  function filtersOf(dict, resolve) {
    const list = (value) => {
      const item = resolve(value);
      return item === undefined || item === null ? [] : Array.isArray(item) ? item : [item];
    };
    const filters = list(dict.Filter).map((item) => {
      const name = resolve(item);
      return name instanceof Name ? ALIASES[name.value] || name.value : "";
    });
    const parms = list(dict.DecodeParms).map((item) => (isDict(resolve(item)) ? resolve(item) : null));
    return { filters, parms };
  }

  /* A stream's data through its filters, up to an image filter (which must be the last): { data, filter (that
   * filter, or "") }. Each filter's output is cut at `limit` bytes and taken from `budget.left`. */
  async function unfilter(stream, resolve, limit, budget) {
    const { filters, parms } = filtersOf(stream.dict, resolve);
    let data = stream.data;
    for (let index = 0; index < filters.length; index += 1) {
      const [filter, parm] = [filters[index], parms[index] || null];
      if (filter === "DCTDecode" || UNREADABLE[filter]) {
        if (index !== filters.length - 1) throw problem("unsupported");
        return { data, filter };
      }
      const cap = Math.min(limit, budget.left);
      if (filter === "FlateDecode") data = predicted(await inflate(data, cap), parm, resolve);
      else if (filter === "LZWDecode") {
        const early = parm && parm.EarlyChange !== undefined ? resolve(parm.EarlyChange) : 1;
        data = predicted(lzw(data, early === 0 ? 0 : 1, cap), parm, resolve);
      } else if (filter === "RunLengthDecode") data = runLength(data, cap);
      else if (filter === "ASCIIHexDecode") data = asciiHex(data).subarray(0, cap);
      else if (filter === "ASCII85Decode") data = ascii85(data).subarray(0, cap);
      else throw problem("unsupported");
      if (cap < limit && data.length >= cap) throw problem("tooLarge");
      budget.left -= data.length;
    }
    return { data, filter: "" };
  }

  /* ---------- Colours ---------- */

  /* Colours as 8-bit RGB: `count` grey, RGB or CMYK (naively: no profile) values of `kind`. */
  function toRgb(kind, values, count) {
    if (kind === "rgb") return values.subarray(0, count * 3);
    const out = new Uint8Array(count * 3);
    for (let index = 0; index < count; index += 1) {
      if (kind === "gray") {
        out.fill(values[index], index * 3, index * 3 + 3);
      } else {
        const black = 255 - values[index * 4 + 3];
        for (let part = 0; part < 3; part += 1) {
          out[index * 3 + part] = Math.round(((255 - values[index * 4 + part]) * black) / 255);
        }
      }
    }
    return out;
  }

  /* An image's colour space: { kind ("gray", "rgb", "cmyk" or "indexed"), colors, palette (indexed: 256 RGB
   * colours) }, or null for one not read here (Lab, Separation, DeviceN, Pattern, damaged). */
  async function colourSpace(value, resolve, budget, depth) {
    const space = resolve(value);
    const head = Array.isArray(space) ? resolve(space[0]) : space;
    const name = head instanceof Name ? head.value : "";
    if (["DeviceGray", "G", "CalGray"].includes(name)) return GRAY;
    if (["DeviceRGB", "RGB", "CalRGB"].includes(name)) return RGB;
    if (["DeviceCMYK", "CMYK"].includes(name)) return CMYK;
    if (name === "ICCBased" && depth < 3) {
      const profile = resolve(space[1]);
      if (!(profile instanceof Stream)) return null;
      const spaces = { 1: GRAY, 3: RGB, 4: CMYK };
      const count = resolve(profile.dict.N);
      if (spaces[count]) return spaces[count];
      return profile.dict.Alternate === undefined
        ? null
        : colourSpace(profile.dict.Alternate, resolve, budget, depth + 1);
    }
    if ((name === "Indexed" || name === "I") && depth === 0 && Array.isArray(space)) {
      const base = await colourSpace(space[1], resolve, budget, depth + 1);
      const high = resolve(space[2]);
      if (!base || base.kind === "indexed" || !Number.isInteger(high) || high < 0 || high > 255) return null;
      const lookup = resolve(space[3]);
      let bytes = lookup instanceof Bytes ? lookup.bytes : null;
      if (lookup instanceof Stream) {
        const read = await unfilter(lookup, resolve, 256 * 4, budget);
        bytes = read.filter ? null : read.data;
      }
      if (!bytes) return null;
      const values = new Uint8Array(256 * base.colors);
      values.set(bytes.subarray(0, (high + 1) * base.colors));
      const palette = new Uint8Array(256 * 3);
      palette.set(toRgb(base.kind, values, high + 1));
      return { kind: "indexed", colors: 1, palette };
    }
    return null;
  }

  /* Samples of any depth as 8-bit RGB, inverted first if asked. */
  function rgb8(samples, width, height, bits, space, inverted) {
    const colors = space.colors;
    const row = Math.ceil((width * colors * bits) / 8);
    const max = bits >= 8 ? 255 : (1 << bits) - 1;
    const values = new Uint8Array(width * height * colors);
    let at = 0;
    for (let y = 0; y < height; y += 1) {
      for (let index = 0, bit = y * row * 8; index < width * colors; index += 1, bit += bits) {
        let value = samples[bit >> 3];
        if (bits < 8) value = Math.round((((value >> (8 - bits - (bit & 7))) & max) * 255) / max);
        values[at++] = inverted ? 255 - value : value;
      }
    }
    return toRgb(space.kind, values, width * height);
  }

  /* ---------- PNG ---------- */

  /* The table of CRC-32 (the polynomial PNG uses) for each byte. */
  function crcTable() {
    const table = new Int32Array(256);
    for (let byte = 0; byte < 256; byte += 1) {
      let crc = byte;
      for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
      table[byte] = crc;
    }
    return table;
  }

  /* CRC-32 of some arrays one after the other. */
  function crc32(parts) {
    let crc = -1;
    for (const bytes of parts) {
      for (let index = 0; index < bytes.length; index += 1) crc = CRC_TABLE[(crc ^ bytes[index]) & 0xff] ^ (crc >>> 8);
    }
    return (crc ^ -1) >>> 0;
  }

  /* A PNG chunk as Blob parts: its length and type, its data, its CRC. */
  function chunk(type, data) {
    const head = new Uint8Array(8);
    new DataView(head.buffer).setUint32(0, data.length);
    for (let index = 0; index < 4; index += 1) head[4 + index] = type.charCodeAt(index);
    const tail = new Uint8Array(4);
    new DataView(tail.buffer).setUint32(0, crc32([head.subarray(4), data]));
    return [head, data, tail];
  }

  /* Compress with zlib, as PNG's IDAT holds its rows. */
  async function deflate(data) {
    const stream = new Blob([data]).stream().pipeThrough(new CompressionStream("deflate"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  /* Samples as a PNG: grey, RGB (8 or 16 bits) and palettes as they are; anything else made 8-bit RGB first. */
  async function png(samples, width, height, bits, space, inverted) {
    let [type, depth, colors, data] = [0, bits, space.colors, samples];
    if (space.kind === "indexed") type = 3;
    else if (space.kind === "rgb" && bits >= 8) type = 2;
    else if (space.kind !== "gray") {
      [type, depth, colors, data] = [2, 8, 3, rgb8(samples, width, height, bits, space, inverted)];
      inverted = false;
    }
    const row = Math.ceil((width * colors * depth) / 8);
    const lines = new Uint8Array((row + 1) * height); // each row after its filter byte, 0: none
    for (let y = 0; y < height; y += 1) lines.set(data.subarray(y * row, y * row + row), y * (row + 1) + 1);
    if (inverted) {
      for (let index = 0; index < lines.length; index += 1) lines[index] ^= 0xff;
      for (let y = 0; y < height; y += 1) lines[y * (row + 1)] = 0;
    }
    const header = new Uint8Array(13);
    const view = new DataView(header.buffer);
    view.setUint32(0, width);
    view.setUint32(4, height);
    [header[8], header[9]] = [depth, type]; // then compression, filter and interlace: 0
    const parts = [PNG_SIGNATURE, ...chunk("IHDR", header)];
    if (type === 3) parts.push(...chunk("PLTE", space.palette.subarray(0, 3 * Math.min(256, 1 << bits))));
    parts.push(...chunk("IDAT", await deflate(lines)), ...chunk("IEND", new Uint8Array(0)));
    return new Blob(parts, { type: "image/png" });
  }

  /* ---------- Images ---------- */

  /* A picture inverted through a canvas (as a PNG); as it is where the browser has no OffscreenCanvas. */
  async function invertedPicture(blob) {
    if (typeof OffscreenCanvas !== "function" || typeof createImageBitmap !== "function") return blob;
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext("2d");
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
    context.globalCompositeOperation = "difference";
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    return canvas.convertToBlob({ type: "image/png" });
  }

  /* A DCTDecode image: its JPEG (after the filters before DCTDecode), inverted if asked (/Decode [1 0 ...] on a grey
   * or RGB one). */
  async function jpeg(stream, resolve, budget, inverted) {
    const { data, filter } = await unfilter(stream, resolve, MAX_STREAM, budget);
    if (filter !== "DCTDecode") return { problem: "unsupported" };
    if (data[0] !== 0xff || data[1] !== 0xd8) return { problem: "damaged" };
    const blob = new Blob([data], { type: "image/jpeg" });
    if (!inverted) return { blob };
    return { blob: await invertedPicture(blob) };
  }

  /* An image XObject as { blob } or { problem }. */
  async function imageOf(stream, resolve, budget) {
    const dict = stream.dict;
    const { filters } = filtersOf(dict, resolve);
    const unreadable = filters.find((filter) => UNREADABLE[filter]);
    if (unreadable) return { problem: UNREADABLE[unreadable] };
    const [width, height] = [resolve(dict.Width), resolve(dict.Height)];
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return { problem: "damaged" };
    const decode = resolve(dict.Decode);
    const pairs = Array.isArray(decode) ? decode.map(resolve) : [];
    const inverted = pairs.length >= 2 && pairs.every((bound, index) => index % 2 || bound > pairs[index + 1]);
    if (filters.includes("DCTDecode")) {
      const space = inverted ? await colourSpace(dict.ColorSpace, resolve, budget, 0).catch(() => null) : null;
      return jpeg(stream, resolve, budget, Boolean(space) && space.kind !== "cmyk");
    }
    const mask = resolve(dict.ImageMask) === true;
    const space = mask ? GRAY : await colourSpace(dict.ColorSpace, resolve, budget, 0);
    if (!space) return { problem: "unsupported" };
    const bits = mask ? 1 : resolve(dict.BitsPerComponent);
    if (![1, 2, 4, 8, 16].includes(bits) || (space.kind === "indexed" && bits > 8)) return { problem: "damaged" };
    const row = Math.ceil((width * space.colors * bits) / 8);
    const size = row * height;
    if (width * height > MAX_PIXELS || size > MAX_SAMPLES || size > budget.samples) return { problem: "tooLarge" };
    budget.samples -= size;
    let { data } = await unfilter(stream, resolve, size + height, budget);
    if (data.length < size - row) return { problem: "damaged" }; // a last row cut short is let be
    if (data.length < size) data = join([data], size);
    return { blob: await png(data, width, height, bits, space, inverted) };
  }

  /* The names that a content stream (or several, an array) draws with "Do"; null when it cannot be read. */
  async function drawnNames(contents, resolve, budget) {
    const names = new Set();
    let left = MAX_CONTENT;
    try {
      const item = resolve(contents);
      for (const part of Array.isArray(item) ? item.map(resolve) : [item]) {
        if (!(part instanceof Stream)) continue;
        const { data, filter } = await unfilter(part, resolve, left, budget);
        left -= data.length;
        if (filter || left <= 0) return null;
        const text = new TextDecoder("latin1").decode(data); // a character per byte: positions match
        const drawn = /\/[^\0\t\n\f\r ()<>[\]{}/%]*[\0\t\n\f\r ]*Do(?![^\0\t\n\f\r ()<>[\]{}/%])/g;
        for (const match of text.matchAll(drawn)) names.add(new Parser(data, match.index).name().value);
      }
    } catch {
      return null;
    }
    return names;
  }

  /* Add the image XObjects that `content` draws to `found` (following forms `levels` deep); every image the
   * resources list when the content cannot be read. */
  async function collect(content, resources, resolve, budget, levels, found) {
    const dict = resolve(resources);
    const xobjects = isDict(dict) ? resolve(dict.XObject) : null;
    if (!isDict(xobjects)) return;
    const drawn = await drawnNames(content, resolve, budget);
    for (const name of drawn || Object.keys(xobjects)) {
      const object = xobjects[name] === undefined ? null : resolve(xobjects[name]);
      if (!(object instanceof Stream) || found.seen.has(object)) continue;
      if (found.seen.size >= MAX_DRAWN) throw problem("tooLarge");
      found.seen.add(object);
      const subtype = resolve(object.dict.Subtype);
      const kind = subtype instanceof Name ? subtype.value : "";
      if (kind === "Image") found.images.push(object);
      if (kind === "Form" && levels > 0) {
        const inner = object.dict.Resources === undefined ? resources : object.dict.Resources;
        await collect(object, inner, resolve, budget, levels - 1, found);
      }
    }
  }

  /* An image's size in pixels, 0 when it does not say. */
  function area(stream, resolve) {
    const [width, height] = [resolve(stream.dict.Width), resolve(stream.dict.Height)];
    return Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 ? width * height : 0;
  }

  /* A page's largest image as { blob } or { problem }; an image that several pages draw is read once. */
  async function pageImage(page, resolve, budget) {
    const found = { images: [], seen: new Set() };
    await collect(page.node.Contents, page.resources, resolve, budget, 1, found);
    if (!found.images.length) return { problem: "noImage" };
    const largest = found.images.reduce((best, image) => (area(image, resolve) > area(best, resolve) ? image : best));
    if (!budget.read.has(largest)) budget.read.set(largest, imageOf(largest, resolve, budget));
    return budget.read.get(largest);
  }

  /* The document's pages in order, each with the resources it has or inherits: [{ node, resources }]. */
  function pagesOf(document) {
    const resolve = document.resolve;
    const root = resolve(document.trailer.Root);
    if (!isDict(root) || root.Pages === undefined) throw problem("damaged");
    const pages = [];
    const seen = new Set();
    const walk = (item, inherited, depth) => {
      if (depth > MAX_DEPTH) throw problem("damaged");
      if (item instanceof Ref) {
        if (seen.has(item.key)) return; // a page listed twice, or a loop
        seen.add(item.key);
      }
      const node = resolve(item);
      if (!isDict(node)) return;
      const resources = node.Resources === undefined ? inherited : node.Resources;
      const kids = resolve(node.Kids);
      if (typeOf(node) === "Pages" || (typeOf(node) !== "Page" && Array.isArray(kids))) {
        if (Array.isArray(kids)) kids.forEach((kid) => walk(kid, resources, depth + 1));
        return;
      }
      if (pages.length >= MAX_PAGES) throw problem("damaged");
      pages.push({ node, resources });
    };
    walk(root.Pages, undefined, 0);
    return pages;
  }

  /* Each page's largest image from a PDF's bytes (a Uint8Array), in page order. */
  async function readImages(bytes) {
    try {
      const document = await open(bytes);
      const pages = pagesOf(document);
      const budget = { left: MAX_TOTAL, samples: MAX_TOTAL, read: new Map() }; // read: image -> its promised result
      const results = [];
      for (let index = 0; index < pages.length; index += 1) {
        let result;
        try {
          result = await pageImage(pages[index], document.resolve, budget);
        } catch (error) {
          result = { problem: error instanceof PdfProblem && PROBLEMS.has(error.reason) ? error.reason : "damaged" };
        }
        const page = index + 1;
        results.push(result.blob ? { page, blob: result.blob } : { page, problem: result.problem });
      }
      if (results.every((result) => result.problem === "noImage")) throw new PdfProblem("noImages");
      return results;
    } catch (error) {
      if (error instanceof PdfProblem) throw error;
      throw problem("damaged"); // a RangeError, a stack overflow: damage this reader did not foresee
    }
  }

  ns.pdf.readImages = readImages;
})((window.ProgressScoring = window.ProgressScoring || {}));
