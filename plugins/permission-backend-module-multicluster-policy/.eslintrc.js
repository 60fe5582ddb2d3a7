// Tests may start the plugin this module extends (as Backstage's newer lint
// defaults allow): the module is tested in the real plugin, not in imitations.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  testRules: { '@backstage/no-mixed-plugin-imports': 'off' },
});
