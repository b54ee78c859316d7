/* A small reader of PDF forms (ProgressScoring.pdf): the fields of a filled-in booklet and their values,
 * read in the browser from the file's bytes; nothing is sent anywhere. Loaded by score-booklet.js only
 * when a PDF is chosen, so the page's first load does not carry it.
 *
 * It reads what PDF readers save: every "N G obj ... endobj" in file order, a later definition of an
 * object replacing an earlier one (so incremental updates count), objects compressed in object streams
 * (/Type /ObjStm, FlateDecode through the browser's DecompressionStream, PNG predictors), the trailer or
 * cross-reference stream for the document's root, strings literal and hex, in PDFDocEncoding, UTF-16BE or
 * UTF-8 with their byte-order mark, names with #xx escapes, fields nested through /Kids (their /T parts
 * joined by "."), /FT and /V inherited from a parent. It reads no page and draws nothing.
 *
 * readForm(bytes) resolves to a Map of fully qualified field name -> { type ("Btn", "Tx", ...), value
 * (text, or null) }; it rejects with a PdfProblem whose `reason` is "notPdf", "damaged", "encrypted" or
 * "noForm". No text for people here: score-text.js words each reason.
 *
 * score-pdf-images.js, loaded after it when a scan is read, reads page images with this parser (`internal`).
 */
(function (ns) {
  "use strict";

  class PdfProblem extends Error {
    constructor(reason) {
      super(reason);
      this.reason = reason;
    }
  }

  class Name {
    constructor(value) {
      this.value = value;
    }
  }

  class Bytes {
    constructor(bytes) {
      this.bytes = bytes;
    }
  }

  class Ref {
    constructor(num, gen) {
      this.key = num + " " + gen;
    }
  }

  class Stream {
    constructor(dict, data) {
      this.dict = dict;
      this.data = data;
    }
  }

  const MAX_DEPTH = 64; // arrays and dictionaries nested deeper are damage, not a form
  const MAX_OUTPUT = 64 * 1024 * 1024; // bytes a file's streams may decompress to, all together
  const MAX_FIELDS = 100000;
  const SPACE = new Set([0, 9, 10, 12, 13, 32]);
  const DELIMITER = new Set([40, 41, 60, 62, 91, 93, 123, 125, 47, 37]); // ( ) < > [ ] { } / %
  /* PDFDocEncoding where it differs from Latin-1 (ISO 32000-1, annex D). */
  // prettier-ignore
  const PDF_DOC = {
    0x18: 0x02d8, 0x19: 0x02c7, 0x1a: 0x02c6, 0x1b: 0x02d9, 0x1c: 0x02dd, 0x1d: 0x02db, 0x1e: 0x02da, 0x1f: 0x02dc,
    0x80: 0x2022, 0x81: 0x2020, 0x82: 0x2021, 0x83: 0x2026, 0x84: 0x2014, 0x85: 0x2013, 0x86: 0x0192, 0x87: 0x2044,
    0x88: 0x2039, 0x89: 0x203a, 0x8a: 0x2212, 0x8b: 0x2030, 0x8c: 0x201e, 0x8d: 0x201c, 0x8e: 0x201d, 0x8f: 0x2018,
    0x90: 0x2019, 0x91: 0x201a, 0x92: 0x2122, 0x93: 0xfb01, 0x94: 0xfb02, 0x95: 0x0141, 0x96: 0x0152, 0x97: 0x0160,
    0x98: 0x0178, 0x99: 0x017d, 0x9a: 0x0131, 0x9b: 0x0142, 0x9c: 0x0153, 0x9d: 0x0161, 0x9e: 0x017e, 0xa0: 0x20ac,
  };

  function damaged() {
    return new PdfProblem("damaged");
  }

  /* A dictionary, as the parser makes them: an object with no prototype. */
  function isDict(value) {
    return Boolean(value) && typeof value === "object" && Object.getPrototypeOf(value) === null;
  }

  /* ---------- Text ---------- */

  /* A string's bytes as text: UTF-16BE or UTF-8 after their byte-order mark, else PDFDocEncoding. */
  function decodeText(bytes) {
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      return new TextDecoder("utf-8").decode(bytes.subarray(3));
    }
    let text = "";
    for (let index = 0; index < bytes.length; index += 1) {
      const byte = bytes[index];
      text += String.fromCharCode(PDF_DOC[byte] || byte);
    }
    return text;
  }

  /* ---------- Objects: a parser over the bytes from a position ---------- */

  class Parser {
    constructor(bytes, position) {
      this.bytes = bytes;
      this.position = position;
    }

    peek() {
      return this.bytes[this.position];
    }

    /* Skip white space and comments. */
    skip() {
      const bytes = this.bytes;
      while (this.position < bytes.length) {
        const byte = bytes[this.position];
        if (SPACE.has(byte)) {
          this.position += 1;
        } else if (byte === 37) {
          while (this.position < bytes.length && bytes[this.position] !== 10 && bytes[this.position] !== 13) {
            this.position += 1;
          }
        } else {
          return;
        }
      }
    }

    /* A bare word: a keyword or a number, up to white space or a delimiter. */
    word() {
      const bytes = this.bytes;
      const start = this.position;
      while (this.position < bytes.length && !SPACE.has(bytes[this.position]) && !DELIMITER.has(bytes[this.position])) {
        this.position += 1;
      }
      return String.fromCharCode.apply(null, bytes.subarray(start, this.position));
    }

    value(depth) {
      if (depth > MAX_DEPTH) throw damaged();
      this.skip();
      const byte = this.peek();
      if (byte === undefined) throw damaged();
      if (byte === 91) return this.array(depth);
      if (byte === 60 && this.bytes[this.position + 1] === 60) return this.dict(depth);
      if (byte === 60) return this.hex();
      if (byte === 40) return this.literal();
      if (byte === 47) return this.name();
      const word = this.word();
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return this.numberOrRef(word);
      if (word === "true" || word === "false") return word === "true";
      if (word === "null") return null;
      throw damaged();
    }

    /* A number, or "num gen R": a reference. */
    numberOrRef(word) {
      const number = Number(word);
      if (!/^\d+$/.test(word)) return number;
      const after = this.position;
      this.skip();
      const gen = this.word();
      if (/^\d+$/.test(gen)) {
        this.skip();
        if (this.peek() === 82) {
          this.position += 1;
          const next = this.peek();
          if (next === undefined || SPACE.has(next) || DELIMITER.has(next)) return new Ref(number, Number(gen));
        }
      }
      this.position = after;
      return number;
    }

    array(depth) {
      this.position += 1;
      const items = [];
      for (;;) {
        this.skip();
        if (this.peek() === undefined) throw damaged();
        if (this.peek() === 93) {
          this.position += 1;
          return items;
        }
        items.push(this.value(depth + 1));
      }
    }

    dict(depth) {
      this.position += 2;
      const entries = Object.create(null);
      for (;;) {
        this.skip();
        const byte = this.peek();
        if (byte === undefined) throw damaged();
        if (byte === 62) {
          if (this.bytes[this.position + 1] !== 62) throw damaged();
          this.position += 2;
          return entries;
        }
        if (byte !== 47) throw damaged();
        const key = this.name().value;
        entries[key] = this.value(depth + 1);
      }
    }

    /* A name: "/Getting#20Started" is Name("Getting Started"). */
    name() {
      this.position += 1;
      const raw = this.word();
      const bytes = [];
      for (let index = 0; index < raw.length; index += 1) {
        const hex = raw[index] === "#" ? raw.slice(index + 1, index + 3) : "";
        if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
          bytes.push(parseInt(hex, 16));
          index += 2;
        } else {
          bytes.push(raw.charCodeAt(index));
        }
      }
      return new Name(new TextDecoder("utf-8").decode(new Uint8Array(bytes)));
    }

    hex() {
      this.position += 1;
      const bytes = this.bytes;
      let digits = "";
      while (this.position < bytes.length && bytes[this.position] !== 62) {
        const char = String.fromCharCode(bytes[this.position]);
        if (/[0-9A-Fa-f]/.test(char)) digits += char;
        else if (!SPACE.has(bytes[this.position])) throw damaged();
        this.position += 1;
      }
      if (this.position >= bytes.length) throw damaged();
      this.position += 1;
      if (digits.length % 2) digits += "0";
      const out = new Uint8Array(digits.length / 2);
      for (let index = 0; index < out.length; index += 1) out[index] = parseInt(digits.substr(index * 2, 2), 16);
      return new Bytes(out);
    }

    /* A literal string: balanced parentheses, backslash escapes, end-of-line as a line feed. */
    literal() {
      const bytes = this.bytes;
      const out = [];
      const escapes = { 110: 10, 114: 13, 116: 9, 98: 8, 102: 12 }; // n r t b f
      let depth = 1;
      this.position += 1;
      while (this.position < bytes.length) {
        let byte = bytes[this.position++];
        if (byte === 92) {
          byte = bytes[this.position++];
          if (byte === undefined) break;
          if (byte >= 48 && byte <= 55) {
            let code = byte - 48;
            for (let count = 0; count < 2 && bytes[this.position] >= 48 && bytes[this.position] <= 55; count += 1) {
              code = code * 8 + bytes[this.position++] - 48;
            }
            out.push(code & 0xff);
          } else if (byte === 13 || byte === 10) {
            if (byte === 13 && bytes[this.position] === 10) this.position += 1; // a line continued
          } else {
            out.push(escapes[byte] === undefined ? byte : escapes[byte]);
          }
        } else if (byte === 13) {
          if (bytes[this.position] === 10) this.position += 1;
          out.push(10);
        } else {
          if (byte === 40) depth += 1;
          if (byte === 41 && --depth === 0) return new Bytes(Uint8Array.from(out));
          out.push(byte);
        }
      }
      throw damaged();
    }
  }

  /* ---------- Streams ---------- */

  function inflate(data, budget) {
    const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate"));
    return readAll(stream, budget);
  }

  /* Read a stream whole, taking what it gives from `budget.left` (bytes): over it, the file is refused. */
  async function readAll(stream, budget) {
    const reader = stream.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      budget.left -= value.length;
      if (budget.left < 0) {
        reader.cancel();
        throw damaged();
      }
      chunks.push(value);
    }
    const out = new Uint8Array(size);
    let at = 0;
    chunks.forEach((chunk) => {
      out.set(chunk, at);
      at += chunk.length;
    });
    return out;
  }

  /* Undo a PNG predictor (/Predictor 10 to 15) row by row. */
  function unpredict(data, parms) {
    const colors = parms.Colors || 1;
    const bits = parms.BitsPerComponent || 8;
    const columns = parms.Columns || 1;
    const pixel = Math.max(1, Math.ceil((colors * bits) / 8));
    const width = Math.ceil((colors * bits * columns) / 8);
    const rows = Math.floor(data.length / (width + 1));
    const out = new Uint8Array(rows * width);
    for (let row = 0; row < rows; row += 1) {
      const kind = data[row * (width + 1)];
      const from = row * (width + 1) + 1;
      const at = row * width;
      for (let index = 0; index < width; index += 1) {
        const left = index >= pixel ? out[at + index - pixel] : 0;
        const up = row ? out[at - width + index] : 0;
        const corner = row && index >= pixel ? out[at - width + index - pixel] : 0;
        let guess = 0;
        if (kind === 1) guess = left;
        else if (kind === 2) guess = up;
        else if (kind === 3) guess = (left + up) >> 1;
        else if (kind === 4) {
          const p = left + up - corner;
          const [a, b, c] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - corner)];
          guess = a <= b && a <= c ? left : b <= c ? up : corner;
        } else if (kind !== 0) throw damaged();
        out[at + index] = (data[from + index] + guess) & 0xff;
      }
    }
    return out;
  }

  /* A stream's data decoded: no filter, or FlateDecode (with a PNG predictor); anything else is refused. */
  async function decode(stream, resolve, budget) {
    const filters = [].concat(resolve(stream.dict.Filter) || []).map((filter) => resolve(filter));
    const parms = [].concat(resolve(stream.dict.DecodeParms) || []).map((parm) => resolve(parm));
    let data = stream.data;
    for (let index = 0; index < filters.length; index += 1) {
      if (!(filters[index] instanceof Name) || filters[index].value !== "FlateDecode") throw damaged();
      try {
        data = await inflate(data, budget);
      } catch (error) {
        if (error instanceof PdfProblem) throw error;
        throw damaged();
      }
      const parm = parms[index];
      if (parm && parm.Predictor >= 10) data = unpredict(data, parm);
      else if (parm && parm.Predictor > 1) throw damaged();
    }
    return data;
  }

  /* ---------- The file: every object in file order, the last definition of each kept ---------- */

  const OBJECT = /(?:^|[^0-9])(\d+)[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]+obj(?![A-Za-z])|trailer(?![A-Za-z])/g;

  /* Find each top-level object and trailer in the file's text (a character per byte): [{ key, value, at } or
   * { trailer, at }], in file order. */
  function scan(bytes, text) {
    const found = [];
    OBJECT.lastIndex = 0;
    let match;
    while ((match = OBJECT.exec(text))) {
      const parser = new Parser(bytes, OBJECT.lastIndex);
      if (!match[1]) {
        try {
          const trailer = parser.value(0);
          if (isDict(trailer)) found.push({ trailer: trailer, at: match.index });
        } catch {
          /* a damaged trailer: the others may do */
        }
        OBJECT.lastIndex = Math.max(OBJECT.lastIndex, parser.position);
        continue;
      }
      const key = Number(match[1]) + " " + Number(match[2]);
      let value;
      try {
        value = parser.value(0);
        parser.skip();
        const before = parser.position;
        const word = parser.word();
        if (word === "stream") value = streamAt(bytes, text, parser, value);
        else if (word !== "endobj") parser.position = before; // no endobj: the next object may start here
      } catch {
        found.push({ key: key, broken: true, at: match.index }); // said only if the form needs it
        continue;
      }
      found.push({ key: key, value: value, at: match.index });
      OBJECT.lastIndex = Math.max(OBJECT.lastIndex, parser.position);
    }
    return found;
  }

  /* The stream after a dictionary, its data by /Length when that is a number and ends where it says, else up to
   * "endstream". The parser is left after it. */
  function streamAt(bytes, text, parser, dict) {
    if (!isDict(dict)) throw damaged();
    let start = parser.position;
    if (bytes[start] === 13) start += 1;
    if (bytes[start] === 10) start += 1;
    let end = typeof dict.Length === "number" ? start + dict.Length : -1;
    const after = end >= start && end <= bytes.length ? text.slice(end, end + 12).replace(/^[\r\n ]*/, "") : "";
    if (!after.startsWith("endstream")) {
      end = text.indexOf("endstream", start);
      if (end === -1) throw damaged();
      while (end > start && (bytes[end - 1] === 10 || bytes[end - 1] === 13)) end -= 1;
    }
    parser.position = text.indexOf("endstream", end) + "endstream".length;
    return new Stream(dict, bytes.subarray(start, end));
  }

  /* The objects an object stream holds: [{ key, source }] with its parser to read each when asked. */
  async function unpack(stream, resolve, budget) {
    const data = await decode(stream, resolve, budget);
    const count = resolve(stream.dict.N);
    const first = resolve(stream.dict.First);
    if (!Number.isInteger(count) || !Number.isInteger(first) || count < 0 || first > data.length) throw damaged();
    const header = new Parser(data, 0);
    const objects = [];
    for (let index = 0; index < count; index += 1) {
      const num = header.value(0);
      const offset = header.value(0);
      if (!Number.isInteger(num) || !Number.isInteger(offset)) throw damaged();
      objects.push({ key: num + " 0", at: first + offset, data: data });
    }
    return objects;
  }

  /* A dictionary's /Type, when it is a name written in it. */
  function typeOf(dict) {
    return dict.Type instanceof Name ? dict.Type.value : "";
  }

  /* Read a PDF's objects: { resolve (an object, or a reference followed), trailer (the newest with a /Root),
   * budget (the bytes its streams may still decompress to) }. */
  async function open(bytes) {
    const text = new TextDecoder("latin1").decode(bytes); // one character per byte: positions match
    if (text.slice(0, 1024).indexOf("%PDF-") === -1) throw new PdfProblem("notPdf");
    /* Cut short: no end of file, or objects after the last one (an update cut off). */
    const end = text.lastIndexOf("%%EOF");
    if (end === -1 || text.lastIndexOf("startxref", end) === -1) throw damaged();
    const found = scan(bytes, text);
    if (found.some((item) => item.at > end)) throw damaged();
    const budget = { left: MAX_OUTPUT };
    const table = new Map();
    const cache = new Map();
    const resolving = new Set();
    const resolve = (item) => {
      if (!(item instanceof Ref)) return item;
      if (cache.has(item.key)) return cache.get(item.key);
      const entry = table.get(item.key);
      if (!entry) return null; // a missing object is null (ISO 32000-1, 7.3.10)
      if (entry.broken || resolving.has(item.key)) throw damaged();
      resolving.add(item.key);
      let value = entry.value;
      if (entry.data) value = new Parser(entry.data, entry.at).value(0);
      resolving.delete(item.key);
      const result = value instanceof Ref ? resolve(value) : value;
      cache.set(item.key, result);
      return result;
    };
    /* The trailers, and the cross-reference streams that stand for them, in file order. */
    const trailers = found
      .map(
        (item) =>
          item.trailer || (item.value instanceof Stream && typeOf(item.value.dict) === "XRef" && item.value.dict),
      )
      .filter(Boolean);
    if (trailers.some((trailer) => trailer.Encrypt !== undefined)) throw new PdfProblem("encrypted");
    for (const item of found) {
      if (item.trailer) continue;
      table.set(item.key, item);
      cache.delete(item.key);
      if (item.value instanceof Stream && typeOf(item.value.dict) === "ObjStm") {
        (await unpack(item.value, resolve, budget)).forEach((inner) => {
          table.set(inner.key, inner);
          cache.delete(inner.key);
        });
      }
    }
    const trailer = trailers.filter((item) => item.Root !== undefined).pop();
    if (!trailer) throw damaged();
    return { resolve, trailer, budget };
  }

  /* ---------- The form ---------- */

  /* A field's value as text: a name, a string, or a text stream; anything else is null. */
  async function valueText(value, resolve, budget) {
    if (value instanceof Name) return value.value;
    if (value instanceof Bytes) return decodeText(value.bytes);
    if (value instanceof Stream) return decodeText(await decode(value, resolve, budget));
    return null;
  }

  /* Every terminal field with its fully qualified name, type and value (/FT and /V inherited). */
  async function fields(document) {
    const resolve = document.resolve;
    const root = resolve(document.trailer.Root);
    const form = isDict(root) ? resolve(root.AcroForm) : null;
    const top = isDict(form) ? resolve(form.Fields) : null;
    if (!Array.isArray(top) || !top.length) throw new PdfProblem("noForm");
    const found = new Map();
    const seen = new Set();
    const walk = async (item, prefix, inherited, depth) => {
      if (depth > MAX_DEPTH || found.size > MAX_FIELDS) throw damaged();
      if (item instanceof Ref) {
        if (seen.has(item.key)) return; // a field listed twice, or a loop
        seen.add(item.key);
      }
      const field = resolve(item);
      if (!isDict(field)) return;
      const part = resolve(field.T);
      const name = part instanceof Bytes ? (prefix ? prefix + "." : "") + decodeText(part.bytes) : prefix;
      const type = field.FT !== undefined ? resolve(field.FT) : inherited.type;
      const value = field.V !== undefined ? resolve(field.V) : inherited.value;
      const kids = resolve(field.Kids);
      const named = Array.isArray(kids)
        ? kids.filter((kid) => isDict(resolve(kid)) && resolve(kid).T !== undefined)
        : [];
      if (named.length) {
        for (const kid of named) await walk(kid, name, { type, value }, depth + 1);
        return;
      }
      let text = await valueText(value, resolve, document.budget);
      if (text === null && type instanceof Name && type.value === "Btn") text = stateOf(field, kids, resolve);
      if (name) found.set(name, { type: type instanceof Name ? type.value : "", value: text });
    };
    for (const item of top) await walk(item, "", { type: undefined, value: undefined }, 0);
    return found;
  }

  /* A button without /V: the on state of its widget that shows on (/AS), as readers before PDF 1.5 left it. */
  function stateOf(field, kids, resolve) {
    const widgets = Array.isArray(kids) ? kids.map(resolve) : [field];
    for (const widget of widgets) {
      const state = isDict(widget) ? resolve(widget.AS) : null;
      if (state instanceof Name && state.value !== "Off") return state.value;
    }
    return null;
  }

  /* The form's fields from a PDF's bytes (a Uint8Array). */
  async function readForm(bytes) {
    try {
      return await fields(await open(bytes));
    } catch (error) {
      if (error instanceof PdfProblem) throw error;
      throw damaged(); // a RangeError, a stack overflow: damage this reader did not foresee
    }
  }

  /* The parser's parts for score-pdf-images.js, which reads page images with them; nothing else should use them. */
  const internal = { open, unpredict, Parser, Name, Bytes, Ref, Stream, PdfProblem, isDict, typeOf };

  ns.pdf = { readForm, PdfProblem, decodeText, internal };
})((window.ProgressScoring = window.ProgressScoring || {}));
