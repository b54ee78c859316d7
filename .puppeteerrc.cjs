/**
 * Puppeteer (brought in by pa11y, a test tool) uses Debian's Chromium and never downloads a browser of its own:
 * `npm ci` reaches only the npm registry.
 * @type {import("puppeteer").Configuration}
 */
module.exports = {
  skipDownload: true,
  executablePath: "/usr/bin/chromium",
};
