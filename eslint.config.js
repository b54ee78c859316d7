/* ESLint for the browser scripts in assets/js: the recommended rules, for classic scripts (no
 * modules: the pages work opened from disk) sharing one namespace object, ProgressScoring. */
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  {
    files: ["assets/js/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: {
        ...globals.browser,
        ProgressScoring: "readonly",
      },
    },
  },
];
