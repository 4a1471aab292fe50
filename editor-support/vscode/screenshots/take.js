// Takes the two screenshots of editor-support/README.md: VS Code (code-server on
// 127.0.0.1, the perwal .vsix installed, perwal.path set) on a copy of the
// bundled rulesets with one rule id misspelt in a refine, then the quick fix
// applied and the hover on a cite. Not run by the tests (code-server is not a
// dependency of perwal); usage: node take.js http://127.0.0.1:PORT/?folder=DIR OUT
// (writes OUT-diagnostic.png and OUT-hover.png).
const { chromium } = require('playwright-core');
(async () => {
  const [url, out] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  await page.waitForTimeout(4000);
  const key = async (k, wait = 600) => { await page.keyboard.press(k); await page.waitForTimeout(wait); };
  await key('Control+P', 800);
  await page.keyboard.type('padang-panjang-48-2024.perwal');
  await page.waitForTimeout(1200);
  await key('Enter', 3000);
  const goto = async (where) => { await key('Control+G', 500); await page.keyboard.type(where); await key('Enter', 800); };
  await goto('95:20');
  await page.waitForTimeout(6000);  // the language server compiles the ruleset
  await key('Control+Shift+M', 2000);  // Problems
  await goto('95:20');
  await key('Control+.', 2500);  // the quick fix: "did you mean"
  await page.screenshot({ path: out + '-diagnostic.png' });
  await key('Enter', 6000);  // applied: the ruleset compiles again
  await goto('95:47');  // on "Pasal 5 ayat (1)"
  await key('F1', 800);
  await page.keyboard.type('Show or Focus Hover');
  await page.waitForTimeout(1000);
  await key('Enter', 4000);
  await page.screenshot({ path: out + '-hover.png' });
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
