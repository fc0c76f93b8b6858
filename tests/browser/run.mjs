// Browser scenarios of the web pages, run by crates/server/tests/browser.rs:
//   node tests/browser/run.mjs <base-url>   (fixtures: the JSON file named by MICROCRED_BROWSER_FIXTURES)
// Debian's Chromium through playwright-core (never a downloaded browser); axe-core is injected into every
// page visited and any serious or critical violation fails the run. Screenshots go to target/screenshots/.

import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const base = process.argv[2];
const fixtures = JSON.parse(readFileSync(process.env.MICROCRED_BROWSER_FIXTURES, 'utf8'));
mkdirSync(fixtures.screenshots, { recursive: true });

const failures = [];
const axeProblems = [];
let pagesChecked = 0;

function check(condition, message) {
  if (!condition) {
    failures.push(message);
    console.error(`FAIL: ${message}`);
  } else {
    console.log(`ok: ${message}`);
  }
}

/** Run axe-core on the page; collect serious and critical violations. */
async function axe(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  pagesChecked += 1;
  for (const v of result.violations) {
    if (v.impact === 'serious' || v.impact === 'critical') {
      axeProblems.push(`${name}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    }
  }
}

/** Screenshot and accessibility check of the page as it is now. */
async function visit(page, name) {
  await axe(page, name);
  await page.screenshot({ path: join(fixtures.screenshots, `${name}.png`), fullPage: true });
}

async function login(page, email, next) {
  await page.goto(`${base}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.fill('#email', email);
  await page.fill('#password', fixtures.password);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
}

// Playwright gives the browser a fresh temporary profile of its own (it refuses --user-data-dir here).
const browser = await chromium.launch({
  executablePath: fixtures.chromium,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

try {
  // --- The public pages -------------------------------------------------------------------------------------
  const visitor = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-GB' });
  let page = await visitor.newPage();
  page.on('dialog', async (d) => { failures.push(`unexpected dialog: ${d.message()}`); await d.dismiss(); });
  await page.goto(`${base}/`);
  check((await page.getAttribute('html', 'lang')) === 'en', 'the home page is in English by default');
  await visit(page, '01-home');

  await page.goto(`${base}/register?q=data`);
  const results = await page.locator('main article').count();
  check(results > 0, `the register finds micro-credentials about "data" (${results})`);
  await visit(page, '02-register-search');
  await page.selectOption('#eqf', '6');
  await Promise.all([page.waitForNavigation(), page.click('form[role=search] button[type=submit]')]);
  check(page.url().includes('eqf=6'), 'the register filter form is a GET form with the filter in the URL');
  await page.goto(`${base}/register`);
  await Promise.all([page.waitForNavigation(), page.locator('main article h2 a').first().click()]);
  check(await page.locator('dl.facts').count() === 1, 'a register entry shows the Annex I elements');
  await visit(page, '03-register-entry');
  await page.goto(`${base}/register?lang=fr`);
  check((await page.getAttribute('html', 'lang')) === 'fr' && (await page.textContent('h1')).includes('Registre'),
    'the interface switches to French with ?lang=fr');
  await visit(page, '04-register-fr');
  await page.goto(`${base}/verify?lang=de`);
  check((await page.textContent('h1')).includes('prüfen'), 'the language choice is remembered (German)');
  await page.goto(`${base}/?lang=en`);
  await visitor.close();

  // --- Provider: revoke one learner's credential, issue to a roster ---------------------------------------------
  const issuerContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  page = await issuerContext.newPage();
  await login(page, fixtures.revoke.provider, `/provider/${fixtures.revoke.description}`);
  await page.fill('#revoke-email', fixtures.learner);
  await page.fill('#revoke-reason', 'Issued in error (browser test)');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/revoke"] button')]);
  check(page.url().includes('revoked=1'), 'the provider revokes a learner\'s credential');
  await visit(page, '05-provider-revoked');
  await issuerContext.close();
  const rosterContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  page = await rosterContext.newPage();
  await login(page, fixtures.roster.provider, `/provider/${fixtures.roster.description}`);
  await page.setInputFiles('#roster', fixtures.roster.file);
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/issue"] button')]);
  check(/\/provider\/jobs\/job_/.test(page.url()), 'a roster upload opens its progress page');
  // The page follows the job by itself (polling with JavaScript, reloading without); wait until it says done.
  for (let i = 0; i < 60; i += 1) {
    const state = await page.textContent('#job-state').catch(() => '');
    if (state && state.includes('finished')) break;
    await page.waitForTimeout(500);
  }
  check((await page.textContent('#job-done')).trim() === '2', 'the two valid rows are issued');
  check((await page.textContent('main')).includes('not-an-email') || (await page.locator('tbody tr').count()) >= 1,
    'the invalid row is listed with its problem');
  await visit(page, '06-provider-roster-job');
  await rosterContext.close();

  // --- Learner: claim, wallet, share --------------------------------------------------------------------------
  const learnerContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  page = await learnerContext.newPage();
  await page.goto(fixtures.claim);
  check(await page.locator('.verdict.valid').count() === 1, 'the claim page shows the new credential as valid');
  await visit(page, '07-claim');
  await Promise.all([page.waitForNavigation(), page.click('#claim-login')]);
  await page.fill('#email', fixtures.learner);
  await page.fill('#password', fixtures.password);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  check(await page.locator('#claimed').count() === 1, 'after logging in, the claim page says the credential is in the wallet');
  const forged = await page.request.post(`${base}/wallet/shares`, { form: { credential: 'x', days: '7' } });
  check(forged.status() === 403, `a form post without the CSRF token is refused (${forged.status()})`);
  await page.goto(`${base}/wallet`);
  const held = await page.locator('main article').count();
  check(held === 3, `the wallet holds the three credentials issued (${held})`);
  check((await page.textContent('main')).includes('revoked'), 'the wallet shows the revoked credential as revoked');
  await visit(page, '08-wallet-phone');
  const firstId = await page.getAttribute('#pick1', 'value');
  const vp = await page.request.get(`${base}/wallet/presentation.json?credential=${encodeURIComponent(firstId)}`);
  check(vp.ok() && (await vp.json()).type.includes('VerifiablePresentation'), 'the wallet exports a presentation');
  const pdf = await page.request.get(`${base}${await page.locator('a[href$="credential.pdf"]').first().getAttribute('href')}`);
  const pdfBytes = await pdf.body();
  check(pdf.ok() && pdfBytes.subarray(0, 5).toString() === '%PDF-', 'the wallet gives a PDF of a credential');
  writeFileSync(join(fixtures.screenshots, 'credential.pdf'), pdfBytes);
  await page.check('#pick1');
  await page.check('#pick2');
  await page.selectOption('#days', '7');
  await Promise.all([page.waitForNavigation(), page.click('#share-form button[type=submit]:not([formaction])')]);
  const link = await page.inputValue('#link');
  check(link.startsWith(`${base}/s/`), 'a share link is made');
  check(await page.locator('.qr svg').count() === 1, 'the share link comes with a QR code');
  await visit(page, '09-share-created');

  // Stacking: the learner ticks wallet credentials and checks them against a built-in qualification.
  await page.goto(`${base}/stack`);
  check(await page.locator('input[name^="wallet_"]').count() === 3, 'the stacking page offers the wallet credentials');
  await visit(page, '09b-stack-form');
  await page.check('#w1');
  await page.selectOption('#qualification', 'ie-qqi-level5-certificate');
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  check(await page.locator('#result .check .word').count() > 0, 'the stacking result says per requirement, in words, whether it is met');
  await visit(page, '09c-stack-result');

  // --- Employer: open the share link --------------------------------------------------------------------------
  const employer = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const employerPage = await employer.newPage();
  await employerPage.goto(link);
  const valid = await employerPage.locator('.verdict.valid').count();
  check(valid === 2, `the employer sees both shared credentials verified as valid (${valid})`);
  check(await employerPage.locator('.check.failed').count() === 0, 'no check failed for the shared credentials');
  check((await employerPage.textContent('main')).includes('EQF level'), 'the share page explains the level');
  await visit(employerPage, '10-share-employer');

  // Upload a tampered file, a revoked one, paste a valid one.
  await employerPage.goto(`${base}/verify`);
  await visit(employerPage, '11-verify-form');
  await employerPage.setInputFiles('#file', fixtures.tamperedFile);
  await Promise.all([employerPage.waitForNavigation(), employerPage.click('main form button[type=submit]')]);
  check(await employerPage.locator('.verdict.invalid').count() === 1, 'an uploaded tampered credential is not verified');
  check(await employerPage.locator('.check.failed').count() >= 1, 'the tampered credential shows a failed check');
  await visit(employerPage, '12-verify-tampered');
  await employerPage.setInputFiles('#file', fixtures.revokedFile);
  await Promise.all([employerPage.waitForNavigation(), employerPage.click('main form button[type=submit]')]);
  check(await employerPage.locator('.verdict.revoked').count() === 1, 'an uploaded revoked credential shows as revoked');
  await visit(employerPage, '13-verify-revoked');
  await employerPage.fill('#json', readFileSync(fixtures.validFile, 'utf8'));
  await Promise.all([employerPage.waitForNavigation(), employerPage.click('main form button[type=submit]')]);
  check(await employerPage.locator('.verdict.valid').count() === 1, 'a pasted valid credential is verified');
  const unknown = await employerPage.locator('.check.unknown').count();
  const failedText = await employerPage.locator('.check.failed .word').count();
  check(failedText === 0, `the valid credential has no failed check (${unknown} could-not-check)`);
  await visit(employerPage, '14-verify-valid');
  await employerPage.setInputFiles('#file', fixtures.foreignFile);
  await Promise.all([employerPage.waitForNavigation(), employerPage.click('main form button[type=submit]')]);
  const foreignUnknown = await employerPage.locator('.check.unknown').count();
  const signatureOk = (await employerPage.locator('.check.ok').allTextContents()).some((t) => t.includes('Signature'));
  check(signatureOk, 'a credential signed elsewhere (did:key) has a valid signature');
  check(foreignUnknown >= 1 && await employerPage.locator('.verdict.partial').count() === 1,
    `a check that could not be made is shown as such (${foreignUnknown}), and the verdict says not everything was checked`);
  await visit(employerPage, '14b-verify-foreign');

  // The learner revokes the share; the employer's link stops working.
  await page.goto(`${base}/wallet`);
  await Promise.all([page.waitForNavigation(), page.locator('#shares button.danger').first().click()]);
  const closed = await employerPage.goto(link);
  check(closed.status() === 410, `a revoked share link answers 410 Gone (${closed.status()})`);
  await visit(employerPage, '15-share-revoked');
  await employer.close();
  await learnerContext.close();

  // --- Provider writes and submits; authority approves --------------------------------------------------------
  const providerContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  page = await providerContext.newPage();
  page.on('dialog', async (d) => { failures.push(`script ran from user text: ${d.message()}`); await d.dismiss(); });
  await login(page, fixtures.provider);
  check(page.url().endsWith('/provider'), 'a provider lands on their descriptions after login');
  await visit(page, '16-provider-list');
  await page.goto(`${base}/provider/new`);
  const starter = await page.inputValue('#toml');
  const title = 'Browser test <script>alert(1)</script> micro-credential';
  const toml = starter.replace(/^title = .*$/m, `title = { en = "${title}" }`);
  await page.fill('#toml', toml);
  const live = await page.waitForSelector('#live-findings #findings-h', { timeout: 10000 }).then(() => true, () => false);
  check(live, 'with JavaScript, compliance findings appear while the description is typed');
  await Promise.all([page.waitForNavigation(), page.click('button[value=preview]')]);
  check(await page.locator('#findings-h').count() === 1, 'a preview shows the compliance findings');
  await visit(page, '17-provider-preview');
  await Promise.all([page.waitForNavigation(), page.click('button[value=save]')]);
  const descriptionUrl = page.url();
  check(/\/provider\/desc_/.test(descriptionUrl), 'saving creates the description');
  await Promise.all([page.waitForNavigation(), page.click('#submit-for-review')]);
  check((await page.textContent('#state')).includes('submitted'), 'the provider submits it for review');
  await visit(page, '18-provider-submitted');
  const id = descriptionUrl.split('/').pop();
  await providerContext.close();

  const authorityContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  page = await authorityContext.newPage();
  page.on('dialog', async (d) => { failures.push(`script ran from user text: ${d.message()}`); await d.dismiss(); });
  await login(page, fixtures.authority);
  check(await page.locator(`a[href="/authority/${id}"]`).count() === 1, 'the description is in the authority review queue');
  await visit(page, '19-authority-queue');
  await page.goto(`${base}/authority/accreditations`);
  check(await page.locator('main tbody tr').count() >= 1, 'the authority sees its accreditations');
  await visit(page, '19b-authority-accreditations');
  await page.goto(`${base}/authority/${id}`);
  check((await page.textContent('h1')).includes('<script>'), 'a title with <script> is shown as text, not run');
  await Promise.all([page.waitForNavigation(), page.click('button[value=start-review]')]);
  await page.fill('#note', 'Reviewed in the browser test.');
  await Promise.all([page.waitForNavigation(), page.click('button[value=approve]')]);
  check((await page.textContent('#state')).includes('approved'), 'the authority approves it');
  await visit(page, '20-authority-approved');
  await authorityContext.close();
} catch (error) {
  failures.push(`scenario stopped: ${error.stack || error}`);
  console.error(error);
} finally {
  await browser.close();
}

console.log(`axe-core: ${pagesChecked} pages checked, ${axeProblems.length} serious or critical violations`);
for (const problem of axeProblems) console.error(`AXE: ${problem}`);
if (failures.length || axeProblems.length) {
  console.error(`${failures.length} failed checks, ${axeProblems.length} accessibility violations`);
  process.exit(1);
}
console.log('all browser scenarios passed');
