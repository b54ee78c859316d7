/* Saving in this browser (ProgressScoring.storage(data, files, text)): the answers under one
 * localStorage key per workbook, read once when the page loads, written once a change settles (and at
 * once when the page is hidden or left), and backups of saved data that could not be used as it was.
 * It reports what happened; the state is changed by score-app.js.
 */
(function (ns) {
  "use strict";

  function storage() {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  }

  function remove(store, key) {
    try {
      store.removeItem(key);
    } catch {
      /* left where it was: it is kept either way */
    }
  }

  ns.storage = function (data, files, text) {
    const says = text.storage;
    /* Where the answers are saved: one key per workbook, the same for every format (the format is
     * inside the JSON). Format 1 saved under a key with its version; that key is read and moved. */
    const KEY = "progress-workbooks/" + data.workbook;
    const LEGACY_KEYS = ["progress-workbooks/v1/" + data.workbook];
    const BACKUP_PREFIX = KEY + "/backup/"; // + the ISO time: saved data that could not be read, kept as it was
    /* How long a change must settle before it is saved (ms): a burst of ticks or keystrokes is saved once. Saving
     * rewrites every assessment, about 40 ms for the 5 M characters a browser keeps (more on a phone), so it waits
     * until the user pauses, never inside a tick. */
    const SETTLE = 300;

    /* Each assessment's JSON as last written, kept until it changes (soon): writing a file of 2,000 assessments
     * joins their texts rather than making each again (for the Health Check, 75 ms less at each write). */
    const texts = new WeakMap();

    function textOf(assessment) {
      if (!texts.has(assessment)) texts.set(assessment, JSON.stringify(assessment));
      return texts.get(assessment);
    }

    /* Save a file of assessments, written as JSON.stringify writes it; "" when it was saved, else why not. */
    function write(file) {
      const store = storage();
      try {
        if (!store) throw new Error("no storage");
        /* "assessments":0 occurs once: a quote inside a value is written \". */
        const shell = JSON.stringify(Object.assign({}, file, { assessments: 0 }));
        const all = '"assessments":[' + file.assessments.map(textOf).join(",") + "]";
        store.setItem(
          KEY,
          shell.replace('"assessments":0', () => all),
        );
        return "";
      } catch (error) {
        const full = error && (error.name === "QuotaExceededError" || error.code === 22);
        return full ? says.full : says.blocked;
      }
    }

    /* Saving once a change settles: `source()` gives the file to save (null: nothing may be saved), `saved(problem)`
     * is told how it went. A change is saved at once when the page is hidden or left, so nothing is lost. */
    let source = () => null;
    let saved = () => {};
    let waiting = null; // the timer of the write to come

    function autosave(file, done) {
      source = file;
      saved = done;
      window.addEventListener("pagehide", flush);
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "hidden") flush();
      });
    }

    /* A change to save once it settles; `changed`: the assessment changed in place (its text is made again). */
    function soon(changed) {
      if (changed) texts.delete(changed);
      window.clearTimeout(waiting);
      waiting = window.setTimeout(flush, SETTLE);
    }

    /* Save now what waits to be saved, if anything. */
    function flush() {
      if (waiting === null) return;
      window.clearTimeout(waiting);
      waiting = null;
      const file = source();
      if (file) saved(write(file));
    }

    /* Forget what waits to be saved (another window's answers replaced it). */
    function cancel() {
      window.clearTimeout(waiting);
      waiting = null;
    }

    /* Read the saved answers: from KEY, or from a key an older format used (then moved to KEY).
     * Data from a newer format is left untouched and never saved over (`locked`). Data that cannot be
     * read is never silently replaced: it is kept, exactly as it was, under a backup key, and the user is
     * told; if even that cannot be stored, nothing is saved over it.
     * Returns { file (null: nothing usable), problem (why saving does not work, or ""), locked, kept }
     * with `kept` the saved data found and kept aside: [{ key (null: not stored), text, why, unreadable }]. */
    function load() {
      const found = { file: null, problem: "", locked: false, kept: [] };
      const store = storage();
      if (!store) {
        found.problem = says.off;
        return found;
      }
      let saved;
      let from = KEY;
      const legacy = [];
      try {
        saved = store.getItem(KEY);
        LEGACY_KEYS.forEach((key) => {
          const old = store.getItem(key);
          if (old !== null) legacy.push({ key: key, text: old });
        });
      } catch {
        found.problem = says.cannotRead;
        return found;
      }
      if (saved === null && legacy.length) {
        const oldest = legacy.shift();
        saved = oldest.text;
        from = oldest.key;
      }
      if (saved === null) return found;
      const read = files.read(saved);
      if (read.newer) {
        found.locked = true;
        found.problem = says.unreadable(read.problem) + says.leftAlone;
        return found;
      }
      if (read.problem) {
        const why = says.unreadable(read.problem);
        if (!keepBackup(found, store, from, saved, why, true)) {
          found.locked = true;
          found.problem = why + says.noRoom;
        }
      } else {
        found.file = read.value;
        if (found.file.current === undefined) found.file.current = null;
        if (!found.file.current && found.file.assessments.length) {
          found.file.current = found.file.assessments[found.file.assessments.length - 1].id;
        }
        /* Saved at once as this format, under KEY: an older format's answers then keep the meaning given them
         * now (what this page shows), whatever a later release changes. */
        if (from !== KEY || read.migrated) {
          found.problem = write(found.file);
          if (!found.problem && from !== KEY) remove(store, from);
        }
      }
      /* A copy under an older key beside the current one (an old page left open may have written it). */
      legacy.forEach((item) => keepBackup(found, store, item.key, item.text, says.otherCopy, false));
      return found;
    }

    /* Keep saved data as it was under a new backup key, take it from `from`, and note it in `found.kept`.
     * `unreadable`: it could not be read (else it is a spare copy). False if it could not be kept. */
    function keepBackup(found, store, from, saved, why, unreadable) {
      const stamp = new Date().toISOString();
      let key = BACKUP_PREFIX + stamp;
      try {
        for (let number = 2; store.getItem(key) !== null; number += 1) key = BACKUP_PREFIX + stamp + "-" + number;
        store.setItem(key, saved);
      } catch {
        found.kept.push({ key: null, text: saved, why: why, unreadable: unreadable });
        return false;
      }
      found.kept.push({ key: key, text: saved, why: why, unreadable: unreadable });
      remove(store, from);
      return true;
    }

    /* The keys of the backups kept in this browser, oldest first. */
    function backupKeys() {
      const store = storage();
      const keys = [];
      try {
        for (let index = 0; store && index < store.length; index += 1) {
          const key = store.key(index);
          if (key && key.startsWith(BACKUP_PREFIX)) keys.push(key);
        }
      } catch {
        return [];
      }
      return keys.sort();
    }

    /* When a backup was made, from its key, as people write it. */
    function backupTime(key) {
      const stamp = key.slice(BACKUP_PREFIX.length);
      const when = new Date(stamp.replace(/Z-\d+$/, "Z"));
      return isNaN(when.getTime()) ? stamp : says.time(when);
    }

    /* What a backup key holds now, or null. */
    function readBackup(key) {
      try {
        return storage().getItem(key);
      } catch {
        return null;
      }
    }

    /* A backup's time for a file name (a backup not stored: now). */
    function backupStamp(key) {
      return (key ? key.slice(BACKUP_PREFIX.length) : new Date().toISOString())
        .replace(/[^0-9A-Za-z]+/g, "-")
        .replace(/-+$/, "");
    }

    /* Call `changed` with the new text (null: removed) when another window changes the saved answers. */
    function watch(changed) {
      window.addEventListener("storage", (event) => {
        if (event.key !== KEY || event.storageArea !== storage()) return;
        changed(event.newValue);
      });
    }

    return { load, autosave, soon, cancel, backupKeys, backupTime, readBackup, backupStamp, watch };
  };
})((window.ProgressScoring = window.ProgressScoring || {}));
